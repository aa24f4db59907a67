//! `crewsense api <operation>`: the generated command of every operation, run with
//! an authenticated generated client, answers printed as JSON.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Write};
use std::rc::Rc;

use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use crewsense::Client;
use crewsense::api::{Error as ApiError, ResponseValue};
use crewsense::paginate::Paginated;
use crewsense::time::{DateRange, LocalDateTime};
use crewsense::types;
use futures::TryStreamExt;
use serde::Serialize;

use crate::dry_run;
use crate::failure::{Failure, api_error};
use crate::generated_cli::{Cli, CliCommand, CliConfig};
use crate::output::{Format, Output};
use crate::progress;
use crate::tasks::stdout;
use crate::upload;

/// The flag that follows the pages of a paged operation.
const ALL: &str = "all";

/// The flag that prints the request instead of sending it.
const DRY_RUN: &str = "dry-run";

/// The flag that confirms a DELETE or a batch finalization without a question.
const YES: &str = "yes";

/// The operations that finalize (or unfinalize) many assignments at once, which ask
/// for confirmation as a DELETE does.
const BATCH_FINALIZATION: &[&str] = &["finalize_assignments", "unfinalize_assignments"];

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
            .arg(
                Arg::new(DRY_RUN)
                    .long(DRY_RUN)
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help(
                        "Print the request that would be sent (method, URL, body; never the \
                         token) and send nothing",
                    ),
            )
            .arg(
                Arg::new(YES)
                    .long(YES)
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help(
                        "Send a DELETE or a batch finalization without asking (needed when \
                         standard input is not a terminal)",
                    ),
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
pub async fn run(client: &Client, args: &ApiArgs, output: &Output) -> Result<(), Failure> {
    let Some((name, matches)) = args.0.subcommand() else {
        return Err(Failure::usage(
            "api: name an operation (see `crewsense api --help`)",
        ));
    };
    output.no_fields("api")?;
    let dry = matches.get_flag(DRY_RUN);
    if name == upload::NAME {
        if dry {
            return Err(Failure::usage(format!(
                "{name}: --dry-run prints JSON requests; this one sends a file"
            )));
        }
        return upload::run(client, matches, output).await;
    }
    let operation = CliCommand::iter()
        .find(|op| command_name(*op) == name)
        .ok_or_else(|| Failure::usage(format!("api: unknown operation `{name}`")))?;
    if dry {
        return dry_run::run(client, operation, matches, output).await;
    }
    confirm(operation, name, matches.get_flag(YES))?;
    if matches.get_flag(ALL) {
        return all_pages(client, name, matches, output).await;
    }
    let printer = Printer::new(Some(output));
    let failed = printer.failed.clone();
    let cli = Cli::new(client.generated_client().await?, printer);
    let result = cli.execute(operation, matches).await;
    if let Some(error) = failed.borrow_mut().take() {
        return Err(error);
    }
    result.map_err(|error| failure(name, error))
}

/// The HTTP method of `operation`, upper case.
pub fn method(operation: CliCommand) -> &'static str {
    crewsense_gen::catalog::Operation::by_id(operation.operation_id()).map_or("GET", |op| op.method)
}

/// A DELETE or a batch finalization goes ahead with `--yes`, or once the user says
/// so on a terminal; without a terminal, `--yes` is needed.
fn confirm(operation: CliCommand, name: &str, yes: bool) -> Result<(), Failure> {
    let method = method(operation);
    let asks = method == "DELETE" || BATCH_FINALIZATION.contains(&operation.operation_id());
    if !asks || yes {
        return Ok(());
    }
    let stdin = io::stdin();
    if !stdin.is_terminal() || !io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "{name} sends {method} and standard input is not a terminal to confirm it: \
             pass --yes to send it, or --dry-run to see it"
        )));
    }
    eprint!("crewsense: {name} sends {method}. Send it? [y/N] ");
    let mut answer = String::new();
    stdin
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("could not read the answer: {e}")))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::usage(format!(
            "{name}: not confirmed; nothing was sent"
        ))),
    }
}

/// Prints answers as JSON on stdout (through `--jq`), or nothing without an
/// [`Output`]; remembers a failed write, since the generated code gives it no way to
/// report one.
pub struct Printer<'o> {
    output: Option<&'o Output>,
    failed: Rc<RefCell<Option<Failure>>>,
}

impl<'o> Printer<'o> {
    /// A printer writing as `output` says, or a silent one.
    pub fn new(output: Option<&'o Output>) -> Self {
        Printer {
            output,
            failed: Rc::default(),
        }
    }

    fn print<T: Serialize>(&self, value: &T) {
        let Some(output) = self.output else { return };
        if self.failed.borrow().is_some() {
            return;
        }
        if let Err(error) = output.write_json(&mut stdout(), value) {
            self.failed.borrow_mut().get_or_insert(error);
        }
    }
}

impl CliConfig for Printer<'_> {
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
    output: &Output,
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
            print_pages(client.time_offs(range), output).await
        }
        "list-callbacks" => print_pages(client.callbacks(range), output).await,
        "list-announcements" => print_pages(client.announcements(), output).await,
        "list-logs" => print_pages(client.logs(local("after")), output).await,
        _ => Err(Failure::usage(format!(
            "{name} is not paged: --all works with {}",
            PAGED.join(", ")
        ))),
    }
}

/// Writes every item of every page: one JSON array (filtered as a whole by `--jq`),
/// or one line per item for `ndjson` (each filtered by `--jq`), as the pages arrive.
/// A closed output stops the fetching.
async fn print_pages<T: Serialize + Send + 'static>(
    paginated: Paginated<T>,
    output: &Output,
) -> Result<(), Failure> {
    let mut out = stdout();
    let lines = output.format == Format::Ndjson;
    // The array for `--jq`, which reads it whole.
    let mut kept = (!lines && output.jq.is_some()).then(|| b"[".to_vec());
    let bar = progress::pages(None);
    let mut pages = paginated.pages();
    let mut count = 0usize;
    while let Some(page) = pages.try_next().await? {
        for item in &page.items {
            let text = serde_json::to_vec(item).map_err(io::Error::from)?;
            match (&mut kept, &output.jq) {
                (Some(kept), _) => {
                    if count > 0 {
                        kept.push(b',');
                    }
                    kept.extend_from_slice(&text);
                }
                (None, Some(jq)) if lines => jq.run(&text, &mut out)?,
                (None, _) if lines => {
                    out.write_all(&text)?;
                    out.write_all(b"\n")?;
                }
                (None, _) => {
                    out.write_all(if count == 0 { b"[\n  " } else { b",\n  " })?;
                    out.write_all(&text)?;
                }
            }
            count += 1;
        }
        out.flush()?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    match (kept, &output.jq) {
        (Some(mut kept), Some(jq)) => {
            kept.push(b']');
            jq.run(&kept, &mut out)?;
        }
        _ if lines => {}
        _ => out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?,
    }
    Ok(out.flush()?)
}
