//! The conformance scenario: one call of every operation of the spec, with valid
//! parameters, in an order that creates what later calls read, update and delete.
//!
//! Ids come from the seeded data (listed first) or from the records the scenario
//! creates; request bodies are the reference's request examples (`fixtures/docs`, ids
//! swapped for seeded ones) where there is one, otherwise minimal bodies. Reads of
//! created records follow their writes, deletes come last. How a call is sent is the
//! [`Caller`]'s business: raw HTTP in `tests/conformance.rs`, the SDK in
//! `tests/sdk_conformance.rs`.

use serde_json::{Value, json};

use crate::fixtures::{Direction, Fixture};

/// Sends the scenario's calls.
// The scenario runs on one thread, so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Caller {
    /// Calls operation `op_id`; answers the JSON of its answer, or `null` when the
    /// call did not conform (the caller records why).
    async fn run(&mut self, op_id: &str, call: Call) -> Value;

    /// The reference's examples, for [`example`](Caller::example).
    fn examples(&self) -> &[Fixture];

    /// The reference's request example of operation `op_id`, with the top-level
    /// fields of `overrides` replaced (the reference's ids do not exist here).
    fn example(&self, op_id: &str, overrides: Value) -> Value {
        let op =
            crewsense_gen::catalog::Operation::by_id(op_id).expect("an operation of the catalogue");
        let fixture = self
            .examples()
            .iter()
            .find(|f| {
                f.direction == Direction::Request
                    && f.method.as_deref() == Some(op.method)
                    && f.path == op.path
            })
            .unwrap_or_else(|| panic!("no request example for {op:?}"));
        let bytes = fixture.read().expect("the example is readable");
        merge(
            serde_json::from_slice(&bytes).expect("the example is JSON"),
            overrides,
        )
    }

    /// Calls `op_id` with the reference's request example for it, the top-level fields
    /// of `overrides` replaced.
    async fn run_example(&mut self, op_id: &str, call: Call, overrides: Value) -> Value {
        let body = self.example(op_id, overrides);
        self.run(op_id, call.json(body)).await
    }

    /// Calls a creating operation and answers the `id` of the new record.
    async fn create(&mut self, op_id: &str, call: Call) -> Id {
        id(&self.run(op_id, call).await["id"])
    }
}

/// A record id; 0 stands for "not found", which later calls then report as 404s.
pub type Id = u64;

/// Reads an id sent as a number or a numeric string.
pub fn id(v: &Value) -> Id {
    match v {
        Value::Number(n) => n.as_u64().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => 0,
    }
}

