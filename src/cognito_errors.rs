//! The one place that decides what a failure means. A failed call arrives here as a
//! [`Failure`] (Cognito's code, message and HTTP status, or a transport fault), and this module
//! alone answers every question about it: which [`Error`] the app gets, whether the call is
//! repeated now, whether the app may try again later, whether the endpoint lacks an
//! operation, whether the device presented is gone, whether a sign-in step stays open. The
//! transport, refresh, device management and the sign-in only ask.

use crate::error::{Error, ServiceDetails};

/// What a Cognito error code means for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// Wrong credentials (or a user the pool hides); "session" in the message: expired.
    NotAuthorized,
    /// A wrong MFA or verification code; the step can be answered again.
    CodeMismatch,
    /// The code or the session expired.
    Expired,
    /// The new password does not satisfy the policy.
    InvalidPassword,
    UserNotConfirmed,
    PasswordResetRequired,
    /// Refused before any processing: safe to send again at once (with back-off).
    Throttled,
    /// Too many wrong answers: the app may try later, repeating now cannot help.
    LockedOut,
    /// A fault on the service's side that may pass: repeated for idempotent calls.
    Transient,
    /// The request was invalid for this pool or client.
    InvalidRequest,
    /// The endpoint does not know the operation (an older emulator, a proxy).
    UnknownOperation,
    /// Anything else.
    Other,
}

/// Cognito's error codes (as the AWS SDK reports them: without a namespace prefix) and their
/// meaning. Codes not listed mean [`Meaning::Other`].
const TABLE: &[(&str, Meaning)] = &[
    ("NotAuthorizedException", Meaning::NotAuthorized),
    ("UserNotFoundException", Meaning::NotAuthorized),
    ("CodeMismatchException", Meaning::CodeMismatch),
    ("EnableSoftwareTokenMFAException", Meaning::CodeMismatch),
    ("ExpiredCodeException", Meaning::Expired),
    ("InvalidPasswordException", Meaning::InvalidPassword),
    ("UserNotConfirmedException", Meaning::UserNotConfirmed),
    (
        "PasswordResetRequiredException",
        Meaning::PasswordResetRequired,
    ),
    ("TooManyRequestsException", Meaning::Throttled),
    ("LimitExceededException", Meaning::Throttled),
    ("ThrottlingException", Meaning::Throttled),
    ("TooManyFailedAttemptsException", Meaning::LockedOut),
    ("InternalErrorException", Meaning::Transient),
    ("ServiceUnavailableException", Meaning::Transient),
    ("InvalidParameterException", Meaning::InvalidRequest),
    (
        "InvalidUserPoolConfigurationException",
        Meaning::InvalidRequest,
    ),
    ("ResourceNotFoundException", Meaning::InvalidRequest),
    ("InvalidLambdaResponseException", Meaning::InvalidRequest),
    ("UnsupportedOperationException", Meaning::InvalidRequest),
    ("UnknownOperationException", Meaning::UnknownOperation),
    ("UnknownOperation", Meaning::UnknownOperation),
    ("InvalidAction", Meaning::UnknownOperation),
];

/// The meaning of `code` (the AWS SDK's error code: the `__type` without its namespace).
pub(crate) fn meaning(code: &str) -> Meaning {
    TABLE
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(Meaning::Other, |(_, m)| *m)
}

/// Whether an error with this code means that the app may succeed by trying the same call
/// again later.
pub(crate) fn retry_later(code: Option<&str>) -> bool {
    matches!(
        code.map(meaning),
        Some(Meaning::Throttled | Meaning::LockedOut | Meaning::Transient)
    )
}

/// Whether Cognito said that the device a sign-in presented is gone, so its local secret is
/// of no further use (docs/protocol.md 4, "device answers"). Only the device answers count:
/// ResourceNotFoundException "Device does not exist.", "Invalid device key given." (an
/// InvalidParameterException from ConfirmDevice; also accepted as NotAuthorizedException);
/// and, in the device steps (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), "Incorrect username
/// or password.", which there means that the device secret does not match. Everything else
/// ("User pool client ... does not exist.", an expired session, "Password attempts
/// exceeded", throttling) says nothing about the device, and deletes nothing.
pub(crate) fn device_gone(code: Option<&str>, message: Option<&str>, in_device_step: bool) -> bool {
    let message = message.unwrap_or_default().to_ascii_lowercase();
    match code {
        Some("ResourceNotFoundException") => message.contains("device does not exist"),
        Some("InvalidParameterException") => message.contains("invalid device key"),
        Some("NotAuthorizedException") => {
            message.contains("invalid device key")
                || (in_device_step && message.contains("incorrect username or password"))
        }
        _ => false,
    }
}

/// Whether a NotAuthorizedException is about the sign-in session rather than the credentials
/// ("Invalid session for the user, session is expired.").
pub(crate) fn session_expired(message: Option<&str>) -> bool {
    message.is_some_and(|m| m.to_ascii_lowercase().contains("session"))
}

