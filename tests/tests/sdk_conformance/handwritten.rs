//! The calls the generated dispatch table does not make: the facade's typed
//! conveniences, and the operations the spec marks `x-crewsense-handwritten` (the
//! multipart upload), which the table sends through the function of their name here.

use crewsense::wire::Id;
use crewsense::{Client, Error};
use crewsense_tests::scenario::Call;
use serde_json::Value;

use super::{body, encode, file, path, query};

/// Sends operation `op_id` with `call` through the facade's typed convenience for it;
/// `None` if the facade has none (or none for this call).
pub async fn convenience(
    client: &Client,
    op_id: &str,
    call: &Call,
) -> Option<Result<Value, Error>> {
    let answer = match op_id {
        "create_shift" => encode(client.create_shift(body(call)).await),
        "update_shift" => encode(client.update_shift(id(call, 0).into(), body(call)).await),
        "delete_shift" => encode(client.delete_shift(id(call, 0).into()).await),
        "delete_time_off" => encode(client.delete_time_off(id(call, 0).into()).await),
        "deny_time_off" => encode(client.deny_time_off(id(call, 0).into()).await),
        "approve_time_off" => encode(client.approve_time_off(id(call, 0).into()).await),
        // The convenience lists everyone; with `employee_id` only the builder fits.
        "list_users" if query::<String>(call, "employee_id").is_none() => {
            encode(client.users().await)
        }
        "get_user" => encode(client.user(id(call, 0).into()).await),
        "get_signup_event" => encode(client.signup_event(id(call, 0).into()).await),
        "list_signup_event_users" => encode(client.signup_event_users(id(call, 0).into()).await),
        _ => return None,
    };
    Some(answer)
}

/// `POST /users/{user_id}/certifications/{id}/file`, multipart.
pub async fn upload_user_certification_file(client: &Client, call: &Call) -> Result<Value, Error> {
    let (user_id, id) = (id(call, 0), id(call, 1));
    encode(
        client
            .upload_certification_file(user_id.into(), id.into(), file(call))
            .await,
    )
}

/// The `index`-th path parameter, an id.
fn id(call: &Call, index: usize) -> Id {
    path(call, index)
}
