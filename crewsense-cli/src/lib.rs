#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod api;
mod args;
mod body;
mod changes;
mod connect;
mod credentials;
mod debug_log;
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
mod login;
mod output;
mod progress;
mod roster;
mod rows;
mod tasks;
mod upload;
mod when;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use crewsense::time::DateRange;

use crate::args::{Args, Auth, Command, Range};
use crate::failure::Failure;
use crate::output::Format;
use crate::tasks::TimeOffView;

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
    let format = Format::resolve(args.global.format);
    let global = &args.global;
    // Connecting reads credentials or starts the sandbox: only the commands that send
    // requests do it (all but `auth login`).
    let connection = async || connect::connect(global).await;
    match args.command {
        Command::Auth(Auth::Login {
            client_id,
            base_url,
            timezone,
        }) => {
            let name = global
                .profile
                .as_deref()
                .unwrap_or(connect::DEFAULT_PROFILE);
            login::login(name, client_id, base_url, timezone)
        }
        Command::Auth(Auth::Check) => tasks::auth_check(&connection().await?.client, format).await,
        Command::Schedule(range) => {
            tasks::schedule(&connection().await?.client, days(&range)?, format).await
        }
        Command::TimeOff(a) => {
            let view = if a.summary {
                TimeOffView::Summary { by_user: a.by_user }
            } else {
                TimeOffView::Entries
            };
            let client = &connection().await?.client;
            tasks::time_off(client, days(&a.range)?, a.user, view, format).await
        }
        Command::Payroll(a) => {
            let client = &connection().await?.client;
            tasks::payroll(client, days(&a.range)?, a.user, format).await
        }
        Command::Users(a) => {
            let client = &connection().await?.client;
            match &a.find {
                Some(query) => find::find_user(client, query, format).await,
                None => tasks::users(client, a.employee_id.as_deref(), format).await,
            }
        }
        Command::Roster(a) => roster::roster(&connection().await?, &a.when, format).await,
        Command::Staffing(a) => {
            let connection = connection().await?;
            match (a.from, a.to) {
                (Some(from), Some(to)) => {
                    let days = days(&Range { from, to })?;
                    roster::short_intervals(&connection, days, format).await
                }
                _ => roster::staffing_at(&connection, &a.when, a.all, format).await,
            }
        }
        Command::Hours(a) => {
            let client = &connection().await?.client;
            hours::run(client, &a, days(&a.range)?, format).await
        }
        Command::Changes(a) => {
            let client = &connection().await?.client;
            changes::run(client, &a, days(&a.range)?, global.format).await
        }
        Command::Api(a) => api::run(&connection().await?.client, &a, format).await,
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
