//! Reading a server's `next` link without trusting its host.
//!
//! Production links are absolute and may name another scheme or host than the one
//! configured (`http://api.crewsense.local/v1/...`). Only the path and query count:
//! the path must be the operation's path under the base URL's path, and the query
//! becomes the next request's parameters, sent to the configured host.

use url::Url;

use super::{Cursor, PagingError};

/// The query of `link` as a cursor, if `link` is a page of `operation_path` (such as
/// `/time_offs`) under `base_url`.
pub(crate) fn follow(
    base_url: &str,
    operation_path: &str,
    link: &str,
) -> Result<Cursor, PagingError> {
    let base = Url::parse(&format!("{base_url}/"))
        .map_err(|_| PagingError::InvalidLink(base_url.to_owned()))?;
    // Relative links resolve against the base; absolute ones keep only path and query.
    let url = base
        .join(link)
        .map_err(|_| PagingError::InvalidLink(link.to_owned()))?;
    let expected = format!("{}{}", base.path().trim_end_matches('/'), operation_path);
    if url.path().trim_end_matches('/') != expected {
        return Err(PagingError::ForeignLink(link.to_owned()));
    }
    Ok(Cursor::Link(url.query_pairs().into_owned().collect()))
}

/// The value of `name` in a link's query.
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.crewsense.com/v1";

    fn query(cursor: Cursor) -> Vec<(String, String)> {
        match cursor {
            Cursor::Link(q) => q,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn another_host_or_scheme_keeps_only_path_and_query() {
        let link = "http://api.crewsense.local/v1/time_offs?start=2018-10-01+00%3A00%3A00&after=2018-11-01+00%3A00%3A00";
        let q = query(follow(BASE, "/time_offs", link).unwrap());
        assert_eq!(param(&q, "after"), Some("2018-11-01 00:00:00"));
        assert_eq!(param(&q, "start"), Some("2018-10-01 00:00:00"));
    }

    #[test]
    fn relative_links_resolve_against_the_base() {
        let q = query(follow(BASE, "/callbacks", "/v1/callbacks?offset=150").unwrap());
        assert_eq!(param(&q, "offset"), Some("150"));
        let q = query(follow(BASE, "/callbacks", "callbacks?offset=50").unwrap());
        assert_eq!(param(&q, "offset"), Some("50"));
    }

    #[test]
    fn links_to_other_paths_are_refused() {
        for link in [
            "https://api.crewsense.com/v1/users?offset=50",
            "https://api.crewsense.com/oauth/access_token?x=1",
            "https://evil.example/steal?offset=50",
            "https://api.crewsense.com/v2/callbacks?offset=50",
        ] {
            assert_eq!(
                follow(BASE, "/callbacks", link),
                Err(PagingError::ForeignLink(link.to_owned())),
                "{link}"
            );
        }
        assert!(matches!(
            follow(BASE, "/callbacks", "http://[::1"),
            Err(PagingError::InvalidLink(_))
        ));
    }
}
