//! The HTTP client the SDK sends its calls through: hyper 1 over HTTP/1.1, TLS by rustls with
//! the *ring* provider, and server certificates checked by the operating system's verifier
//! (`rustls-platform-verifier`).
//!
//! Why not the SDK's default client: it brings aws-lc (about 0.8 MiB of the stripped library)
//! and HTTP/2, and it trusts a root list read from disk, which on a phone misses the roots a
//! user or an MDM profile installed. The platform verifier asks the OS (Security.framework on
//! Apple platforms, the Android `X509TrustManager`, CryptoAPI on Windows) and so honours
//! corporate CAs and revocation the way the platform's own networking does. On Linux it uses
//! the system root store. Cognito calls are small and sequential, so HTTP/1.1 with keep-alive
//! costs nothing over HTTP/2.
//!
//! The deadlines are the SDK's (operation and attempt timeouts); this layer adds the TCP connect
//! timeout (a stalled TLS handshake is bounded by the attempt timeout) and maps failures onto
//! the SDK's connector error kinds, which the retry policy in [`super`] reads: I/O (a reset, a
//! refused connection: transient), timeout (transient) and other (TLS refused, for instance an
//! untrusted certificate: retrying cannot help).

use std::error::Error as StdError;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector as TcpConnector;
use hyper_util::rt::TokioExecutor;

/// The TLS configuration, built once per process: the verifier and its root store are shared
/// by every client. Only a success is kept: a client made before the Android context was
/// handed over fails, and the next one, made after, succeeds.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    #[cfg(target_os = "android")]
    android::init_verifier()?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        .map_err(|e| format!("the platform certificate verifier is unavailable: {e}"))?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .dangerous() // Not a weakening: the OS verifier replaces webpki's.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(CONFIG.get_or_init(|| config).clone())
}

/// The TLS configuration of a client whose endpoint is plain `http://` (only to this machine:
/// an emulator, a local proxy): TLS is never used, so nothing of the platform is asked (a slim
/// container without CA certificates can still talk to a local emulator). Should a connection
/// ever be TLS, it trusts no certificate at all.
fn unused_tls_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}

/// The SDK's HTTP client: one hyper connection pool per [`crate::Client`].
#[derive(Clone)]
pub(crate) struct HttpsClient {
    connector: SharedHttpConnector,
    hyper: HyperClient<HttpsConnector<TcpConnector>, SdkBody>,
}

impl std::fmt::Debug for HttpsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HttpsClient(hyper, rustls/ring, platform verifier)")
    }
}

impl HttpsClient {
    /// A client whose TCP connects give up after `connect_timeout`. Fails only when the
    /// platform verifier cannot be set up (on Android: the app context was not handed over);
    /// with `plain_http` (an `http://` endpoint on this machine) the verifier is not needed.
    pub(crate) fn new(connect_timeout: Duration, plain_http: bool) -> Result<Self, String> {
        let tls = if plain_http {
            unused_tls_config()?
        } else {
            tls_config()?
        };
        let mut tcp = TcpConnector::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(connect_timeout));
        tcp.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let hyper = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(https);
        Ok(Self {
            connector: SharedHttpConnector::new(Connector {
                hyper: hyper.clone(),
            }),
            hyper,
        })
    }

    /// Opens a connection to `base` (TCP, and TLS for `https://`) and leaves it in the pool
    /// the calls use: a `GET /` with no credentials, whose answer (AWS's health text, an
    /// emulator's 404) is read and dropped. Not a Cognito operation.
    pub(crate) async fn warm(&self, base: &str) -> Result<(), ConnectorError> {
        let uri: http::Uri = format!("{}/", base.trim_end_matches('/'))
            .parse()
            .map_err(|e: http::uri::InvalidUri| ConnectorError::user(e.into()))?;
        let request = http::Request::get(uri)
            .body(SdkBody::empty())
            .map_err(|e| ConnectorError::user(e.into()))?;
        let response = self.hyper.request(request).await.map_err(connector_error)?;
        // Read to the end, so the connection goes back to the pool.
        http_body_util::BodyExt::collect(response.into_body())
            .await
            .map_err(|e| ConnectorError::io(e.into()))?;
        Ok(())
    }
}

