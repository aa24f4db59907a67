//! Users: profile CRUD, and the CallBack lists, filters, groups and qualifiers
//! they belong to.

use axum::Router;
use axum::extract::State;
use axum::routing::{delete, get};
use serde_json::{Map, Value, json};

use super::{ensure_all, find, find_mut};
use crate::clock::fmt_date;
use crate::error::ApiError;
use crate::extract::{Body, Ids, Query};
use crate::reply::{ApiResult, ack, created, done, ok, success};
use crate::state::App;
use crate::store::{Store, Table, User};
use crate::validate::{Check, as_id};

const MODEL: &str = "User";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/users", get(list).put(create))
        .route("/users/{user_id}", get(read).patch(update))
        .route(
            "/users/{user_id}/titles",
            get(list_assoc::<Titles>).put(replace_assoc::<Titles>),
        )
        .route(
            "/users/{user_id}/filters",
            get(list_assoc::<Filters>).put(replace_assoc::<Filters>),
        )
        .route(
            "/users/{user_id}/groups",
            get(list_assoc::<Groups>).put(replace_assoc::<Groups>),
        )
        .route(
            "/users/{user_id}/qualifiers",
            get(qualifiers).post(add_qualifier).put(replace_qualifiers),
        )
        .route("/users/{user_id}/qualifiers/{id}", delete(remove_qualifier))
}

fn render(app: &App, s: &Store, u: &User, with_fields: bool) -> Value {
    let named = |table: &Table<crate::store::Named>, id: Option<u64>| {
        id.and_then(|id| table.get(&id))
            .map(|n| json!({ "id": n.id, "name": n.name }))
    };
    let mut v = json!({
        "user_id": u.id,
        "employee_id": u.employee_id,
        "username": u.username,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "full_name": u.name(),
        "role": u.role,
        "avatar_url": format!("{}/avatars/{}.jpg", app.base_url, u.id),
        "date_of_hire": u.date_of_hire.map(fmt_date),
        "date_of_birth": u.date_of_birth.map(fmt_date),
        "accrual_start_date": u.accrual_start_date.map(fmt_date),
        "emails": u.emails,
        "phone_numbers": u.phones,
        "accrual_track": named(&s.accrual_tracks, u.accrual_track),
        "accrual_profile": named(&s.accrual_profiles, u.accrual_profile),
    });
    if with_fields {
        let fields: Vec<Value> = s
            .custom_fields
            .values()
            .map(|f| json!({ "id": f.id, "label": f.name, "value": u.fields.get(&f.id) }))
            .collect();
        v["fields"] = json!(fields);
    }
    v
}

async fn list(State(app): State<App>, q: Query) -> ApiResult {
    let s = app.read();
    if let Some(employee) = q.get("employee_id") {
        let u = s
            .users
            .values()
            .find(|u| u.employee_id.as_deref() == Some(employee))
            .ok_or_else(|| ApiError::missing(MODEL))?;
        return ok(render(&app, &s, u, false));
    }
    ok(json!(
        s.users
            .values()
            .map(|u| render(&app, &s, u, false))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&app, &s, find(&s.users, id, MODEL)?, true))
}

