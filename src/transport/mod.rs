//! The official `aws-sdk-cognitoidentityprovider` client, built without credentials (the user
//! pool calls are unsigned), its errors read into a [`Failure`] (what each means is decided in
//! `cognito_errors`), and the retry policy.
//!
//! The SDK's own retries are off: whether a step may be repeated depends on the step (a
//! PASSWORD_VERIFIER must not be re-sent with a stale TIMESTAMP, an MFA code is single-use), so
//! each call site says what it tolerates ([`Retry`]).

use std::future::Future;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::http::HttpResponse;
use cip::config::retry::RetryConfig;
use cip::config::timeout::TimeoutConfig;
use cip::config::{BehaviorVersion, Region};
use cip::error::{ProvideErrorMetadata, SdkError};

pub(crate) use crate::cognito_errors::Failure;
use crate::error::{Error, ServiceDetails};

mod https;
mod redact;

/// Network settings of a client.
#[derive(Debug, Clone)]
pub(crate) struct TransportConfig {
    pub region: String,
    pub endpoint: Option<String>,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Reads the server's clock from every answer.
    pub server_date: crate::clock::ServerDate,
}

/// Whether the endpoint is plain `http://` (validated before: to this machine only).
fn plain_http(config: &TransportConfig) -> bool {
    config.endpoint.as_deref().is_some_and(|e| {
        e.get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    })
}

/// Builds the SDK client. Fails only when the TLS layer cannot be set up (see [`https`]).
/// `http` replaces our HTTPS client (the fuzz targets answer in-process).
pub(crate) fn build_client(
    config: &TransportConfig,
    http: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
) -> Result<(cip::Client, Option<Warmer>), Error> {
    let replaced = http.is_some();
    let (http, warmer) = match http {
        Some(http) => (http, None),
        None => {
            let https = https::HttpsClient::new(config.connect_timeout, plain_http(config))
                .map_err(Error::Configuration)?;
            let base = config
                .endpoint
                .clone()
                .unwrap_or_else(|| format!("https://cognito-idp.{}.amazonaws.com", config.region));
            let warmer = Warmer {
                https: https.clone(),
                base,
                timeout: config.timeout,
            };
            (
                aws_smithy_runtime_api::client::http::SharedHttpClient::new(https),
                Some(warmer),
            )
        }
    };
    let mut builder = cip::Config::builder()
        .http_client(http)
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(config.region.clone()))
        .retry_config(RetryConfig::disabled())
        // Off: every call is a small JSON body bounded by the attempt timeout below, and the
        // protection's streaming wrapper is not what keeps request bodies out of the logs
        // (redact.rs is, whatever the AWS SDK's defaults become).
        .stalled_stream_protection(cip::config::StalledStreamProtectionConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(config.connect_timeout)
                .operation_attempt_timeout(config.timeout)
                .operation_timeout(config.timeout)
                .build(),
        );
    if let Some(endpoint) = &config.endpoint {
        builder = builder.endpoint_url(endpoint.clone());
    }
    // Request bodies no TRACE log can print (redact.rs). Not for a replaced HTTP client: the
    // fuzz targets' in-process answers read the request bytes, and nothing leaves the process.
    if !replaced {
        builder = builder.interceptor(redact::OpaqueRequestBodies);
    }
    builder = builder.interceptor(config.server_date.clone());
    Ok((cip::Client::from_conf(builder.build()), warmer))
}

/// Opens the connection calls will use before they are made ([`Client::prepare`](crate::Client::prepare)).
#[derive(Clone)]
pub(crate) struct Warmer {
    https: https::HttpsClient,
    base: String,
    timeout: Duration,
}

impl Warmer {
    pub(crate) async fn warm(&self) -> Result<(), Error> {
        match tokio::time::timeout(self.timeout, self.https.warm(&self.base)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Network(format!("could not connect: {e}"))),
            Err(_) => Err(Error::Network("connecting timed out".into())),
        }
    }
}

