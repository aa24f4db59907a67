//! The command line's grammar.

use clap::{Parser, Subcommand};
use crewsense::time::Date;

use crate::api::ApiArgs;
use crate::changes::ChangesArgs;
use crate::doctor::DoctorArgs;
use crate::hours::HoursArgs;
use crate::output::Format;
use crate::when::At;

/// The CrewSense scheduling API from the command line: exports for schedule, time
/// off, payroll and users, and every API operation under `crewsense api`.
///
/// Credentials come from CREWSENSE_CLIENT_ID and CREWSENSE_CLIENT_SECRET (and
/// CREWSENSE_BASE_URL), or from a profile stored by `crewsense auth login`.
/// config.toml, beside credentials.toml, keeps the default profile and each
/// profile's format and time zone.
/// Exit status: 0 success, 1 API or network error, 2 usage error, 3 refused
/// credentials, 4 `users --find` matched nobody, 5 it matched several people.
#[derive(Debug, Parser)]
#[command(name = "crewsense", version)]
pub struct Args {
    /// Settings of every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings of every command.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Run against an embedded CrewSense sandbox with seeded data (no account needed).
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Run against an embedded sandbox serving the department captured in DIR
    /// (`crewsense doctor --capture DIR`) instead of the seeded one.
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "sandbox")]
    pub sandbox_department: Option<std::path::PathBuf>,
    /// Use the credentials of this profile from credentials.toml, and its
    /// preferences from config.toml [default: config.toml's `default_profile`, else
    /// `default`].
    #[arg(long, global = true, value_name = "NAME", env = "CREWSENSE_PROFILE")]
    pub profile: Option<String>,
    /// Output format [default: the profile's `format`, else table on a terminal and
    /// json otherwise].
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// The columns of a task command (table and CSV columns, JSON keys), in this
    /// order: `--fields date,name,start`.
    #[arg(long, global = true, value_name = "A,B,C")]
    pub fields: Option<String>,
    /// Filter the JSON output with a jq expression (jaq): `--jq '.[].name'`. Strings
    /// are printed raw, other values as compact JSON, one per line.
    #[arg(long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,
    /// The organisation's IANA time zone (America/Phoenix), for `--at now`, and
    /// what `auth login` stores [default: the profile's `timezone`, else TZ, else
    /// this machine's zone].
    #[arg(long, global = true, value_name = "ZONE", alias = "timezone")]
    pub tz: Option<String>,
    /// Log each HTTP attempt (method, URL, status, duration, attempt, retry wait,
    /// bytes) and each token fetch to standard error, one line each. CREWSENSE_LOG
    /// sets another filter (`target=level` pairs, such as `crewsense=debug`).
    #[arg(long, global = true)]
    pub debug: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One row per person on a shift: date, assignment, name, employee id, start,
    /// end, hours, work type, labels.
    Schedule(Range),
    /// One row per time-off entry, or totals per type with --summary.
    TimeOff(TimeOffArgs),
    /// The payroll entries: employee id, name, date, work code, hours...
    Payroll(PayrollArgs),
    /// The organisation's users.
    Users(UsersArgs),
    /// Who is on duty at an instant: one row per person, with their assignment,
    /// shift and qualifiers.
    Roster(RosterArgs),
    /// Staffing against the minimums: at an instant, one row per assignment (the
    /// short ones unless --all); over --from/--to, one row per short interval.
    Staffing(StaffingArgs),
    /// Hours worked per person and work period, and the hours over the period's
    /// overtime threshold: one row per person and period.
    Hours(HoursArgs),
    /// What changes in the schedule: one JSON line per change as it is seen, until
    /// interrupted (Ctrl-C ends it with exit status 0).
    Changes(ChangesArgs),
    /// Check or store credentials.
    #[command(subcommand)]
    Auth(Auth),
    /// Any API operation, by its operationId in kebab case (`crewsense api list-users`).
    Api(ApiArgs),
    /// Print the completion script of a shell (see the README for where it goes).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `crewsense man | man -l -`.
    Man,
    /// Check the account against the spec, read-only: the token, the clock, and every
    /// GET operation (status, latency, size, values that do not decode, members the
    /// spec does not know). Exit 1 if an operation failed. --capture DIR writes the
    /// answers, scrubbed of personal data, as contract-test fixtures.
    Doctor(DoctorArgs),
}

/// A range of days.
#[derive(Debug, clap::Args)]
pub struct Range {
    /// The first day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Date,
    /// The day after the last day (YYYY-MM-DD, exclusive: --from 2025-06-02
    /// --to 2025-06-09 is one week).
    #[arg(long, value_name = "DATE")]
    pub to: Date,
}

/// `time-off`'s arguments.
#[derive(Debug, clap::Args)]
pub struct TimeOffArgs {
    /// The days.
    #[command(flatten)]
    pub range: Range,
    /// Only this user's entries (the user id).
    #[arg(long, value_name = "ID")]
    pub user: Option<u64>,
    /// Totals per time-off type instead of the entries.
    #[arg(long)]
    pub summary: bool,
    /// With --summary: totals per person and type.
    #[arg(long, requires = "summary")]
    pub by_user: bool,
}

/// `payroll`'s arguments.
#[derive(Debug, clap::Args)]
pub struct PayrollArgs {
    /// The days.
    #[command(flatten)]
    pub range: Range,
    /// Only this user's entries (the user id).
    #[arg(long, value_name = "ID")]
    pub user: Option<u64>,
}

/// `users`' arguments.
#[derive(Debug, clap::Args)]
pub struct UsersArgs {
    /// Only the user with this employee id (the organisation's own number).
    #[arg(long, value_name = "ID")]
    pub employee_id: Option<String>,
    /// The one user this names: an employee id, a user id, an e-mail, or a name
    /// (`first last` or `last, first`; case and accents ignored). Exit 4 when nobody
    /// matches, 5 when several do (listed on stderr).
    #[arg(long, value_name = "TEXT", conflicts_with = "employee_id")]
    pub find: Option<String>,
}

/// The instant of `roster` and `staffing` (`now` is read in the zone of --tz).
#[derive(Debug, clap::Args)]
pub struct When {
    /// The instant, `YYYY-MM-DD hh:mm[:ss]` in the organisation's time, or `now`.
    #[arg(long, value_name = "TIME")]
    pub at: Option<At>,
}

/// `roster`'s arguments.
#[derive(Debug, clap::Args)]
pub struct RosterArgs {
    /// When [default: --at now].
    #[command(flatten)]
    pub when: When,
}

/// `staffing`'s arguments.
#[derive(Debug, clap::Args)]
pub struct StaffingArgs {
    /// When, for one instant [default: --at now].
    #[command(flatten)]
    pub when: When,
    /// The first day of a range (YYYY-MM-DD), instead of --at.
    #[arg(long, value_name = "DATE", requires = "to", conflicts_with = "at")]
    pub from: Option<Date>,
    /// The day after the last day of the range (exclusive).
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<Date>,
    /// At an instant, every assignment, not only the short ones.
    #[arg(long, conflicts_with = "from")]
    pub all: bool,
}

/// `auth`'s commands.
#[derive(Debug, Subcommand)]
pub enum Auth {
    /// Obtain an access token and say how long it is valid (the token is never shown).
    Check,
    /// Store credentials as a profile (--profile, default `default`) in
    /// credentials.toml, mode 0600, and --tz in config.toml. The secret is read
    /// from standard input, or prompted for on a terminal; it is never accepted as
    /// a flag.
    Login {
        /// The OAuth client id.
        #[arg(long, value_name = "ID")]
        client_id: String,
        /// The API's base URL, if not the production one.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}
