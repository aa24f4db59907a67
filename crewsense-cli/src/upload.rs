//! `crewsense api upload-user-certification-file`: the API's one multipart operation,
//! which the generator skips, sent by hand through the generated client's hooks (so
//! it carries the token and follows the retry policy like every other operation).

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use crewsense::Client;
use crewsense::types;
use crewsense::wire::Id;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{ACCEPT, HeaderValue};

use crate::api::{api_error, print_json};
use crate::failure::Failure;

/// The command's name: the operationId in kebab case.
pub const NAME: &str = "upload-user-certification-file";

const OPERATION: OperationInfo = OperationInfo {
    operation_id: "upload_user_certification_file",
};

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
}

/// Uploads the file and prints the API's answer.
pub async fn run(client: &Client, matches: &ArgMatches) -> Result<(), Failure> {
    let id = |name: &str| {
        matches
            .get_one::<Id>(name)
            .copied()
            .ok_or_else(|| Failure::usage(format!("{NAME}: --{name} is required")))
    };
    let (user_id, id) = (id("user-id")?, id("id")?);
    let path = matches
        .get_one::<PathBuf>("file")
        .ok_or_else(|| Failure::usage(format!("{NAME}: --file is required")))?;
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("{NAME}: failed to read {}: {e}", path.display())))?;
    let file_name = path
        .file_name()
        .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name),
    );

    let api = client.generated_client().await?;
    let url = format!("{}/users/{user_id}/certifications/{id}/file", api.baseurl());
    let mut request = api
        .client()
        .post(url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header("api-version", crewsense_gen::Client::api_version())
        .multipart(form)
        .build()
        .map_err(|e| Failure::usage(format!("{NAME}: {e}")))?;
    api.pre::<types::Error>(&mut request, &OPERATION)
        .await
        .map_err(|e| Failure::Api(format!("{NAME}: {e}")))?;
    let response = api
        .exec(request, &OPERATION)
        .await
        .map_err(|e| Failure::Api(format!("{NAME}: could not reach the API: {e}")))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| Failure::Api(format!("{NAME}: could not read the answer: {e}")))?;
    if !status.is_success() {
        return Err(match serde_json::from_slice::<types::Error>(&body) {
            Ok(document) => api_error(NAME, status, document),
            Err(_) => Failure::Api(format!("{NAME}: unexpected {status} answer")),
        });
    }
    let answer: types::ActionResult = serde_json::from_slice(&body)
        .map_err(|e| Failure::Api(format!("{NAME}: could not decode the answer: {e}")))?;
    Ok(print_json(&answer)?)
}