/// How a failed call went wrong, as the transport saw it, before anything decides what it means.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The service answered with an error.
    Service {
        details: ServiceDetails,
        status: Option<u16>,
    },
    /// No answer within the timeout; the request may have been processed.
    Timeout(String),
    /// The connection failed; the request may have been sent.
    Network(String),
    /// The connection was refused by our side (TLS: an untrusted certificate); not transient.
    Refused(String),
    /// An answer that is not a Cognito response (with its HTTP status when there was one).
    BadResponse { status: Option<u16>, text: String },
    /// The request could not be built (a bug or a bad configuration).
    Construction(String),
}

impl Failure {
    /// Cognito's error type, e.g. `NotAuthorizedException`.
    pub(crate) fn code(&self) -> Option<&str> {
        self.details().and_then(|d| d.error_type.as_deref())
    }

    /// Cognito's message.
    pub(crate) fn message(&self) -> Option<&str> {
        self.details().and_then(|d| d.message.as_deref())
    }

    /// What Cognito said, when it said something.
    pub(crate) fn details(&self) -> Option<&ServiceDetails> {
        match self {
            Self::Service { details, .. } => Some(details),
            _ => None,
        }
    }

    fn meaning(&self) -> Option<Meaning> {
        self.code().map(meaning)
    }

    /// Whether Cognito said that the device presented is gone ([`device_gone`]).
    pub(crate) fn is_device_gone(&self, in_device_step: bool) -> bool {
        device_gone(self.code(), self.message(), in_device_step)
    }

    /// ResourceNotFoundException "Device does not exist.": the device is gone on the server.
    pub(crate) fn is_device_not_found(&self) -> bool {
        self.code() == Some("ResourceNotFoundException") && self.is_device_gone(false)
    }

    /// The endpoint does not know the operation (it predates it).
    pub(crate) fn is_unknown_operation(&self) -> bool {
        self.meaning() == Some(Meaning::UnknownOperation)
            || self
                .message()
                .is_some_and(|m| m.contains("GetTokensFromRefreshToken") && m.contains("not"))
    }

    /// Cognito refused the credentials of the call (NotAuthorizedException): for a refresh,
    /// the refresh token (revoked, expired, or bound to a device the server does not hold).
    pub(crate) fn is_refused(&self) -> bool {
        self.code() == Some("NotAuthorizedException")
    }

    /// Rejected before any processing: safe to send again whatever the step.
    pub(crate) fn is_throttle(&self) -> bool {
        self.meaning() == Some(Meaning::Throttled)
            || matches!(
                self,
                Self::Service {
                    status: Some(429),
                    ..
                }
            )
    }

    /// A fault that may pass: throttling, a server error, a dropped connection, a timeout.
    pub(crate) fn is_transient(&self) -> bool {
        self.is_throttle()
            || matches!(self, Self::Timeout(_) | Self::Network(_))
            || matches!(
                self,
                Self::Service { status: Some(s), .. } | Self::BadResponse { status: Some(s), .. }
                    if *s >= 500
            )
            || self.meaning() == Some(Meaning::Transient)
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Service { details, .. } => service_error(details),
            Failure::Timeout(m) => Error::Network(format!("timed out: {m}")),
            Failure::Network(m) | Failure::Refused(m) => Error::Network(m),
            Failure::BadResponse { text, .. } => Error::InvalidServerAnswer(text),
            Failure::Construction(m) => Error::Configuration(m),
        }
    }
}

/// The app's error for what Cognito said, by the table above.
fn service_error(details: ServiceDetails) -> Error {
    match meaning(details.error_type.as_deref().unwrap_or_default()) {
        // "Invalid session for the user, session is expired." and the like.
        Meaning::NotAuthorized
            if details.error_type.as_deref() == Some("NotAuthorizedException")
                && session_expired(details.message.as_deref()) =>
        {
            Error::Expired(details)
        }
        Meaning::NotAuthorized => Error::NotAuthorized(details),
        Meaning::CodeMismatch => Error::CodeMismatch(details),
        Meaning::Expired => Error::Expired(details),
        Meaning::InvalidPassword => Error::InvalidPassword(details),
        Meaning::UserNotConfirmed => Error::UserNotConfirmed(details),
        Meaning::PasswordResetRequired => Error::PasswordResetRequired(details),
        Meaning::Throttled => Error::Throttled(details),
        Meaning::LockedOut => Error::LockedOut(details),
        Meaning::InvalidRequest => Error::InvalidRequest(details),
        Meaning::Transient | Meaning::UnknownOperation | Meaning::Other => Error::Service(details),
    }
}

