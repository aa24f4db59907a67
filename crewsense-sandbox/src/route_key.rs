//! The name of a route that faults are queued and requests counted under.

/// The canonical route key: upper-case method, one space, the path template
/// without the `/v1` prefix or a trailing slash (`"get /v1/users/"` -> `"GET /users"`).
pub(crate) fn route_key(route: &str) -> String {
    let route = route.trim();
    let (method, path) = route.split_once(char::is_whitespace).unwrap_or(("", route));
    let path = path.trim();
    let path = path
        .strip_prefix("/v1")
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .unwrap_or(path);
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    if method.is_empty() {
        path.to_owned()
    } else {
        format!("{} {}", method.to_uppercase(), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_route_keys() {
        assert_eq!(route_key("get /v1/users/"), "GET /users");
        assert_eq!(route_key("GET /users/{user_id}"), "GET /users/{user_id}");
        assert_eq!(
            route_key("POST /oauth/access_token"),
            "POST /oauth/access_token"
        );
        assert_eq!(route_key("GET /v1"), "GET /");
        assert_eq!(route_key("*"), "*");
    }
}
