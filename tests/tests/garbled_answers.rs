//! End to end over HTTP: with one value of every answer garbled by the sandbox
//! (`Fault::Garble`), the conveniences and every paging stream still deliver every
//! item, and what they left out is exactly what the sandbox garbled.

use std::collections::BTreeSet;

use crewsense::Client;
use crewsense::paginate::Period;
use crewsense::time::DateRange;
use crewsense_sandbox::{Fault, Sandbox};
use crewsense_tests::{date, sandbox_client, year_2025};

/// How many items each way of reading returns: the measure of "nothing lost".
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    users: usize,
    user_name: bool,
    schedule_days: usize,
    schedule_by_month: usize,
    time_offs: usize,
    callbacks: usize,
    announcements: usize,
    logs: usize,
    signup_events: usize,
}

async fn read_everything(client: &Client) -> Counts {
    let quarter = DateRange::from(date("2025-04-01")..date("2025-07-01"));
    let year = year_2025();
    let users = client.users().await.expect("users");
    let first = users
        .iter()
        .find_map(|u| u.user_id)
        .expect("a user with an id");
    Counts {
        users: users.len(),
        user_name: client
            .user(first.into())
            .await
            .expect("one user")
            .user_id
            .is_some(),
        schedule_days: client
            .schedule(DateRange::week(date("2025-06-02")))
            .await
            .expect("a week of schedule")
            .len(),
        schedule_by_month: client
            .schedule_days(quarter, Period::Month)
            .collect()
            .await
            .expect("a quarter of schedule")
            .len(),
        time_offs: client
            .time_offs(year)
            .collect()
            .await
            .expect("a year of time off")
            .len(),
        callbacks: client
            .callbacks(None)
            .collect()
            .await
            .expect("callbacks")
            .len(),
        announcements: client
            .announcements()
            .collect()
            .await
            .expect("announcements")
            .len(),
        logs: client.logs(None).collect().await.expect("logs").len(),
        signup_events: client.signup_events().await.expect("signup events").len(),
    }
}

#[tokio::test]
async fn every_convenience_and_stream_survives_one_garbled_value_in_every_answer() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox_client(&sandbox).build().unwrap();
    let clean = read_everything(&client).await;
    assert_eq!(
        client.degradations().total,
        0,
        "the sandbox's own answers are clean"
    );

    for seed in 0..4 {
        sandbox.reset_counters();
        sandbox.fail_next("*", 1000, Fault::Garble { seed });

        let garbled_run = read_everything(&client).await;

        sandbox.clear_faults();
        // `user_name` asks for the first user's id, which may itself be garbled.
        let same = Counts {
            user_name: clean.user_name,
            ..garbled_run
        };
        assert_eq!(same, clean, "seed {seed}: every item still arrives");

        let garbled: BTreeSet<String> = sandbox.garbled().into_iter().map(|g| g.path).collect();
        assert!(garbled.len() > 5, "seed {seed}: {garbled:?}");
        let report = client.take_degradations();
        assert!(report.total > 0, "seed {seed}: some garbles are unreadable");
        for degraded in &report.recent {
            assert!(
                garbled
                    .iter()
                    .any(|path| degraded.path.starts_with(path.as_str())),
                "seed {seed}: {} left out `{}`, which the sandbox did not garble ({garbled:?})",
                degraded.operation,
                degraded.path
            );
        }
    }
}
