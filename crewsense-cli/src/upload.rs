//! `crewsense api upload-user-certification-file`: the API's one multipart operation,
//! which the generator skips, sent with the SDK's
//! [`Client::upload_certification_file`] (its size limit, content type, call timeout,
//! retries and errors).

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use crewsense::ids::{CertificationId, UserId};
use crewsense::wire::Id;
use crewsense::{CertificationFile, Client};

use crate::failure::Failure;
use crate::output::Output;
use crate::tasks::stdout;

/// The command's name: the operationId in kebab case.
pub const NAME: &str = "upload-user-certification-file";

/// The command and its flags.
pub fn command() -> Command {
    Command::new(NAME)
        .about(
            "Upload the certificate file of a user's certification.\n\n\
             Sends the document (PDF, JPEG or Word) as multipart/form-data with one `file` part.",
        )
        .arg(
            Arg::new("user-id")
                .long("user-id")
                .required(true)
                .value_parser(clap::value_parser!(Id))
                .help("The user."),
        )
        .arg(
            Arg::new("id")
                .long("id")
                .required(true)
                .value_parser(clap::value_parser!(Id))
                .help("The certification."),
        )
        .arg(
            Arg::new("file")
                .long("file")
                .required(true)
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The certificate document to upload."),
        )
        .arg(
            Arg::new("content-type")
                .long("content-type")
                .value_name("TYPE")
                .help("The document's MIME type [default: from the file's extension]."),
        )
}

/// Uploads the file and prints the API's answer.
pub async fn run(client: &Client, matches: &ArgMatches, output: &Output) -> Result<(), Failure> {
    let id = |name: &str| {
        matches
            .get_one::<Id>(name)
            .copied()
            .ok_or_else(|| Failure::usage(format!("{NAME}: --{name} is required")))
    };
    let (user_id, id) = (
        UserId::from(id("user-id")?),
        CertificationId::from(id("id")?),
    );
    let path = matches
        .get_one::<PathBuf>("file")
        .ok_or_else(|| Failure::usage(format!("{NAME}: --file is required")))?;
    let mut file = CertificationFile::open(path)
        .await
        .map_err(|e| Failure::usage(format!("{NAME}: failed to read {}: {e}", path.display())))?;
    if let Some(content_type) = matches.get_one::<String>("content-type") {
        file = file.content_type(content_type);
    }
    let answer = client.upload_certification_file(user_id, id, file).await?;
    output.write_json(&mut stdout(), &answer)
}
