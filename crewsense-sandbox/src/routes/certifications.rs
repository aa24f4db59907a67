//! Certifications and users' certification records, with the multipart upload.

use axum::Router;
use axum::extract::{Multipart, State};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::find;
use crate::error::ApiError;
use crate::extract::{Body, Ids};
use crate::render::{IdStyle, user_ref};
use crate::reply::{ApiResult, ack, done, done_created, ok};
use crate::state::App;
use crate::store::{Certification, Store, UserCertification};
use crate::validate::{Check, as_id};

const MODEL: &str = "Certification";
const RECORD: &str = "UserCertification";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/certifications", get(list).post(create))
        .route("/certifications/{id}", get(read).put(update).delete(remove))
        .route(
            "/users/{user_id}/certifications",
            get(user_list).post(user_add).delete(user_clear),
        )
        .route(
            "/users/{user_id}/certifications/{id}",
            get(user_read).put(user_update).delete(user_remove),
        )
        .route(
            "/users/{user_id}/certifications/{id}/file",
            post(user_upload),
        )
}

fn render(app: &App, s: &Store, c: &Certification) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "cert_id": c.cert_id,
        "created_by": user_ref(app, s, c.created_by, IdStyle::Num),
    })
}

/// A certification that is not deleted.
fn live(s: &Store, id: u64) -> Result<&Certification, ApiError> {
    s.certifications
        .get(&id)
        .filter(|c| !c.deleted)
        .ok_or_else(|| ApiError::missing(MODEL))
}

async fn list(State(app): State<App>) -> ApiResult {
    let s = app.read();
    ok(json!(
        s.certifications
            .values()
            .filter(|c| !c.deleted)
            .map(|c| render(&app, &s, c))
            .collect::<Vec<_>>()
    ))
}

async fn read(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let s = app.read();
    ok(render(&app, &s, live(&s, id)?))
}

async fn create(State(app): State<App>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let (name, cert_id, by) = (
        c.req_str("name"),
        c.req_str("cert_id"),
        c.req_id("created_by"),
    );
    let mut s = app.write();
    c.ensure(s.is_user(by), "The selected created by is invalid.");
    c.finish()?;
    let id = s.alloc_id();
    let message = format!("Added new certification {name}.");
    s.certifications.insert(
        id,
        Certification {
            id,
            name,
            cert_id,
            created_by: by,
            deleted: false,
        },
    );
    done_created(message, id)
}

