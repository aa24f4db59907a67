//! A tour of the SDK: `cargo run --example tour`.
//!
//! Without credentials it starts the CrewSense sandbox in this process and runs
//! against it. With `CREWSENSE_CLIENT_ID` and `CREWSENSE_CLIENT_SECRET` set it runs the
//! read-only part against the real API (or `CREWSENSE_BASE_URL`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use chrono::Datelike;
use crewsense::ids::{TimeOffId, UserId};
use crewsense::paginate::Period;
use crewsense::time::{Date, DateRange, LocalDateTime};
use crewsense::types::{CreateTimeOffRequest, ScheduleDay};
use crewsense::{Client, Error};
use crewsense_sandbox::Sandbox;
use futures::TryStreamExt;

/// The sandbox's seeded data covers 2025.
const SANDBOX_YEAR: i32 = 2025;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let credentials = std::env::var_os("CREWSENSE_CLIENT_ID").is_some()
        && std::env::var_os("CREWSENSE_CLIENT_SECRET").is_some();
    // Kept alive for the whole tour; dropping it stops the sandbox.
    let mut sandbox = None;
    let (client, year) = if credentials {
        println!(
            "Using the CrewSense API with the credentials from the environment (read-only tour)."
        );
        let today = chrono::Local::now().date_naive();
        (Client::from_env()?, today.year())
    } else {
        let started = Sandbox::start()
            .await
            .expect("start the sandbox on 127.0.0.1");
        println!(
            "No CREWSENSE_CLIENT_ID/CREWSENSE_CLIENT_SECRET set: running against the embedded sandbox at {}.",
            started.base_url()
        );
        let client = Client::builder()
            .client_credentials(started.client_id(), started.client_secret())
            .base_url(started.base_url())
            .token_url(started.token_url())
            .build()?;
        sandbox = Some(started);
        (client, SANDBOX_YEAR)
    };

    step(1, "Obtain an access token");
    match client.authenticate().await? {
        Some(left) => println!(
            "   token obtained, valid for {} h (the token itself is never printed)",
            left.as_secs() / 3600
        ),
        None => println!("   using the static token"),
    }

    step(2, "A week of schedule");
    let monday = first_monday_of_june(year);
    schedule_table(&client, DateRange::week(monday)).await?;

    step(3, "A year of time off, one month per page");
    time_off_totals(&client, year).await?;

    if sandbox.is_some() {
        step(4, "Create, approve and delete a time-off entry");
        time_off_round_trip(&client, monday).await?;
    }

    step(5, "What an API error looks like");
    let missing = UserId::new(999_999_999);
    match client.user(missing).await {
        Ok(user) => println!("   unexpectedly found user {:?}", user.user_id),
        Err(error) => {
            println!("   Display: {error}");
            println!(
                "   status(): {:?}  is_not_found(): {}  is_retryable(): {}  api_messages(): {:?}",
                error.status(),
                error.is_not_found(),
                error.is_retryable(),
                error.api_messages()
            );
        }
    }

    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    println!("\nDone.");
    Ok(())
}

fn step(n: u32, title: &str) {
    println!("\n{n}. {title}");
}

fn first_monday_of_june(year: i32) -> Date {
    let june = chrono::NaiveDate::from_ymd_opt(year, 6, 1).expect("June 1st exists");
    let monday = june
        .iter_days()
        .find(|d| d.weekday() == chrono::Weekday::Mon)
        .expect("a Monday within a week");
    Date(monday)
}

/// Prints one line per assignment and day: who is on it.
async fn schedule_table(client: &Client, week: DateRange) -> Result<(), Error> {
    let days = client.schedule_days(week, Period::Week).collect().await?;
    println!("   {:<10}  {:<22}  people", "date", "assignment");
    for (date, day) in &days {
        let mut shown = date.to_string();
        for (assignment, people) in staffing(day) {
            println!(
                "   {shown:<10}  {:<22}  {}",
                truncate(&assignment, 22),
                people.join(", ")
            );
            shown.clear();
        }
    }
    Ok(())
}

fn staffing(day: &ScheduleDay) -> Vec<(String, Vec<String>)> {
    day.assignments
        .iter()
        .flatten()
        .map(|a| {
            let people = a
                .shifts
                .iter()
                .flatten()
                .filter_map(|s| s.user.as_ref()?.name.clone())
                .collect();
            (a.name.clone().unwrap_or_default(), people)
        })
        .collect()
}

fn truncate(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((cut, _)) => format!("{}~", &text[..cut.saturating_sub(1)]),
        None => text.to_owned(),
    }
}

/// Pages through a year of time off and prints hours per type.
async fn time_off_totals(client: &Client, year: i32) -> Result<(), Error> {
    let start = Date(chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a date"));
    let end = Date(chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("a date"));
    let mut pages = client.time_offs(start..end).pages();
    let mut totals: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let progress = std::io::stdout().is_terminal();
    let mut count = 0;
    while let Some(page) = pages.try_next().await? {
        count = page.info.number;
        if progress {
            print!(
                "\r   fetching page {count} ({} entries)...",
                page.items.len()
            );
            std::io::stdout().flush().ok();
        }
        for time_off in page.items {
            let kind = time_off
                .time_off_type
                .and_then(|t| t.name)
                .unwrap_or_else(|| "(no type)".to_owned());
            let total = totals.entry(kind).or_default();
            total.0 += 1;
            total.1 += time_off.length.map_or(0.0, |l| l.get());
        }
    }
    if progress {
        print!("\r{:60}\r", "");
    }
    println!("   {count} pages");
    println!("   {:<24} {:>7} {:>9}", "type", "entries", "hours");
    for (kind, (count, hours)) in totals {
        println!("   {:<24} {:>7} {:>9.1}", truncate(&kind, 24), count, hours);
    }
    Ok(())
}

/// Creates a pending time-off entry, approves it and deletes it again.
async fn time_off_round_trip(client: &Client, day: Date) -> Result<(), Error> {
    let users = client.users().await?;
    let user = users
        .iter()
        .find_map(|u| u.user_id)
        .expect("the sandbox has users");
    let admin = users
        .iter()
        .rev()
        .find_map(|u| u.user_id)
        .expect("the sandbox has users");
    let types = client
        .call(async |api| api.list_time_off_types().send().await)
        .await?;
    let vacation = types
        .iter()
        .find_map(|t| t.id)
        .expect("the sandbox has time-off types");

    let start = LocalDateTime::start_of(day);
    let end = LocalDateTime(start.get() + chrono::Duration::hours(24));
    let request = CreateTimeOffRequest {
        user_id: user,
        time_off_type_id: vacation,
        start_date: start,
        end_date: end,
        admin_ids: vec![admin],
        status: None,
        user_note: None,
    };
    let created = client.create_time_off(request).await?;
    let id = TimeOffId::from(created.id.expect("the API answers the new id"));
    println!(
        "   created time off #{id} for user {user} ({start} to {end}): {}",
        created.message.unwrap_or_default()
    );
    let approved = client.approve_time_off(id).await?;
    println!("   approved: {}", approved.message.unwrap_or_default());
    let deleted = client.delete_time_off(id).await?;
    println!("   deleted: {}", deleted.message.unwrap_or_default());
    Ok(())
}
