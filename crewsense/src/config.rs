//! [`ClientBuilder`]: the client's settings, their defaults and their validation.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crewsense_gen::decode::DecodeMode;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use url::{Host, Url};

use crate::auth::{self, Auth, Clock, CredentialProvider, TokenCache, TokenEndpoint, TokioClock};
use crate::client::Client;
use crate::defaults::{
    BASE_URL, CALL_TIMEOUT, CONNECT_TIMEOUT, DIRECTORY_MAX_AGE, REFRESH_MARGIN, REQUEST_TIMEOUT,
    USER_AGENT,
};
use crate::error::{ConfigError, Setting};
use crate::observe::{Hook, Instruments};
use crate::redirect;
use crate::retry::{RetryPolicy, Retrying};
use crate::tls;

/// The token endpoint's path on the base URL's origin (it sits outside `/v1`).
const TOKEN_PATH: &str = "/oauth/access_token";

/// The environment variables read by [`Client::from_env`].
pub(crate) const ENV_CLIENT_ID: &str = "CREWSENSE_CLIENT_ID";
pub(crate) const ENV_CLIENT_SECRET: &str = "CREWSENSE_CLIENT_SECRET";
const ENV_BASE_URL: &str = "CREWSENSE_BASE_URL";

#[derive(Debug, Clone)]
enum Credentials {
    Client { id: String, secret: SecretString },
    Provider(Arc<dyn CredentialProvider>),
    Static(SecretString),
}

/// Settings for a [`Client`]; start with [`Client::builder`].
///
/// ```
/// use std::time::Duration;
///
/// let client = crewsense::Client::builder()
///     .client_credentials("my-client-id", "my-client-secret")
///     .request_timeout(Duration::from_secs(60))
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.crewsense.com/v1");
/// # Ok::<(), crewsense::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    token_url: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    refresh_margin: Option<Duration>,
    http: Option<reqwest::Client>,
    allow_insecure_http: bool,
    clock: Option<Arc<dyn Clock>>,
    retry: RetryPolicy,
    strict_decoding: bool,
    directory_max_age: Option<Duration>,
    hook: Option<Arc<dyn Hook>>,
}

