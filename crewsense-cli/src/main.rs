//! `crewsense`: the CrewSense scheduling API from the command line.

fn main() -> std::process::ExitCode {
    crewsense_cli::main()
}
