//! The client's own TLS (rustls with ring, the platform's certificate verifier),
//! against a real TLS server on loopback whose certificate no platform trusts.

use crewsense::retry::RetryPolicy;
use crewsense::{Client, Error};
use rcgen::CertifiedKey;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::LazyConfigAcceptor;

/// What the server saw of the client's hello, and how its handshake ended.
#[derive(Debug)]
struct Hello {
    server_name: Option<String>,
    alpn: Vec<Vec<u8>>,
    handshake_failed: bool,
}

/// Serves one TLS handshake with a self-signed certificate for `127.0.0.1`.
async fn self_signed_server() -> (u16, tokio::task::JoinHandle<Hello>) {
    let CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("a certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(signing_key.serialize_der()));
    let chain = vec![CertificateDer::from(cert.der().to_vec())];
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.expect("a connection");
        let start = LazyConfigAcceptor::new(rustls::server::Acceptor::default(), tcp)
            .await
            .expect("a client hello");
        let hello = start.client_hello();
        let server_name = hello.server_name().map(str::to_owned);
        let alpn = hello
            .alpn()
            .map(|protocols| protocols.map(<[u8]>::to_vec).collect())
            .unwrap_or_default();
        let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("a server config");
        let handshake_failed = start.into_stream(config.into()).await.is_err();
        Hello {
            server_name,
            alpn,
            handshake_failed,
        }
    });
    (port, server)
}

#[tokio::test]
async fn a_certificate_the_platform_does_not_trust_is_refused_after_a_real_handshake() {
    let (port, server) = self_signed_server().await;
    let client = Client::builder()
        .static_token("a-token")
        .base_url(format!("https://127.0.0.1:{port}/v1"))
        // One handshake to observe: a refused certificate is not worth a retry here.
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = client
        .call(async |api| api.get_company().send().await)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let chain = std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .map(ToString::to_string)
    .collect::<Vec<_>>()
    .join(" / ");
    assert!(chain.contains("certificate"), "{chain}");
    let hello = server.await.expect("the server");
    // No SNI for an IP address.
    assert_eq!(hello.server_name, None);
    assert_eq!(
        hello.alpn,
        [b"http/1.1".to_vec()],
        "HTTP/1.1 only by default"
    );
    assert!(
        hello.handshake_failed,
        "the client must abort the handshake"
    );
}