impl ClientBuilder {
    /// Empty settings; the same as [`Client::builder`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Settings from the environment: `CREWSENSE_CLIENT_ID`, `CREWSENSE_CLIENT_SECRET`
    /// and, if set, `CREWSENSE_BASE_URL`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let required = |name| {
            lookup(name)
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError::MissingEnv(name))
        };
        let mut builder =
            Self::new().client_credentials(required(ENV_CLIENT_ID)?, required(ENV_CLIENT_SECRET)?);
        if let Some(url) = lookup(ENV_BASE_URL).filter(|v| !v.is_empty()) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// Authenticate with the client id and secret of an API client (CrewSense
    /// settings, API). Tokens are fetched and refreshed as needed.
    ///
    /// The pair is fixed for the client's life; to follow a rotated secret without a
    /// restart, use [`credential_provider`](Self::credential_provider). Replaces
    /// credentials set with [`static_token`](Self::static_token) or
    /// `credential_provider`.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        self.credentials = Some(Credentials::Client {
            id: client_id.into(),
            secret: client_secret.into(),
        });
        self
    }

    /// Authenticate with the client id and secret that `provider` returns, asked
    /// before every token request (see [`CredentialProvider`]): a file
    /// ([`FileCredentials`](crate::auth::FileCredentials)), the environment
    /// ([`EnvCredentials`](crate::auth::EnvCredentials)) or a provider of your own. When
    /// the token endpoint refuses the credentials, the provider is asked once more
    /// and one more token request is sent before the refusal is reported.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use crewsense::auth::FileCredentials;
    ///
    /// let credentials = FileCredentials::profile("/home/me/.config/crewsense/credentials.toml", "station1");
    /// let client = crewsense::Client::builder()
    ///     .credential_provider(Arc::new(credentials))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), crewsense::ConfigError>(())
    /// ```
    ///
    /// Replaces credentials set with [`client_credentials`](Self::client_credentials)
    /// or [`static_token`](Self::static_token).
    pub fn credential_provider(mut self, provider: Arc<dyn CredentialProvider>) -> Self {
        self.credentials = Some(Credentials::Provider(provider));
        self
    }

    /// Send this access token, obtained elsewhere, with every request. It is never
    /// refreshed: once the API rejects it, calls fail with
    /// [`Error::Unauthorized`](crate::Error::Unauthorized).
    ///
    /// Replaces credentials set with [`client_credentials`](Self::client_credentials)
    /// or [`credential_provider`](Self::credential_provider).
    pub fn static_token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::Static(token.into()));
        self
    }

    /// The API's base URL, [`BASE_URL`] by default. It must be `https://`, or
    /// `http://` to a loopback address (see
    /// [`allow_insecure_http`](Self::allow_insecure_http)).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The OAuth token endpoint; by default `/oauth/access_token` on the base URL's
    /// scheme, host and port.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// How long to wait for a connection; [`CONNECT_TIMEOUT`] by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one request may take in all, reading the answer's body included;
    /// [`REQUEST_TIMEOUT`] by default.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// How long one call may take in all, the token request, every attempt and the
    /// waits between retries included; [`CALL_TIMEOUT`] by default. A call that runs
    /// out of time fails with an error whose [`is_timeout`](crate::Error::is_timeout)
    /// is true.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// How long before expiry a token is replaced; [`REFRESH_MARGIN`] by default. For a
    /// token that lives less than twice the margin, half its lifetime is used instead.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// Send requests with this `reqwest::Client` instead of one built from these
    /// settings. Its own timeouts, `User-Agent`, TLS and redirect settings apply, so
    /// combining it with [`connect_timeout`](Self::connect_timeout) or
    /// [`request_timeout`](Self::request_timeout) is refused. It must have a TLS
    /// backend for `https://`, and should not follow redirects to other hosts (the
    /// client's own HTTP client follows them only within the origin of the request).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allow plain `http://` URLs to any host, not only loopback ones. Credentials and
    /// tokens then cross the network unencrypted: meant for test rigs, not production.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How failed requests are retried; [`RetryPolicy::new`] by default (see
    /// [`crate::retry`]). [`Client::with_retry`] overrides it for some calls.
    ///
    /// ```
    /// use crewsense::retry::RetryPolicy;
    ///
    /// let client = crewsense::Client::builder()
    ///     .static_token("an-access-token")
    ///     .retry_policy(RetryPolicy::none())
    ///     .build()?;
    /// assert_eq!(client.retry_policy(), RetryPolicy::none());
    /// # Ok::<(), crewsense::ConfigError>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock that decides when a token is due; [`TokioClock`] by default.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Whether an answer value that does not fit its field fails the call with
    /// [`Error::Decode`](crate::Error::Decode) naming its path, instead of being left
    /// out with a warning (the default; see [`crate::degraded`]). For tests that must
    /// notice any drift from the spec.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// How long [`Client::directory`] keeps the users it read before it asks the API
    /// again; [`DIRECTORY_MAX_AGE`] by default. Zero asks on every call (cheaply,
    /// when the API answers that nothing changed).
    pub fn directory_max_age(mut self, age: Duration) -> Self {
        self.directory_max_age = Some(age);
        self
    }

    /// Runs `hook` on every HTTP attempt of the client (token requests included),
    /// inside the retry layer: to add headers, such as a correlation id, and to
    /// observe each exchange. See [`Hook`].
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with a [`ConfigError`] that names the [`Setting`] at fault: missing or
    /// empty credentials, a URL that is not `https://` (or loopback `http://`), a zero
    /// timeout, or timeouts combined with a caller-supplied HTTP client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base = self.url(
            Setting::BaseUrl,
            self.base_url.as_deref().unwrap_or(BASE_URL),
        )?;
        if base.query().is_some() || base.fragment().is_some() {
            return Err(unsupported(
                Setting::BaseUrl,
                &base,
                "it has a query or fragment",
            ));
        }
        let http = self.http_client_or_default()?;
        let auth = match self
            .credentials
            .clone()
            .ok_or(ConfigError::MissingCredentials)?
        {
            Credentials::Static(token) => {
                let token = token.expose_secret();
                if token.is_empty() {
                    return Err(ConfigError::Empty(Setting::StaticToken));
                }
                if HeaderValue::from_str(token).is_err() {
                    return Err(ConfigError::NotAHeaderValue(Setting::StaticToken));
                }
                Auth::Static(Arc::new(token.into()))
            }
            Credentials::Client { id, secret } => {
                if id.trim().is_empty() {
                    return Err(ConfigError::Empty(Setting::ClientId));
                }
                if secret.expose_secret().is_empty() {
                    return Err(ConfigError::Empty(Setting::ClientSecret));
                }
                self.client_credentials_auth(
                    &base,
                    &http,
                    Arc::new(auth::Credentials::new(id, secret)),
                )?
            }
            Credentials::Provider(provider) => {
                self.client_credentials_auth(&base, &http, provider)?
            }
        };
        let call_timeout = self.call_timeout.unwrap_or(CALL_TIMEOUT);
        if call_timeout.is_zero() {
            return Err(ConfigError::ZeroTimeout(Setting::CallTimeout));
        }
        let retry = Retrying::new(self.retry, Instruments::new(&base, self.hook.clone()));
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        let decoding = if self.strict_decoding {
            DecodeMode::Strict
        } else {
            DecodeMode::Lenient
        };
        Ok(Client::new(
            base_url,
            http,
            auth,
            retry,
            call_timeout,
            decoding,
            self.directory_max_age.unwrap_or(DIRECTORY_MAX_AGE),
        ))
    }

    /// Tokens fetched with the credentials of `provider` from the token endpoint.
    fn client_credentials_auth(
        &self,
        base: &Url,
        http: &reqwest::Client,
        provider: Arc<dyn CredentialProvider>,
    ) -> Result<Auth, ConfigError> {
        let url = match &self.token_url {
            Some(url) => self.url(Setting::TokenUrl, url)?,
            // An absolute path keeps only the origin of the base URL.
            None => base
                .join(TOKEN_PATH)
                .map_err(|source| ConfigError::InvalidUrl {
                    setting: Setting::TokenUrl,
                    source: source.into(),
                })?,
        };
        let retry = Retrying::new(self.retry, Instruments::new(&url, self.hook.clone()));
        let endpoint = TokenEndpoint {
            http: http.clone(),
            url,
            credentials: provider,
            retry,
        };
        let clock = self.clock.clone().unwrap_or_else(|| Arc::new(TokioClock));
        let margin = self.refresh_margin.unwrap_or(REFRESH_MARGIN);
        Ok(Auth::ClientCredentials(TokenCache::new(
            endpoint, clock, margin,
        )))
    }

    fn http_client_or_default(&self) -> Result<reqwest::Client, ConfigError> {
        if let Some(http) = &self.http {
            if self.connect_timeout.is_some() {
                return Err(ConfigError::HttpClientConflict(Setting::ConnectTimeout));
            }
            if self.request_timeout.is_some() {
                return Err(ConfigError::HttpClientConflict(Setting::RequestTimeout));
            }
            return Ok(http.clone());
        }
        let connect = self.connect_timeout.unwrap_or(CONNECT_TIMEOUT);
        let request = self.request_timeout.unwrap_or(REQUEST_TIMEOUT);
        if connect.is_zero() {
            return Err(ConfigError::ZeroTimeout(Setting::ConnectTimeout));
        }
        if request.is_zero() {
            return Err(ConfigError::ZeroTimeout(Setting::RequestTimeout));
        }
        let tls = tls::config().map_err(|e| ConfigError::HttpClient(e.into()))?;
        reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(connect)
            .timeout(request)
            .redirect(redirect::same_origin_only())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| ConfigError::HttpClient(e.into()))
    }

    /// Parses and checks a URL setting: http(s) with a host, no user info, and plain
    /// http only to loopback unless allowed.
    fn url(&self, setting: Setting, text: &str) -> Result<Url, ConfigError> {
        let mut url = Url::parse(text).map_err(|source| ConfigError::InvalidUrl {
            setting,
            source: source.into(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            // Keep credentials out of the error message.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            return Err(unsupported(
                setting,
                &url,
                "it carries a user name or password",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(ConfigError::InsecureHttp {
                    setting,
                    url: url.into(),
                });
            }
            _ => {
                return Err(unsupported(
                    setting,
                    &url,
                    "only http and https are supported",
                ));
            }
        }
        if url.host().is_none() {
            return Err(unsupported(setting, &url, "it has no host"));
        }
        Ok(url)
    }
}