/// Whether a refresh's error is the server's final answer on the session, and why: the refresh
/// token was revoked, expired or spent by rotation, the user is gone or disabled, or Cognito
/// refused the token ("Invalid Refresh Token"). Anything else (the network, throttling, a 5xx, a locked store, a device
/// still pending) leaves the session as it is.
pub(crate) fn session_end(e: &Error) -> Option<crate::SessionEndReason> {
    use crate::SessionEndReason as Reason;
    if matches!(e, Error::DevicePending(_)) {
        return None;
    }
    let details = e.service_details()?;
    let message = details
        .message
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    match details.error_type.as_deref()? {
        "RefreshTokenReuseException" => Some(Reason::RotatedAway),
        "UserNotFoundException" => Some(Reason::UserGone),
        "NotAuthorizedException" if message.contains("expired") => Some(Reason::Expired),
        "NotAuthorizedException" if message.contains("revoked") => Some(Reason::Revoked),
        "NotAuthorizedException" if message.contains("disabled") => Some(Reason::UserDisabled),
        "NotAuthorizedException" if message.contains("invalid refresh token") => {
            Some(Reason::Refused)
        }
        // Any other refusal ("Unable to verify secret hash for client ...": a wrong client
        // secret in this build) says nothing final about the session: it stays.
        _ => None,
    }
}

impl Error {
    /// Whether trying the same call again later can succeed: throttling, a lock-out that will
    /// pass, a network failure, a locked store, a transient fault of the service. The bindings
    /// carry its answer (Kotlin `CognitoException.isRetryable`, Swift `CognitoError.isRetryable`).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Throttled(_) | Self::LockedOut(_) | Self::Network(_) => true,
            Self::StoreUnavailable(_) => true,
            Self::Service(d) => retry_later(d.error_type.as_deref()),
            _ => false,
        }
    }
}

/// Whether a sign-in step stays open after this error, to be answered again: a wrong code, a
/// refused new password, an answer that does not fit, and anything worth retrying. Every other
/// error ends the sign-in (the app starts a new one), and what it held is dropped.
pub(crate) fn keeps_the_step(e: &Error) -> bool {
    e.is_retryable()
        || matches!(
            e,
            Error::CodeMismatch(_) | Error::InvalidPassword(_) | Error::InvalidStepAnswer(_)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str, message: &str) -> Failure {
        Failure::Service {
            details: ServiceDetails {
                error_type: Some(code.to_owned()),
                message: Some(message.to_owned()),
                request_id: None,
            },
            status: Some(400),
        }
    }

    #[test]
    fn failures_become_the_errors_an_app_acts_on() {
        let e = |code, message| Error::from(service(code, message));
        assert!(matches!(
            e("NotAuthorizedException", "Incorrect username or password."),
            Error::NotAuthorized(_)
        ));
        assert!(matches!(
            e(
                "NotAuthorizedException",
                "Invalid session for the user, session is expired."
            ),
            Error::Expired(_)
        ));
        assert!(matches!(
            e("CodeMismatchException", "m"),
            Error::CodeMismatch(_)
        ));
        // A lock-out is a lock-out, not throttling; both may be retried later.
        let locked = e("TooManyFailedAttemptsException", "m");
        assert!(matches!(locked, Error::LockedOut(_)), "{locked:?}");
        assert!(locked.is_retryable() && !keeps_the_step(&Error::Misuse("x".into())));
        let throttled = e("TooManyRequestsException", "m");
        assert!(matches!(throttled, Error::Throttled(_)) && throttled.is_retryable());
        assert!(!service("SomethingNew", "m").is_transient());
        assert!(matches!(e("SomethingNew", "m"), Error::Service(_)));
        assert!(matches!(
            Error::from(Failure::Timeout("t".into())),
            Error::Network(_)
        ));
        assert!(
            Failure::Service {
                details: ServiceDetails::default(),
                status: Some(503)
            }
            .is_transient()
        );
    }

    #[test]
    fn codes_have_their_meaning_and_unknown_codes_are_other() {
        assert_eq!(meaning("TooManyRequestsException"), Meaning::Throttled);
        assert_eq!(
            meaning("TooManyFailedAttemptsException"),
            Meaning::LockedOut
        );
        assert_eq!(meaning("InternalErrorException"), Meaning::Transient);
        assert_eq!(meaning("SomethingNew"), Meaning::Other);
    }

    #[test]
    fn only_device_answers_mean_a_device_is_gone() {
        let gone = |c, m, step| device_gone(Some(c), Some(m), step);
        assert!(gone(
            "ResourceNotFoundException",
            "Device does not exist.",
            false
        ));
        assert!(!gone(
            "ResourceNotFoundException",
            "User pool client abc does not exist.",
            false
        ));
        assert!(gone(
            "NotAuthorizedException",
            "Incorrect username or password.",
            true
        ));
        assert!(!gone(
            "NotAuthorizedException",
            "Incorrect username or password.",
            false
        ));
        assert!(!gone(
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
            true
        ));
    }
}
