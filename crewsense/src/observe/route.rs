//! [`Route`]: which request an attempt sends, in the low-cardinality terms that spans,
//! metrics and a [`Hook`](super::Hook) see.

use crewsense_gen::catalog::Operation;
use reqwest::Method;

/// The `operationId` that token requests go by.
pub(crate) const TOKEN_OPERATION: &str = "access_token";
/// The path template of the token endpoint, whatever URL it was configured at.
const TOKEN_TEMPLATE: &str = "/oauth/access_token";

/// The operation a request belongs to, with its method and path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub(crate) operation: &'static str,
    pub(crate) method: &'static str,
    pub(crate) template: &'static str,
}

impl Route {
    /// The request for a token.
    pub(crate) const TOKEN: Route = Route {
        operation: TOKEN_OPERATION,
        method: "POST",
        template: TOKEN_TEMPLATE,
    };

    /// `operation` as the spec declares it; one the catalogue does not know goes by
    /// the request's method and an empty template.
    /// The operation's `operationId` in the spec (`get_user`), or `access_token` for
    /// a request to the token endpoint.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method (`GET`).
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The spec's path template (`/users/{user_id}`), the same for every request of
    /// the operation; `/oauth/access_token` for the token endpoint.
    pub fn url_template(&self) -> &'static str {
        self.template
    }

    pub(crate) fn of(operation: &'static str, known: Option<&Operation>, method: &Method) -> Self {
        match known {
            Some(op) => Route {
                operation,
                method: op.method,
                template: op.path,
            },
            None => Route {
                operation,
                method: known_method(method),
                template: "",
            },
        }
    }
}

/// The method's name, or `_OTHER` (as OpenTelemetry names a method outside the
/// standard set).
fn known_method(method: &Method) -> &'static str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    const NAMES: [&str; 9] = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .iter()
        .zip(NAMES)
        .find(|(known, _)| *known == method)
        .map_or("_OTHER", |(_, name)| name)
}