impl<E> From<SdkError<E, HttpResponse>> for Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn from(err: SdkError<E, HttpResponse>) -> Self {
        let text = cip::error::DisplayErrorContext(&err).to_string();
        match err {
            SdkError::ServiceError(ctx) => {
                let status = ctx.raw().status().as_u16();
                let e = ctx.err();
                // A 2xx answer the SDK could not read, or an error without Cognito's
                // `__type` (an HTML page from a proxy, a redirect): not Cognito talking.
                if e.code().is_none() && (status < 400 || e.message().is_none()) {
                    return Self::BadResponse {
                        status: Some(status),
                        text: format!("HTTP {status} that is not a Cognito response"),
                    };
                }
                let request_id = ctx
                    .raw()
                    .headers()
                    .get("x-amzn-requestid")
                    .map(str::to_owned);
                Self::Service {
                    details: ServiceDetails {
                        error_type: e.code().map(str::to_owned),
                        message: e.message().map(str::to_owned),
                        request_id,
                    },
                    status: Some(status),
                }
            }
            SdkError::TimeoutError(_) => Self::Timeout(text),
            SdkError::DispatchFailure(f) if f.is_timeout() => Self::Timeout(text),
            // TLS refused the server (an untrusted certificate): retrying cannot help.
            SdkError::DispatchFailure(f) if f.is_other() => Self::Refused(text),
            SdkError::DispatchFailure(_) => Self::Network(text),
            SdkError::ResponseError(_) => Self::BadResponse { status: None, text },
            SdkError::ConstructionFailure(_) => Self::Construction(text),
            _ => Self::Network(text),
        }
    }
}

/// Which failures a call may be repeated after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Only throttling (the request was refused before any processing). For steps that
    /// consume something on the server: a SECRET_BLOCK, an MFA code, a rotated refresh token.
    ThrottlingOnly,
    /// Every transient fault: for idempotent calls (ConfirmDevice with the same verifier,
    /// UpdateDeviceStatus, ListDevices, ForgetDevice, InitiateAuth).
    Transient,
}

/// Attempts and first back-off delay (doubled each time, with jitter).
const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// Counts the HTTP round trips of a sign-in (attempts, retries included).
#[derive(Debug, Default)]
pub(crate) struct RoundTrips(std::sync::atomic::AtomicU32);

impl RoundTrips {
    /// A counter that goes on from `n` trips made before.
    pub(crate) fn starting_at(n: u32) -> Self {
        Self(std::sync::atomic::AtomicU32::new(n))
    }
    pub(crate) fn add(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    pub(crate) fn get(&self) -> u32 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Runs `call` (which builds and sends the request afresh each time, so a retried
/// PASSWORD_VERIFIER gets a fresh TIMESTAMP) with the given retry policy.
pub(crate) async fn with_retry<T, Fut>(
    retry: Retry,
    trips: &RoundTrips,
    mut call: impl FnMut() -> Fut,
) -> Result<T, Failure>
where
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut delay = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        trips.add();
        match call().await {
            Ok(v) => return Ok(v),
            Err(f) => {
                let repeatable = match retry {
                    Retry::ThrottlingOnly => f.is_throttle(),
                    Retry::Transient => f.is_transient(),
                };
                if !repeatable || attempt >= ATTEMPTS {
                    return Err(f);
                }
                tracing::debug!(attempt, error = ?f.code(), "retrying after a transient failure");
                tokio::time::sleep(jitter(delay)).await;
                delay *= 2;
                attempt += 1;
            }
        }
    }
}

/// A delay between 50% and 100% of `d` ("equal jitter"), so clients back off apart.
fn jitter(d: Duration) -> Duration {
    let mut b = [0u8; 2];
    let r = getrandom::fill(&mut b).map_or(0, |_| u16::from_le_bytes(b));
    d / 2 + d.mul_f64(f64::from(r) / f64::from(u16::MAX) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, status: Option<u16>) -> Failure {
        Failure::Service {
            details: ServiceDetails {
                error_type: Some(code.to_owned()),
                message: Some("m".to_owned()),
                request_id: None,
            },
            status,
        }
    }

    #[tokio::test]
    async fn retries_throttling_then_succeeds() {
        let trips = RoundTrips::default();
        let mut n = 0;
        let out = with_retry(Retry::ThrottlingOnly, &trips, || {
            n += 1;
            let fail = n < 3;
            async move {
                if fail {
                    Err(service("TooManyRequestsException", Some(400)))
                } else {
                    Ok(7)
                }
            }
        })
        .await
        .unwrap();
        assert_eq!((out, trips.get()), (7, 3));
    }

    #[tokio::test]
    async fn does_not_retry_a_reset_when_only_throttling_is_safe() {
        let trips = RoundTrips::default();
        let err = with_retry(Retry::ThrottlingOnly, &trips, || async {
            Err::<(), _>(Failure::Network("reset".into()))
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Failure::Network(_)));
        assert_eq!(trips.get(), 1);
    }

    #[tokio::test]
    async fn gives_up_after_the_last_attempt() {
        let trips = RoundTrips::default();
        let err = with_retry(Retry::Transient, &trips, || async {
            Err::<(), _>(service("InternalErrorException", Some(500)))
        })
        .await
        .unwrap_err();
        assert_eq!(err.code(), Some("InternalErrorException"));
        assert_eq!(trips.get(), ATTEMPTS);
    }
}