/// Applies a profile body; `create` makes username, names and mail required.
fn apply(s: &Store, u: &mut User, body: &Map<String, Value>, create: bool) -> Result<(), ApiError> {
    let mut c = Check::new(body);
    let [username, first, last, mail] = ["username", "first_name", "last_name", "mail"].map(|f| {
        if create {
            Some(c.req_str(f))
        } else {
            c.opt_str(f)
        }
    });
    let employee = c.opt_str("employee_id");
    let role = c.opt_str("role");
    let phone = c.opt_str("phone").or_else(|| c.opt_str("phone_numbers"));
    let hired = c.opt_date("date_of_hire");
    let born = c.opt_date("date_of_birth");
    let accrual_start = c.opt_date("accrual_start_date");
    let mut reference = |field: &str, table: &Table<crate::store::Named>| {
        let id = body.get(field).map(|v| v.get("id").and_then(as_id));
        c.ensure(
            id.is_none_or(|id| id.is_some_and(|id| table.contains_key(&id))),
            format!("The selected {} is invalid.", field.replace('_', " ")),
        );
        id.flatten()
    };
    let profile = reference("accrual_profile", &s.accrual_profiles);
    let track = reference("accrual_track", &s.accrual_tracks);
    if let Some(name) = &username {
        c.ensure(
            !s.users
                .values()
                .any(|o| o.id != u.id && &o.username == name),
            "The username has already been taken.",
        );
    }
    if let Some(mail) = &mail {
        c.ensure(
            mail.contains('@'),
            "The mail must be a valid email address.",
        );
    }
    c.finish()?;
    u.username = username.unwrap_or_else(|| u.username.clone());
    u.first_name = first.unwrap_or_else(|| u.first_name.clone());
    u.last_name = last.unwrap_or_else(|| u.last_name.clone());
    if let Some(mail) = mail {
        u.emails = vec![mail];
    }
    if let Some(phone) = phone {
        u.phones = vec![phone];
    }
    u.employee_id = employee.or(u.employee_id.take());
    u.role = role.unwrap_or_else(|| u.role.clone());
    u.date_of_hire = hired.or(u.date_of_hire);
    u.date_of_birth = born.or(u.date_of_birth);
    u.accrual_start_date = accrual_start.or(u.accrual_start_date);
    u.accrual_profile = profile.or(u.accrual_profile);
    u.accrual_track = track.or(u.accrual_track);
    Ok(())
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let mut s = app.write();
    let mut u = User {
        role: "User".into(),
        ..User::default()
    };
    apply(&s, &mut u, &body.object(), true)?;
    u.id = s.alloc_id();
    let (id, name) = (u.id, u.name());
    s.users.insert(id, u);
    done(format!("User {name} created."), Some(id))
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let mut s = app.write();
    let mut u = find(&s.users, id, MODEL)?.clone();
    apply(&s, &mut u, &body.object(), false)?;
    s.users.insert(id, u);
    done("User updated.", Some(id))
}

/// What a user belongs to: CallBack lists, filters or groups.
trait Association: Send + 'static {
    fn ids(u: &mut User) -> &mut Vec<u64>;
    fn current(u: &User) -> &[u64];
    /// Whether `id` names something the user can belong to.
    fn exists(s: &Store, id: u64) -> bool;
    fn render(s: &Store, id: u64) -> Option<Value>;
}

struct Titles;
struct Filters;
struct Groups;

fn exists_in<T>(table: &Table<T>, id: u64) -> bool {
    table.contains_key(&id)
}

impl Association for Titles {
    fn ids(u: &mut User) -> &mut Vec<u64> {
        &mut u.titles
    }
    fn current(u: &User) -> &[u64] {
        &u.titles
    }
    fn exists(s: &Store, id: u64) -> bool {
        exists_in(&s.titles, id)
    }
    fn render(s: &Store, id: u64) -> Option<Value> {
        s.titles.get(&id).map(|t| super::lists::render(t, true))
    }
}

impl Association for Filters {
    fn ids(u: &mut User) -> &mut Vec<u64> {
        &mut u.filters
    }
    fn current(u: &User) -> &[u64] {
        &u.filters
    }
    fn exists(s: &Store, id: u64) -> bool {
        s.filters.get(&id).is_some_and(|f| !f.deleted)
    }
    fn render(s: &Store, id: u64) -> Option<Value> {
        s.filters
            .get(&id)
            .map(|f| super::filters::render(s, f, true))
    }
}

impl Association for Groups {
    fn ids(u: &mut User) -> &mut Vec<u64> {
        &mut u.groups
    }
    fn current(u: &User) -> &[u64] {
        &u.groups
    }
    fn exists(s: &Store, id: u64) -> bool {
        exists_in(&s.groups, id)
    }
    fn render(s: &Store, id: u64) -> Option<Value> {
        s.groups
            .get(&id)
            .map(|g| json!({ "id": g.id, "name": g.name }))
    }
}

