#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod api;
mod args;
mod body;
mod changes;
mod config;
mod connect;
mod credentials;
mod debug_log;
mod doctor;
mod dry_run;
mod failure;
mod find;
#[rustfmt::skip]
#[allow(
    missing_docs,
    dead_code,
    unused_variables,
    unused_imports,
    clippy::all,
    clippy::pedantic
)]
mod generated_cli;
mod hours;
mod jq;
mod login;
mod output;
mod progress;
mod roster;
mod rows;
mod table;
mod tasks;
mod upload;
mod when;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use crewsense::time::DateRange;

use crate::args::{Args, Auth, Command, Range};
use crate::failure::Failure;
use crate::output::{Format, Output};
use crate::tasks::TimeOffView;
use crate::when::Zones;

/// The whole command tree, `crewsense api` included.
pub fn command() -> clap::Command {
    Args::command()
}

/// Runs the command line of this process and returns its exit status.
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error)
            if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            // `crewsense` or `crewsense auth` alone: what there is to choose from.
            eprint!("{}", error.render());
            return ExitCode::from(2);
        }
        Err(error) if error.use_stderr() => {
            // One line: what is wrong (clap's first paragraph). `--help` says the rest.
            let text = error.render().to_string();
            let first: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|line| !line.is_empty())
                .collect();
            eprintln!("{} (see --help)", first.join(" "));
            return ExitCode::from(2);
        }
        Err(help) => {
            // `--help` and `--version` (coloured only on a terminal); a closed stdout
            // is no failure here.
            let _ = help.print();
            return ExitCode::SUCCESS;
        }
    };
    if let Err(failure) = debug_log::init(args.global.debug) {
        eprintln!("crewsense: {failure}");
        return ExitCode::from(failure.exit_code());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("crewsense: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::OutputClosed) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("crewsense: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(args: Args) -> Result<(), Failure> {
    let global = &args.global;
    let config = config::load(&config::path()?)?;
    let profile = config.profile_name(global.profile.as_deref());
    let preferences = config.preferences(&profile);
    let output = |format: Option<Format>| {
        Output::new(
            format,
            preferences.format,
            global.fields.as_deref(),
            global.jq.as_deref(),
        )
    };
    let tz_env = std::env::var("TZ").ok();
    let zones = Zones {
        flag: global.tz.as_deref(),
        profile: preferences
            .timezone
            .as_deref()
            .map(|zone| (zone, profile.as_str())),
        env: tz_env.as_deref(),
    };
    // Connecting reads credentials or starts the sandbox: only the commands that send
    // requests do it.
    let default_profile = config.profile_name(None);
    let connection = async || connect::connect(global, &default_profile).await;
    match args.command {
        Command::Completions { shell } => {
            let mut out = tasks::stdout();
            clap_complete::generate(shell, &mut command(), "crewsense", &mut out);
            Ok(out.flush()?)
        }
        Command::Man => {
            let mut out = tasks::stdout();
            clap_mangen::Man::new(command()).render(&mut out)?;
            Ok(out.flush()?)
        }
        Command::Auth(Auth::Login {
            client_id,
            base_url,
        }) => login::login(&profile, client_id, base_url, global.tz.clone()),
        Command::Auth(Auth::Check) => {
            let output = output(global.format)?;
            tasks::auth_check(&connection().await?.client, &output).await
        }
        Command::Schedule(range) => {
            let (output, days) = (output(global.format)?, days(&range)?);
            tasks::schedule(&connection().await?.client, days, &output).await
        }
        Command::TimeOff(a) => {
            let view = if a.summary {
                TimeOffView::Summary { by_user: a.by_user }
            } else {
                TimeOffView::Entries
            };
            let (output, days) = (output(global.format)?, days(&a.range)?);
            let client = &connection().await?.client;
            tasks::time_off(client, days, a.user, view, &output).await
        }
        Command::Payroll(a) => {
            let (output, days) = (output(global.format)?, days(&a.range)?);
            let client = &connection().await?.client;
            tasks::payroll(client, days, a.user, &output).await
        }
        Command::Users(a) => {
            let output = output(global.format)?;
            let client = &connection().await?.client;
            match &a.find {
                Some(query) => find::find_user(client, query, &output).await,
                None => tasks::users(client, a.employee_id.as_deref(), &output).await,
            }
        }
        Command::Roster(a) => {
            let output = output(global.format)?;
            roster::roster(&connection().await?.client, a.when.at, zones, &output).await
        }
        Command::Staffing(a) => {
            let output = output(global.format)?;
            match (a.from, a.to) {
                (Some(from), Some(to)) => {
                    let days = days(&Range { from, to })?;
                    let client = &connection().await?.client;
                    roster::short_intervals(client, days, &output).await
                }
                _ => {
                    let client = &connection().await?.client;
                    roster::staffing_at(client, a.when.at, zones, a.all, &output).await
                }
            }
        }
        Command::Hours(a) => {
            let (output, days) = (output(global.format)?, days(&a.range)?);
            let client = &connection().await?.client;
            hours::run(client, &a, days, &output).await
        }
        Command::Changes(a) => {
            if global.format.is_some_and(|f| f != Format::Ndjson) {
                return Err(Failure::usage(
                    "crewsense changes writes one JSON line per change: --format ndjson only",
                ));
            }
            let (output, days) = (output(Some(Format::Ndjson))?, days(&a.range)?);
            let client = &connection().await?.client;
            changes::run(client, &a, days, &output).await
        }
        Command::Api(a) => {
            let output = output(global.format)?;
            api::run(&connection().await?.client, &a, &output).await
        }
        Command::Doctor(a) => {
            let output = output(global.format)?;
            doctor::run(&connection().await?.client, &a, &output).await
        }
    }
}

/// The days of `--from`/`--to`, which must not be empty.
fn days(range: &Range) -> Result<DateRange, Failure> {
    if range.to <= range.from {
        return Err(Failure::usage(format!(
            "--to {} must be after --from {} (--to is the day after the last day)",
            range.to, range.from
        )));
    }
    Ok(DateRange::new(range.from, range.to))
}
