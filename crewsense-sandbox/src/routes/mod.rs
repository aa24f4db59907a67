//! The HTTP surface: the token endpoint and one module per section of the API
//! reference, each exposing its routes with the spec's exact path templates.

mod accruals;
mod announcements;
mod assignments;
mod availability;
mod bulletin_board;
mod callbacks;
mod certifications;
mod company;
mod control;
mod filters;
mod forms;
mod groups;
mod labels;
mod lists;
mod logs;
mod oauth;
mod payroll;
mod qualifiers;
mod ready_alerts;
mod schedule;
mod shifts;
mod signup_events;
mod target_solutions;
mod time_offs;
mod trades;
mod users;
mod visual_cycles;
mod work_types;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};

use crate::error::ApiError;
use crate::etag::etag;
use crate::layers::{observe, require_token};
use crate::state::App;
use crate::store::{SoftDelete, Table};

/// The whole application: `/oauth/access_token`, the token-guarded `/v1` API and the
/// sandbox's own `/sandbox` control endpoint.
pub(crate) fn router(app: App) -> Router {
    let api = Router::new()
        .merge(schedule::routes())
        .merge(assignments::routes())
        .merge(shifts::routes())
        .merge(work_types::routes())
        .merge(visual_cycles::routes())
        .merge(groups::routes())
        .merge(lists::routes())
        .merge(time_offs::routes())
        .merge(accruals::routes())
        .merge(trades::routes())
        .merge(labels::routes())
        .merge(filters::routes())
        .merge(users::routes())
        .merge(certifications::routes())
        .merge(logs::routes())
        .merge(callbacks::routes())
        .merge(signup_events::routes())
        .merge(availability::routes())
        .merge(announcements::routes())
        .merge(qualifiers::routes())
        .merge(payroll::routes())
        .merge(forms::routes())
        .merge(ready_alerts::routes())
        .merge(company::routes())
        .merge(bulletin_board::routes())
        .merge(target_solutions::routes())
        .route_layer(from_fn_with_state(app.clone(), require_token))
        .layer(from_fn(etag))
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .merge(oauth::routes())
        .merge(control::routes())
        .nest("/v1", api)
        .fallback(not_found)
        .layer(from_fn_with_state(app.clone(), observe))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("The requested resource does not exist.".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// The record `id` of `table`, or 404 naming `model`.
pub(crate) fn find<'a, T>(table: &'a Table<T>, id: u64, model: &str) -> Result<&'a T, ApiError> {
    table.get(&id).ok_or_else(|| ApiError::missing(model))
}

/// The record `id` of `table` for change, or 404 naming `model`.
pub(crate) fn find_mut<'a, T>(
    table: &'a mut Table<T>,
    id: u64,
    model: &str,
) -> Result<&'a mut T, ApiError> {
    table.get_mut(&id).ok_or_else(|| ApiError::missing(model))
}

/// The record `id` of `table` unless it is soft-deleted, for change; else 404.
pub(crate) fn find_live_mut<'a, T: SoftDelete>(
    table: &'a mut Table<T>,
    id: u64,
    model: &str,
) -> Result<&'a mut T, ApiError> {
    table
        .get_mut(&id)
        .filter(|r| !r.is_deleted())
        .ok_or_else(|| ApiError::missing(model))
}

/// 422 unless every id names a record of `table` (Laravel's "selected ... is invalid").
pub(crate) fn ensure_all<T>(table: &Table<T>, ids: &[u64], field: &str) -> Result<(), ApiError> {
    let bad: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !table.contains_key(id))
        .map(|(i, _)| format!("The selected {field}.{i} is invalid."))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(bad))
    }
}