fn unsupported(setting: Setting, url: &Url, reason: &'static str) -> ConfigError {
    ConfigError::UnsupportedUrl {
        setting,
        url: url.to_string(),
        reason,
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(builder: ClientBuilder) -> ConfigError {
        match builder.build() {
            Err(e) => e,
            Ok(client) => panic!("expected a config error, got {client:?}"),
        }
    }

    fn credentials() -> ClientBuilder {
        Client::builder().client_credentials("id", "secret")
    }

    #[test]
    fn empty_or_missing_credentials_are_refused() {
        assert!(matches!(
            config_error(Client::builder()),
            ConfigError::MissingCredentials
        ));
        assert!(matches!(
            config_error(Client::builder().client_credentials(" ", "secret")),
            ConfigError::Empty(Setting::ClientId)
        ));
        assert!(matches!(
            config_error(Client::builder().client_credentials("id", "")),
            ConfigError::Empty(Setting::ClientSecret)
        ));
        assert!(matches!(
            config_error(Client::builder().static_token("")),
            ConfigError::Empty(Setting::StaticToken)
        ));
        assert!(matches!(
            config_error(Client::builder().static_token("a\nb")),
            ConfigError::NotAHeaderValue(Setting::StaticToken)
        ));
    }

    #[test]
    fn urls_must_be_https_or_loopback_http() {
        for url in [
            "ftp://api.crewsense.com/v1",
            "file:///tmp/x",
            "https://api.crewsense.com/v1?x=1",
        ] {
            assert!(
                matches!(
                    config_error(credentials().base_url(url)),
                    ConfigError::UnsupportedUrl { .. }
                ),
                "{url}"
            );
        }
        assert!(matches!(
            config_error(credentials().base_url("not a url")),
            ConfigError::InvalidUrl { .. }
        ));
        assert!(matches!(
            config_error(credentials().base_url("http://api.crewsense.com/v1")),
            ConfigError::InsecureHttp {
                setting: Setting::BaseUrl,
                ..
            }
        ));
        assert!(matches!(
            config_error(credentials().token_url("http://auth.example/oauth")),
            ConfigError::InsecureHttp {
                setting: Setting::TokenUrl,
                ..
            }
        ));
        let leaked =
            config_error(credentials().base_url("https://me:hunter2@api.crewsense.com/v1"));
        assert!(!leaked.to_string().contains("hunter2"), "{leaked}");

        for url in [
            "http://127.0.0.1:8080/v1",
            "http://localhost/v1",
            "http://[::1]:9/v1",
        ] {
            assert!(credentials().base_url(url).build().is_ok(), "{url}");
        }
        assert!(
            credentials()
                .base_url("http://sandbox.lan/v1")
                .allow_insecure_http(true)
                .build()
                .is_ok()
        );
    }

    #[test]
    fn the_token_url_defaults_to_the_base_origin() {
        let client = credentials()
            .base_url("https://example.test:8443/api/v1/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://example.test:8443/api/v1");
        let debug = format!("{client:?}");
        assert!(
            debug.contains("https://example.test:8443/oauth/access_token"),
            "{debug}"
        );
    }

    #[test]
    fn errors_name_each_setting_as_its_builder_method() {
        let zero = config_error(credentials().connect_timeout(Duration::ZERO));
        assert_eq!(zero.setting(), Some(Setting::ConnectTimeout));
        assert!(zero.to_string().contains("`connect_timeout`"), "{zero}");
        let conflict = config_error(
            credentials()
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1)),
        );
        assert_eq!(conflict.setting(), Some(Setting::ConnectTimeout));
        assert!(
            conflict.to_string().contains("`connect_timeout`"),
            "{conflict}"
        );
        let url = config_error(credentials().base_url("not a url"));
        assert_eq!(url.setting(), Some(Setting::BaseUrl));
        assert!(url.to_string().contains("`base_url`"), "{url}");
        assert!(std::error::Error::source(&url).is_some());
        assert_eq!(config_error(Client::builder()).setting(), None);
    }

    #[test]
    fn timeouts_are_checked_and_do_not_mix_with_a_supplied_client() {
        assert!(matches!(
            config_error(credentials().request_timeout(Duration::ZERO)),
            ConfigError::ZeroTimeout(Setting::RequestTimeout)
        ));
        assert!(matches!(
            config_error(credentials().call_timeout(Duration::ZERO)),
            ConfigError::ZeroTimeout(Setting::CallTimeout)
        ));
        assert!(matches!(
            config_error(
                credentials()
                    .http_client(reqwest::Client::new())
                    .connect_timeout(Duration::from_secs(1))
            ),
            ConfigError::HttpClientConflict(Setting::ConnectTimeout)
        ));
        assert!(
            credentials()
                .http_client(reqwest::Client::new())
                .build()
                .is_ok()
        );
    }

    #[test]
    fn the_environment_supplies_credentials_and_base_url() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let client = ClientBuilder::from_lookup(env(&[
            (ENV_CLIENT_ID, "id"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_BASE_URL, "http://127.0.0.1:1/v1"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1/v1");

        let missing =
            ClientBuilder::from_lookup(env(&[(ENV_CLIENT_ID, "id"), (ENV_CLIENT_SECRET, "")]))
                .unwrap_err();
        assert!(matches!(
            missing,
            ConfigError::MissingEnv(ENV_CLIENT_SECRET)
        ));
        let defaulted =
            ClientBuilder::from_lookup(env(&[(ENV_CLIENT_ID, "id"), (ENV_CLIENT_SECRET, "s")]))
                .unwrap();
        assert_eq!(defaulted.build().unwrap().base_url(), BASE_URL);
    }
}
