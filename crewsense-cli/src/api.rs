//! `crewsense api <operation>`: the generated command of every operation, run with
//! an authenticated generated client, answers printed as JSON.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use crewsense::Client;
use crewsense::api::{Error as ApiError, ResponseValue};
use crewsense::paginate::Paginated;
use crewsense::time::{DateRange, LocalDateTime};
use crewsense::types;
use futures::TryStreamExt;
use serde::Serialize;

use crate::failure::{Failure, api_error};
use crate::generated_cli::{Cli, CliCommand, CliConfig};
use crate::output::{Format, print_json};
use crate::progress;
use crate::upload;

/// The flag that follows the pages of a paged operation.
const ALL: &str = "all";

/// The operations `--all` can follow, by paging scheme.
const PAGED: &[&str] = &[
    "list-time-offs",
    "list-callbacks",
    "list-announcements",
    "list-logs",
];

/// The parsed `api` subcommand: which operation, and its flags.
#[derive(Debug, Clone)]
pub struct ApiArgs(ArgMatches);

impl FromArgMatches for ApiArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(ApiArgs(matches.clone()))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0 = matches.clone();
        Ok(())
    }
}

impl clap::Args for ApiArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.subcommand_required(true)
            .arg(
                Arg::new(ALL)
                    .long(ALL)
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help(format!(
                        "Follow every page and print all items as one array ({})",
                        PAGED.join(", ")
                    )),
            )
            .subcommands(CliCommand::iter().map(operation_command))
            .subcommand(upload::command())
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// The command-line name of an operation: its `operationId` in kebab case.
pub fn command_name(operation: CliCommand) -> String {
    operation.operation_id().replace('_', "-")
}

/// The generated command of `operation`, named, with its body file as `--body`.
fn operation_command(operation: CliCommand) -> Command {
    let mut cmd = Cli::<Printer>::get_command(operation).name(command_name(operation));
    if cmd.get_arguments().any(|a| a.get_id() == "json-body") {
        // A body field that is itself called `body` (announcements) gives way.
        if cmd.get_arguments().any(|a| a.get_id() == "body") {
            cmd = cmd.mut_arg("body", |a| a.long("body-text"));
        }
        cmd = cmd.mut_arg("json-body", |a| a.long("body"));
    }
    cmd
}

/// Runs the operation chosen in `args`.
pub async fn run(client: &Client, args: &ApiArgs, format: Format) -> Result<(), Failure> {
    let Some((name, matches)) = args.0.subcommand() else {
        return Err(Failure::usage(
            "api: name an operation (see `crewsense api --help`)",
        ));
    };
    if name == upload::NAME {
        return upload::run(client, matches).await;
    }
    let operation = CliCommand::iter()
        .find(|op| command_name(*op) == name)
        .ok_or_else(|| Failure::usage(format!("api: unknown operation `{name}`")))?;
    if matches.get_flag(ALL) {
        return all_pages(client, name, matches, format).await;
    }
    let printer = Printer::default();
    let failed = printer.failed.clone();
    let cli = Cli::new(client.generated_client().await?, printer);
    let result = cli.execute(operation, matches).await;
    if let Some(error) = failed.borrow_mut().take() {
        return Err(error.into());
    }
    result.map_err(|error| failure(name, error))
}

/// Prints answers as pretty JSON on stdout; remembers a failed write, since the
/// generated code gives it no way to report one.
#[derive(Debug, Default)]
pub struct Printer {
    failed: Rc<RefCell<Option<io::Error>>>,
}

impl Printer {
    fn print<T: Serialize>(&self, value: &T) {
        if let Err(error) = print_json(value) {
            self.failed.borrow_mut().get_or_insert(error);
        }
    }
}

impl CliConfig for Printer {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: Serialize + std::fmt::Debug,
    {
        self.print(value.as_ref());
    }

    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    // Failures are reported once, by `run`, from the error it returns.
    fn error<T>(&self, _value: &ApiError<T>)
    where
        T: Serialize + std::fmt::Debug,
    {
    }

    fn list_start<T>(&self)
    where
        T: Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: Serialize + std::fmt::Debug,
    {
        self.print(value);
    }

    fn list_end_success<T>(&self)
    where
        T: Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error<T>(&self, _value: &ApiError<T>)
    where
        T: Serialize + std::fmt::Debug,
    {
    }
}

/// What a failed generated command means: the API's error, or a bad body file.
fn failure(operation: &str, error: anyhow::Error) -> Failure {
    match error.downcast::<ApiError<types::Error>>() {
        Ok(error) => api_failure(operation, error),
        // The generated code's own failures: the body file could not be read or
        // is not the operation's JSON.
        Err(other) => Failure::Usage(format!("{operation}: {other:#}")),
    }
}

/// One line for an error of the generated client; never its headers.
fn api_failure(operation: &str, error: ApiError<types::Error>) -> Failure {
    match error {
        ApiError::ErrorResponse(answer) => {
            let status = answer.status();
            api_error(operation, status, answer.into_inner())
        }
        ApiError::UnexpectedResponse(answer) => Failure::Api(format!(
            "{operation}: unexpected {} answer",
            answer.status()
        )),
        ApiError::InvalidResponsePayload(_, e) => {
            Failure::Api(format!("{operation}: could not decode the answer: {e}"))
        }
        ApiError::CommunicationError(e)
        | ApiError::ResponseBodyError(e)
        | ApiError::InvalidUpgrade(e) => {
            Failure::Api(format!("{operation}: could not reach the API: {e}"))
        }
        ApiError::InvalidRequest(message) => Failure::Usage(format!("{operation}: {message}")),
        ApiError::Custom(message) => Failure::Api(format!("{operation}: {message}")),
    }
}

/// `--all`: every page of a paged operation, through the facade's paging.
async fn all_pages(
    client: &Client,
    name: &str,
    matches: &ArgMatches,
    format: Format,
) -> Result<(), Failure> {
    let local = |id: &str| {
        matches
            .try_get_one::<LocalDateTime>(id)
            .ok()
            .flatten()
            .copied()
    };
    let range = match (local("start"), local("end")) {
        (Some(start), Some(end)) => Some(DateRange::new(start.date(), end.date())),
        _ => None,
    };
    match name {
        "list-time-offs" => {
            let range =
                range.ok_or_else(|| Failure::usage("list-time-offs needs --start and --end"))?;
            print_pages(client.time_offs(range), format).await
        }
        "list-callbacks" => print_pages(client.callbacks(range), format).await,
        "list-announcements" => print_pages(client.announcements(), format).await,
        "list-logs" => print_pages(client.logs(local("after")), format).await,
        _ => Err(Failure::usage(format!(
            "{name} is not paged: --all works with {}",
            PAGED.join(", ")
        ))),
    }
}

/// Writes every item of every page: one JSON array, or one line per item for
/// `ndjson`, as the pages arrive.
async fn print_pages<T: Serialize + Send + 'static>(
    paginated: Paginated<T>,
    format: Format,
) -> Result<(), Failure> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let lines = format == Format::Ndjson;
    let bar = progress::pages(None);
    let mut pages = paginated.pages();
    let mut count = 0usize;
    if !lines {
        out.write_all(b"[")?;
    }
    while let Some(page) = pages.try_next().await? {
        for item in &page.items {
            if !lines {
                out.write_all(if count == 0 { b"\n  " } else { b",\n  " })?;
            }
            serde_json::to_writer(&mut out, item).map_err(io::Error::from)?;
            if lines {
                out.write_all(b"\n")?;
            }
            count += 1;
        }
        out.flush()?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !lines {
        out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" })?;
    }
    out.flush()?;
    Ok(())
}