async fn list_assoc<A: Association>(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let u = find(&s.users, id, MODEL)?;
    ok(json!(
        A::current(u)
            .iter()
            .filter_map(|x| A::render(&s, *x))
            .collect::<Vec<_>>()
    ))
}

async fn replace_assoc<A: Association>(
    State(app): State<App>,
    Ids([id]): Ids<1>,
    body: Body,
) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let ids = c.id_list("ids", true);
    c.finish()?;
    let mut s = app.write();
    find(&s.users, id, MODEL)?;
    let bad: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(_, x)| !A::exists(&s, **x))
        .map(|(i, _)| format!("The selected ids.{i} is invalid."))
        .collect();
    if !bad.is_empty() {
        return Err(ApiError::Invalid(bad));
    }
    *A::ids(find_mut(&mut s.users, id, MODEL)?) = ids;
    success()
}

async fn qualifiers(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    let u = find(&s.users, id, MODEL)?;
    let items: Vec<Value> = u
        .qualifiers
        .iter()
        .filter_map(|(q, rank)| s.qualifiers.get(q).map(|q| (q, rank)))
        .map(|(q, rank)| json!({ "id": q.id, "name": q.name, "shortcode": q.shortcode, "ranking": rank }))
        .collect();
    ok(json!(items))
}

/// A live (not deleted) qualifier, or 422 naming `field`.
fn live_qualifier(s: &Store, id: u64, field: &str) -> Result<(), ApiError> {
    if s.qualifiers
        .get(&id)
        .is_some_and(|q| q.deleted_at.is_none())
    {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "The selected {field} is invalid."
        )))
    }
}

async fn add_qualifier(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let qualifier = c.req_id("id");
    let ranking = c.opt_int("ranking");
    c.finish()?;
    let mut s = app.write();
    find(&s.users, id, MODEL)?;
    live_qualifier(&s, qualifier, "id")?;
    let qname = s.qualifiers[&qualifier].name.clone();
    let u = find_mut(&mut s.users, id, MODEL)?;
    if u.qualifiers.iter().any(|(q, _)| *q == qualifier) {
        return Err(ApiError::invalid(format!(
            "User {} already has qualifier {qname}.",
            u.name()
        )));
    }
    // Last by default; a ranking already at the largest integer shares that rank.
    let rank = ranking.unwrap_or_else(|| {
        let last = u.qualifiers.iter().map(|(_, r)| *r).max().unwrap_or(0);
        last.saturating_add(1)
    });
    u.qualifiers.push((qualifier, rank));
    let message = format!("Added user {} to qualifier {qname}.", u.name());
    created(ack(201, "created", message, None))
}

async fn replace_qualifiers(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let entries = map.get("ids").and_then(Value::as_array).cloned();
    let Some(entries) = entries else {
        return Err(ApiError::invalid("The ids field is required."));
    };
    let mut wanted = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let q = e
            .get("id")
            .and_then(as_id)
            .ok_or_else(|| ApiError::invalid(format!("The ids.{i}.id field is required.")))?;
        let rank = e
            .get("ranking")
            .and_then(Value::as_i64)
            .unwrap_or(i as i64 + 1);
        wanted.push((q, rank));
    }
    let mut s = app.write();
    find(&s.users, id, MODEL)?;
    let ids: Vec<u64> = wanted.iter().map(|(q, _)| *q).collect();
    ensure_all(&s.qualifiers, &ids, "ids")?;
    find_mut(&mut s.users, id, MODEL)?.qualifiers = wanted;
    done("Replaced user qualifiers.", None)
}

async fn remove_qualifier(State(app): State<App>, Ids([id, qualifier]): Ids<2>) -> ApiResult {
    let mut s = app.write();
    let qname = find(&s.qualifiers, qualifier, "Qualifier")?.name.clone();
    let u = find_mut(&mut s.users, id, MODEL)?;
    let before = u.qualifiers.len();
    u.qualifiers.retain(|(q, _)| *q != qualifier);
    if u.qualifiers.len() == before {
        return Err(ApiError::missing("Qualifier"));
    }
    done(
        format!("Removed user {} from qualifier {qname}.", u.name()),
        None,
    )
}
