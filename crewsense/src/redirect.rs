//! The redirect policy of the client's own HTTP client: redirects are followed within
//! the origin (scheme, host and port) of the request, and never to another one, so
//! the bearer token, and the client secret sent to the token endpoint, never leave
//! the configured origin.
//!
//! A redirect to another origin is not followed: the `3xx` answer itself comes back,
//! as [`Error::UnexpectedResponse`](crate::Error::UnexpectedResponse) from an API call.

use reqwest::redirect::{Attempt, Policy};

/// The most redirects followed for one request.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// Follows up to [`MAX_REDIRECTS`] redirects that stay on the origin of the first
/// request; stops at the first one that does not.
pub(crate) fn same_origin_only() -> Policy {
    Policy::custom(decide)
}

fn decide(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    // `previous` starts with the URL of the original request.
    let stays = attempt
        .previous()
        .first()
        .is_some_and(|first| first.origin() == attempt.url().origin());
    if stays && attempt.previous().len() <= MAX_REDIRECTS {
        attempt.follow()
    } else {
        tracing::debug!(
            status = attempt.status().as_u16(),
            "not following a redirect to another origin, or past the redirect limit"
        );
        attempt.stop()
    }
}
