//! The TLS of the client's own HTTP client: rustls with the `ring` provider, server
//! certificates checked by the operating system's verifier
//! (`rustls-platform-verifier`), HTTP/1.1 negotiated by ALPN (and `h2` with the
//! `http2` feature).
//!
//! reqwest's own rustls setup brings the aws-lc-rs provider, whose C build was more
//! than half the CPU time of a clean build of crewsense; `ring` does the same job for
//! a client. A caller who needs another provider (aws-lc-rs, a FIPS build) passes a
//! `reqwest::Client` built with it to
//! [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::ring;
use rustls_platform_verifier::BuilderVerifierExt;

/// The protocols offered by ALPN, preferred first.
#[cfg(feature = "http2")]
const ALPN: &[&[u8]] = &[b"h2", b"http/1.1"];
#[cfg(not(feature = "http2"))]
const ALPN: &[&[u8]] = &[b"http/1.1"];

/// A TLS configuration for the client's connections. Fails only when the platform
/// has no usable certificate verifier.
pub(crate) fn config() -> Result<ClientConfig, rustls::Error> {
    let mut config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    config.alpn_protocols = ALPN.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}