/// The request of one call: path parameters in template order, query, body.
#[derive(Default)]
pub struct Call {
    /// Path parameters, in the order of the path template.
    pub path: Vec<Id>,
    /// Query parameters.
    pub query: Vec<(&'static str, String)>,
    /// The body.
    pub body: Payload,
}

#[derive(Default)]
pub enum Payload {
    /// No body.
    #[default]
    None,
    /// A JSON body.
    Json(Value),
    /// A multipart body with one `file` part.
    File(&'static str, &'static [u8]),
}

/// A call with no path parameters.
pub fn call() -> Call {
    Call::default()
}

/// A call with these path parameters.
pub fn at<const N: usize>(ids: [Id; N]) -> Call {
    Call {
        path: ids.to_vec(),
        ..Call::default()
    }
}

impl Call {
    /// Adds a query parameter.
    pub fn q(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// A `start`..`end` query.
    pub fn between(self, (start, end): (&str, &str)) -> Self {
        self.q("start", start).q("end", end)
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Payload::Json(body);
        self
    }

    /// Sets a multipart body with one `file` part.
    pub fn file(mut self, name: &'static str, bytes: &'static [u8]) -> Self {
        self.body = Payload::File(name, bytes);
        self
    }
}

/// The path template with its `{...}` segments replaced by `ids`, in order.
pub fn fill(template: &str, ids: &[Id]) -> String {
    let mut ids = ids.iter();
    let path: Vec<String> = template
        .split('/')
        .map(|segment| match segment.starts_with('{') {
            true => ids
                .next()
                .unwrap_or_else(|| panic!("{template} needs more path ids"))
                .to_string(),
            false => segment.to_owned(),
        })
        .collect();
    assert!(ids.next().is_none(), "{template} takes fewer path ids");
    path.join("/")
}

/// `base` with the top-level fields of `overrides` replaced.
pub fn merge(mut base: Value, overrides: Value) -> Value {
    if let (Some(base), Value::Object(overrides)) = (base.as_object_mut(), overrides) {
        base.extend(overrides);
    }
    base
}

/// The ids under `key` of the first `n` items of a list.
fn ids_of<const N: usize>(list: &Value, key: &str) -> [Id; N] {
    std::array::from_fn(|i| id(&list[i][key]))
}

/// Calls every operation of the spec: reads of the seeded data first, then each
/// section's writes followed by reads of what they wrote, deletes at the end.
pub async fn scenario(t: &mut impl Caller) {
    const JUNE: (&str, &str) = ("2025-06-01 00:00:00", "2025-07-01 00:00:00");

    // --- seeded reference data: the ids every later call uses -----------------
    let users = t.run("list_users", call()).await;
    let [user, admin, other] = ids_of(&users, "user_id");
    let employee = users[0]["employee_id"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    t.run("list_users", call().q("employee_id", employee)).await;
    let profile = t.run("get_user", at([user])).await;
    let (accrual_profile, accrual_track) = (
        id(&profile["accrual_profile"]["id"]),
        id(&profile["accrual_track"]["id"]),
    );
    let [group_a, group_b] = ids_of(&t.run("list_groups", call()).await, "id");
    let [title_a, title_b] = ids_of(&t.run("list_titles", call()).await, "id");
    t.run("get_title", at([title_a])).await;
    let [list] = ids_of(&t.run("list_lists", call()).await, "id");
    t.run("get_list", at([list])).await;
    let [label_a, label_b] = ids_of(&t.run("list_labels", call()).await, "id");
    let [filter_a, filter_b] = ids_of(&t.run("list_filters", call()).await, "id");
    let [qual_a, qual_b] = ids_of(&t.run("list_qualifiers", call()).await, "id");
    t.run("get_qualifier", at([qual_a])).await;
    t.run("list_qualifier_users", at([qual_a])).await;
    let [work_type] = ids_of(&t.run("list_work_types", call()).await, "id");
    t.run("get_work_type", at([work_type])).await;
    t.run("list_work_type_subtypes", at([work_type])).await;
    t.run("list_work_subtypes", call()).await;
    let [leave] = ids_of(&t.run("list_time_off_types", call()).await, "id");
    t.run("list_accruals", call()).await;
    let [assignment] = ids_of(&t.run("list_assignments", call()).await, "id");
    t.run("get_assignment", at([assignment])).await;
    t.run("list_assignment_groups", at([assignment])).await;
    t.run("list_assignment_admins", at([assignment])).await;
    let callbacks = t.run("list_callbacks", call().between(JUNE)).await;
    let [callback] = ids_of(&callbacks["data"], "id");
    t.run("get_callback", at([callback])).await;
    t.run("list_callback_users", at([callback])).await;
    let forms = t.run("list_forms", call()).await;
    let form = forms
        .as_object()
        .and_then(|forms| forms.keys().next())
        .map_or(0, |key| key.parse().unwrap_or_default());
    t.run("list_form_submissions", at([form])).await;
    let [ts_user] = ids_of(&t.run("list_target_solutions_users", call()).await, "id");
    t.run("get_target_solutions_user", at([ts_user])).await;
    let periods = t
        .run("list_availability_periods", call().between(JUNE))
        .await;
    let reason = id(&periods[0]["unavailability_reason"]["id"]);
    t.run("get_company", call()).await;
    t.run("get_bulletin_board", call()).await;
    let week = ("2025-06-01 00:00:00", "2025-06-08 00:00:00");
    t.run("get_schedule", call().between(week)).await;
    t.run(
        "list_day_labels",
        call().between(("2025-06-01", "2025-06-30")),
    )
    .await;
    t.run("list_logs", call()).await;
    t.run("list_payroll_entries", call().between(JUNE)).await;
    t.run("list_user_payroll_entries", at([user]).between(JUNE))
        .await;
    t.run("list_user_accrual_profiles", at([user])).await;
    t.run("list_user_accrual_balances", at([user])).await;
    t.run("list_shifts", call().q("user_id", user)).await;
    t.run("list_trades", call()).await;
    t.run("list_time_offs", call().between(JUNE)).await;
    t.run("list_signup_events", call()).await;
    t.run("list_announcements", call()).await;
    t.run("list_certifications", call()).await;
    t.run("list_visual_cycles", call()).await;

    // --- assignments ---------------------------------------------------------
    let engine = t
        .create(
            "create_assignment",
            call().json(json!({
                "name": "Conformance Engine",
                "start": "2025-06-01 08:00:00",
                "end": "2025-06-02 08:00:00",
                "positions_to_fill": 2,
            })),
        )
        .await;
    let rename = json!({ "name": "Conformance Engine 2" });
    t.run("update_assignment", at([engine]).json(rename)).await;
    t.run("get_assignment", at([engine])).await;
    let groups = json!({ "ids": [group_a, group_b] });
    t.run("replace_assignment_groups", at([engine]).json(groups))
        .await;
    t.run("list_assignment_groups", at([engine])).await;
    t.run("remove_assignment_group", at([engine, group_a]))
        .await;
    t.run("remove_assignment_groups", at([engine])).await;
    let admins = json!({ "ids": [admin] });
    t.run("replace_assignment_admins", at([engine]).json(admins))
        .await;
    t.run("list_assignment_admins", at([engine])).await;
    let day = json!({ "date": "2025-06-10", "admin_id": admin });
    t.run("finalize_assignment", at([engine]).json(day)).await;
    let day = json!({ "date": "2025-06-10" });
    t.run("unfinalize_assignment", at([engine]).json(day)).await;
    // A batch with a future date (2025-12-01) answers the partial-failure shape:
    // 200 with `error_messages`.
    let dates = json!(["2025-06-11", "2025-12-01"]);
    let batch = json!({ "assignments": [{ "id": engine, "dates": dates }], "admin_id": admin });
    t.run("finalize_assignments", call().json(batch.clone()))
        .await;
    t.run("unfinalize_assignments", call().json(batch)).await;

    // --- shifts, with the labels and qualifiers applied to them --------------
    let shift = t
        .create(
            "create_shift",
            call().json(json!({
                "assignment_id": engine,
                "user_id": user,
                "date": "2025-06-20",
                "start": "2025-06-20 08:00:00",
                "end": "2025-06-21 08:00:00",
                "work_type_id": work_type,
            })),
        )
        .await;
    t.run_example("update_shift", at([shift]), json!({})).await;
    t.run("get_shift", at([shift])).await;
    for (noun, a, b) in [("qualifiers", qual_a, qual_b), ("labels", label_a, label_b)] {
        let op = |verb: &str| format!("{verb}_shift_{noun}");
        // None yet: the list is `null`, then an array.
        t.run(&op("list"), at([shift])).await;
        t.run(&op("replace"), at([shift]).json(json!([a, b]))).await;
        t.run(&op("list"), at([shift])).await;
        let one = format!("remove_shift_{}", noun.trim_end_matches('s'));
        t.run(&one, at([shift, a])).await;
        t.run(&op("remove"), at([shift])).await;
    }

    // --- visual cycles, groups -----------------------------------------------
    let cycle = json!({
        "name": "Conformance cycle",
        "start": "2025-07-01 00:00:00",
        "end": "2025-07-31 00:00:00",
        "color": "#123456",
        "text_color": "#ffffff",
    });
    let cycle_id = t
        .create("create_visual_cycle", call().json(cycle.clone()))
        .await;
    t.run("get_visual_cycle", at([cycle_id])).await;
    let renamed = merge(cycle, json!({ "name": "Conformance cycle 2" }));
    t.run("update_visual_cycle", at([cycle_id]).json(renamed))
        .await;
    let group = json!({ "name": "Conformance group" });
    t.run("create_group", call().json(group)).await;

    // --- time off and accruals -----------------------------------------------
    let ids = json!({ "user_id": user, "admin_ids": [admin], "time_off_type_id": leave });
    let time_off = id(&t.run_example("create_time_off", call(), ids).await["id"]);
    t.run("get_time_off", at([time_off])).await;
    // The example asks for status 1 (approved): deny, then approve again.
    t.run("deny_time_off", at([time_off])).await;
    t.run("approve_time_off", at([time_off])).await;
    let kind = json!({ "label": "Conformance leave" });
    t.run("create_time_off_type", call().json(kind)).await;
    let request = json!({
        "admin_ids": [admin],
        "start_date": "2025-08-04 08:00:00",
        "end_date": "2025-08-05 08:00:00",
        "time_off_type_id": leave,
    });
    let mine = t
        .create("create_user_time_off", at([user]).json(request))
        .await;
    let note = json!({ "user_note": "Changed by the conformance test" });
    t.run("update_user_time_off", at([user, mine]).json(note))
        .await;
    let august = ("2025-08-01 00:00:00", "2025-09-01 00:00:00");
    t.run("list_user_time_offs", at([user]).between(august))
        .await;
    let adjustment = json!({ "time_off_type_id": leave, "hours": 8, "admin_id": admin });
    t.run(
        "update_user_accrual_balance",
        at([user, leave]).json(adjustment),
    )
    .await;

    // --- trades (the example's ids are strings, as some clients send them) ---
    let parties = json!({
        "requesting_user": user.to_string(),
        "accepting_user_id": other.to_string(),
        "approving_user_id": admin.to_string(),
    });
    let trade_body = t.example("create_trade", parties);
    let trade = t
        .create("create_trade", call().json(trade_body.clone()))
        .await;
    t.run("list_trade_users", at([trade])).await;
    let accept = json!({ "accepting_user_id": admin });
    t.run("update_trade", at([trade]).json(accept)).await;
    t.run("replace_trade", at([trade]).json(trade_body)).await;

    // --- labels and filters --------------------------------------------------
    let label = json!({ "label": "Conformance", "color": "#000000", "text_color": "#ffffff" });
    let label_id = t.create("create_label", call().json(label.clone())).await;
    t.run("get_label", at([label_id])).await;
    let relabel = merge(label, json!({ "label": "Conformance 2" }));
    t.run("update_label", at([label_id]).json(relabel)).await;
    let filter = json!({ "label": "Conformance" });
    let filter_id = t.create("create_filter", call().json(filter)).await;
    t.run("get_filter", at([filter_id])).await;
    let refilter = json!({ "label": "Conformance 2" });
    t.run("update_filter", at([filter_id]).json(refilter)).await;

    // --- a new user, what they belong to, and their qualifiers ---------------
    let recruit = id(&t.run_example("create_user", call(), json!({})).await["id"]);
    let accruals = json!({
        "accrual_profile": { "id": accrual_profile },
        "accrual_track": { "id": accrual_track },
    });
    t.run_example("update_user", at([recruit]), accruals).await;
    t.run("get_user", at([recruit])).await;
    for (noun, a, b) in [
        ("titles", title_a, title_b),
        ("filters", filter_a, filter_b),
        ("groups", group_a, group_b),
    ] {
        let ids = json!({ "ids": [a, b] });
        let replace = format!("replace_user_{noun}");
        t.run_example(&replace, at([recruit]), ids).await;
        t.run(&format!("list_user_{noun}"), at([recruit])).await;
    }
    let qualifier = json!({ "id": qual_a });
    t.run("add_user_qualifier", at([recruit]).json(qualifier))
        .await;
    let ranked = json!({ "ids": [{ "id": qual_a, "ranking": 1 }, { "id": qual_b, "ranking": 2 }] });
    t.run("replace_user_qualifiers", at([recruit]).json(ranked))
        .await;
    t.run("list_user_qualifiers", at([recruit])).await;
    t.run("remove_user_qualifier", at([recruit, qual_b])).await;

    // --- certifications and the recruit's certification records --------------
    let cert = json!({ "name": "Conformance cert", "cert_id": "CONF", "created_by": admin });
    let cert_id = t.create("create_certification", call().json(cert)).await;
    t.run("get_certification", at([cert_id])).await;
    let rename = json!({ "name": "Conformance cert 2" });
    t.run("update_certification", at([cert_id]).json(rename))
        .await;
    let give = json!({ "id": cert_id });
    let record = t
        .create("add_user_certification", at([recruit]).json(give))
        .await;
    t.run("get_user_certification", at([recruit, record])).await;
    let expiry = json!({ "expires": "2026-06-30" });
    t.run(
        "update_user_certification",
        at([recruit, record]).json(expiry),
    )
    .await;
    let pdf = b"%PDF-1.4\n% conformance\n";
    let upload = at([recruit, record]).file("card.pdf", pdf);
    t.run("upload_user_certification_file", upload).await;
    t.run("list_user_certifications", at([recruit])).await;
    t.run("remove_user_certification", at([recruit, record]))
        .await;
    t.run("remove_user_certifications", at([recruit])).await;

    // --- signup board, availability, announcements, alerts, bulletin board ---
    let event = json!({
        "admin_id": admin,
        "title": "Conformance drill",
        "start": "2025-07-10 08:00:00",
        "end": "2025-07-10 12:00:00",
        "employees_needed": 2,
        "work_type_id": work_type,
    });
    let event_id = t
        .create("create_signup_event", call().json(event.clone()))
        .await;
    t.run("get_signup_event", at([event_id])).await;
    let retitled = merge(event, json!({ "title": "Conformance drill 2" }));
    t.run("replace_signup_event", at([event_id]).json(retitled))
        .await;
    let signup = json!({ "user_id": user });
    t.run("add_signup_event_user", at([event_id]).json(signup))
        .await;
    t.run("list_signup_event_users", at([event_id])).await;
    t.run("remove_signup_event_user", at([event_id, user]))
        .await;
    let ids = json!({ "user_id": user, "admin_id": admin, "unavailability_reason_id": reason });
    t.run_example("create_availability_period", call(), ids)
        .await;
    let news = json!({ "title": "Conformance", "body": "<p>Conformance test</p>" });
    let news_id = t.create("create_announcement", call().json(news)).await;
    let edit = json!({ "body": "<p>Conformance test, edited</p>" });
    t.run("update_announcement", at([news_id]).json(edit)).await;
    let sender = json!({ "user_id": user.to_string() });
    t.run_example("send_ready_alert", call(), sender).await;
    let author = json!({ "admin_id": admin });
    t.run_example("replace_bulletin_board", call(), author)
        .await;

    // --- qualifiers: create (the answer has no id), delete, restore ----------
    let name = "Conformance qualifier";
    let new = json!({ "name": name, "shortcode": "CNF" });
    t.run("create_qualifier", call().json(new)).await;
    let qualifiers = t.run("list_qualifiers", call()).await;
    let created = qualifiers
        .as_array()
        .and_then(|all| all.iter().find(|q| q["name"] == name))
        .map_or(0, |q| id(&q["id"]));
    t.run("delete_qualifier", at([created])).await;
    let undelete = json!({ "undelete": 1 });
    t.run("restore_qualifier", at([created]).json(undelete))
        .await;

    // --- deletes, last --------------------------------------------------------
    for (op, record) in [
        ("delete_shift", shift),
        ("delete_assignment", engine),
        ("delete_visual_cycle", cycle_id),
        ("delete_time_off", time_off),
        ("delete_trade", trade),
        ("delete_label", label_id),
        ("delete_filter", filter_id),
        ("delete_certification", cert_id),
        ("delete_announcement", news_id),
    ] {
        t.run(op, at([record])).await;
    }
}
