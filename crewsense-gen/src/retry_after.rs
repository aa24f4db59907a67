//! The `Retry-After` header: a number of seconds or an HTTP date. The hooks record it
//! with each [`Exchange`](crate::hooks::Exchange); the facade's retries wait for it.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How long `headers` ask the client to wait, measured from `now` for a date. A date
/// in the past means no wait; a value that is neither form is ignored.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn parse(value: &'static str, now: SystemTime) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        retry_after(&headers, now)
    }

    #[test]
    fn seconds_and_dates() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let before = date - Duration::from_secs(90);
        assert_eq!(parse("120", before), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 ", before), Some(Duration::ZERO));
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse(form, before), Some(Duration::from_secs(90)), "{form}");
        }
        assert_eq!(
            parse(
                "Sun, 06 Nov 1994 08:49:37 GMT",
                date + Duration::from_secs(5)
            ),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
    }

    #[test]
    fn anything_else_is_ignored() {
        let now = SystemTime::now();
        for value in ["-5", "1.5", "soon", ""] {
            assert_eq!(parse(value, now), None, "{value:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