impl HttpClient for HttpsClient {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.connector.clone()
    }
}

#[derive(Clone)]
struct Connector {
    hyper: HyperClient<HttpsConnector<TcpConnector>, SdkBody>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Connector")
    }
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let hyper = self.hyper.clone();
        HttpConnectorFuture::new(async move {
            let request = request
                .try_into_http1x()
                .map_err(|e| ConnectorError::user(e.into()))?;
            let response = hyper.request(request).await.map_err(connector_error)?;
            let (parts, body) = response.into_parts();
            let response = http::Response::from_parts(parts, SdkBody::from_body_1_x(body));
            HttpResponse::try_from(response).map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// A hyper failure as the SDK's connector error: TLS refusing the server is `other` (not
/// transient); a connect failure, a reset or a connection closed mid-answer is I/O (retryable
/// where the call allows it); a timeout is a timeout.
fn connector_error(e: hyper_util::client::legacy::Error) -> ConnectorError {
    // rustls reports through io::Errors that wrap a rustls::Error: look for it first.
    let tls = chain(&e).any(|s| s.is::<rustls::Error>());
    if tls {
        return ConnectorError::other(e.into(), None);
    }
    let timed_out = chain(&e).any(|s| {
        s.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    });
    if timed_out {
        return ConnectorError::timeout(e.into());
    }
    let io = e.is_connect()
        || chain(&e).any(|s| {
            s.is::<std::io::Error>()
                || s.downcast_ref::<hyper::Error>()
                    .is_some_and(|h| h.is_incomplete_message() || h.is_closed() || h.is_canceled())
        });
    if io {
        ConnectorError::io(e.into())
    } else {
        ConnectorError::other(e.into(), None)
    }
}

/// An error and its causes. An `io::Error`'s `source()` skips the error it wraps (it returns
/// that error's source), so the walk steps into it with `get_ref`.
fn chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |&e: &&'a (dyn StdError + 'static)| match e
        .downcast_ref::<std::io::Error>()
    {
        Some(io) => io
            .get_ref()
            .map(|inner| inner as &'a (dyn StdError + 'static)),
        None => e.source(),
    })
}

/// Android: the platform verifier calls the JVM's `X509TrustManager`, so it needs the JVM and
/// the application context. It takes them from `ndk-context`, which the app fills once with
/// `io.crates.keyring.Keyring.initializeNdkContext(applicationContext)` (the same call the
/// Android keystore needs). Type-checked and linted for aarch64-linux-android in CI; run only on
/// a device.
#[cfg(target_os = "android")]
mod android {
    // The only unsafe code outside the generated bindings: turning the raw JavaVM and context
    // pointers that ndk-context holds back into jni handles.
    #[allow(unsafe_code)]
    pub(super) fn init_verifier() -> Result<(), String> {
        let context = std::panic::catch_unwind(ndk_context::android_context).map_err(|_| {
            "the Android context is not set: call \
             CognitoAndroid.initialize(applicationContext) before creating a Client"
                .to_owned()
        })?;
        // SAFETY: the pointers were stored by `initializeNdkContext` from a live JNIEnv: the
        // JavaVM of the process and a global reference to the context that is never deleted.
        let vm = unsafe { jni::JavaVM::from_raw(context.vm().cast()) };
        vm.attach_current_thread(|env| -> Result<(), jni::errors::Error> {
            // SAFETY: `from_raw` asks for a local reference; a global one is valid for at least
            // as long, and `JObject` has no `Drop`, so nothing deletes it.
            let app = unsafe { jni::objects::JObject::from_raw(env, context.context().cast()) };
            let result = rustls_platform_verifier::android::init_with_env(env, app);
            if result.is_err() {
                // A Java exception (getClassLoader failing) must not stay pending.
                env.exception_clear();
            }
            result
        })
        .map_err(|e| format!("the platform certificate verifier could not reach the JVM: {e}"))
    }
}