async fn update(State(app): State<App>, Ids([id]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let mut c = Check::new(&map);
    let (name, cert_id) = (c.opt_str("name"), c.opt_str("cert_id"));
    c.finish()?;
    let mut s = app.write();
    live(&s, id)?;
    let cert = s
        .certifications
        .get_mut(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    cert.name = name.unwrap_or_else(|| cert.name.clone());
    cert.cert_id = cert_id.unwrap_or_else(|| cert.cert_id.clone());
    // Production answers this update with status "created".
    ok(ack(
        200,
        "created",
        format!("Updated certification {}.", cert.name),
        Some(id),
    ))
}

async fn remove(State(app): State<App>, Ids([id]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    let cert = s
        .certifications
        .get_mut(&id)
        .ok_or_else(|| ApiError::missing(MODEL))?;
    if cert.deleted {
        return Err(ApiError::BadRequest(
            "Certification already deleted.".into(),
        ));
    }
    cert.deleted = true;
    done(format!("Deleted certification {}.", cert.name), None)
}

fn record_body(r: &UserCertification) -> Value {
    Value::Object(r.details.clone())
}

/// The record `id` of `user`, or 404.
fn record(s: &mut Store, user: u64, id: u64) -> Result<&mut UserCertification, ApiError> {
    find(&s.users, user, "User")?;
    s.user_certifications
        .get_mut(&id)
        .filter(|r| r.user_id == user)
        .ok_or_else(|| ApiError::missing(RECORD))
}

/// Merges the free-form body into a record's details, keeping the ids it owns.
fn merge(r: &mut UserCertification, body: &Map<String, Value>) {
    for (k, v) in body {
        if k != "id" && k != "user_id" {
            r.details.insert(k.clone(), v.clone());
        }
    }
}

async fn user_list(State(app): State<App>, Ids([user]): Ids<1>) -> ApiResult {
    let s = app.read();
    find(&s.users, user, "User")?;
    ok(json!(
        s.user_certifications
            .values()
            .filter(|r| r.user_id == user)
            .map(record_body)
            .collect::<Vec<_>>()
    ))
}

async fn user_add(State(app): State<App>, Ids([user]): Ids<1>, body: Body) -> ApiResult {
    let map = body.object();
    let cert = map
        .get("certification_id")
        .or_else(|| map.get("id"))
        .and_then(as_id);
    let mut s = app.write();
    find(&s.users, user, "User")?;
    let Some(cert) = cert.filter(|c| live(&s, *c).is_ok()) else {
        return Err(ApiError::invalid(
            "The selected certification id is invalid.",
        ));
    };
    let id = s.alloc_id();
    let (name, code) = (
        s.certifications[&cert].name.clone(),
        s.certifications[&cert].cert_id.clone(),
    );
    let mut r = UserCertification {
        user_id: user,
        details: Map::new(),
    };
    r.details.extend([
        ("id".to_owned(), json!(id)),
        ("user_id".to_owned(), json!(user)),
        ("name".to_owned(), json!(name)),
        ("cert_id".to_owned(), json!(code)),
        ("file".to_owned(), Value::Null),
    ]);
    merge(&mut r, &map);
    r.details.insert("certification_id".into(), json!(cert));
    s.user_certifications.insert(id, r);
    done_created(
        format!("Added certification {name} to {}.", s.user_name(user)),
        id,
    )
}

async fn user_clear(State(app): State<App>, Ids([user]): Ids<1>) -> ApiResult {
    let mut s = app.write();
    find(&s.users, user, "User")?;
    s.user_certifications.retain(|_, r| r.user_id != user);
    done("Deleted all certifications of the user.", None)
}

async fn user_read(State(app): State<App>, Ids([user, id]): Ids<2>) -> ApiResult {
    ok(record_body(record(&mut app.write(), user, id)?))
}

async fn user_update(State(app): State<App>, Ids([user, id]): Ids<2>, body: Body) -> ApiResult {
    let map = body.object();
    merge(record(&mut app.write(), user, id)?, &map);
    done("Updated the certification record.", Some(id))
}

async fn user_remove(State(app): State<App>, Ids([user, id]): Ids<2>) -> ApiResult {
    let mut s = app.write();
    record(&mut s, user, id)?;
    s.user_certifications.remove(&id);
    done("Deleted the certification record.", Some(id))
}

/// What the sandbox keeps of an uploaded file, so that tests can read it back.
struct Upload {
    name: String,
    content_type: Option<String>,
    size: usize,
    /// FNV-1a of the bytes: proves the content arrived intact without storing it.
    fnv1a: u64,
}

/// The `file` part of a multipart body.
async fn file_part(mut form: Multipart) -> Result<Upload, ApiError> {
    let bad = |_: axum::extract::multipart::MultipartError| {
        ApiError::BadRequest("The multipart body is malformed.".into())
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_owned();
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(bad)?;
            let fnv1a = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
            });
            return Ok(Upload {
                name,
                content_type,
                size: bytes.len(),
                fnv1a,
            });
        }
    }
    Err(ApiError::invalid("The file field is required."))
}

async fn user_upload(
    State(app): State<App>,
    Ids([user, id]): Ids<2>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult {
    record(&mut app.write(), user, id)?;
    let form = form.map_err(|_| ApiError::invalid("The file field is required."))?;
    let Upload {
        name,
        content_type,
        size,
        fnv1a,
    } = file_part(form).await?;
    let mut s = app.write();
    let file = json!({ "name": name, "size": size, "content_type": content_type, "fnv1a": fnv1a });
    record(&mut s, user, id)?
        .details
        .insert("file".into(), file);
    done(format!("Uploaded {name} ({size} bytes)."), Some(id))
}
