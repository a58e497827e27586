//! The one error type of the bindings, mapped from [`cognito_device_auth::Error`] in one place.

use cognito_device_auth::Error;

/// Why a call failed. Switch on the case to react (ask for the password again, the code again,
/// retry later...); `errorType` and `serviceMessage` keep what Cognito said, for logs and
/// support tickets. Never carries a secret (no password, code or token).
///
/// Kotlin: the sealed class `CognitoException` (one subclass per case); Swift: the enum
/// `CognitoError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CognitoError {
    /// Wrong user name or password (`NotAuthorizedException`), or an unknown user when the
    /// pool hides that. Ask for the password again.
    #[error("incorrect username or password")]
    NotAuthorized {
        /// Cognito's error type, e.g. `NotAuthorizedException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The MFA or verification code is wrong. The same step can be answered again.
    #[error("the code is wrong")]
    CodeMismatch {
        /// Cognito's error type, e.g. `CodeMismatchException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The code, or the sign-in session, expired: start the sign-in again.
    #[error("the code or the sign-in session expired")]
    Expired {
        /// Cognito's error type, e.g. `ExpiredCodeException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The new password does not satisfy the pool's policy.
    #[error("the password does not satisfy the policy")]
    InvalidPassword {
        /// Cognito's error type, e.g. `InvalidPasswordException`.
        error_type: Option<String>,
        /// Cognito's message (which rule failed).
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The user has not confirmed their account yet.
    #[error("the user is not confirmed")]
    UserNotConfirmed {
        /// Cognito's error type, e.g. `UserNotConfirmedException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The user must reset their password before signing in.
    #[error("the user must reset the password")]
    PasswordResetRequired {
        /// Cognito's error type, e.g. `PasswordResetRequiredException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The remembered device was forgotten on the server and signing in without it failed too
    /// (the local record is already deleted). Sign in again.
    #[error("the remembered device is no longer known to the server")]
    DeviceForgotten {
        /// Cognito's error type, e.g. `ResourceNotFoundException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The device of this session is not yet confirmed, so its refresh token is refused: call
    /// `confirmPendingDevice` with the session's tokens while they are valid, then refresh; or
    /// sign in again.
    #[error("the device of this session is not yet confirmed: {reason}")]
    DevicePending {
        /// What to do.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// Cognito throttled the request and retrying did not help. Retry later.
    #[error("too many requests")]
    Throttled {
        /// Cognito's error type, e.g. `TooManyRequestsException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// Too many failed attempts (`TooManyFailedAttemptsException`): the user is locked out for
    /// a while. Repeating now cannot help; try again later.
    #[error("too many failed attempts; locked out for a while")]
    LockedOut {
        /// Cognito's error type, e.g. `TooManyFailedAttemptsException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// Cognito rejected the request as invalid (`InvalidParameterException` and the like).
    #[error("the request was rejected")]
    InvalidRequest {
        /// Cognito's error type, e.g. `InvalidParameterException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// Any other error of the service.
    #[error("service error")]
    Service {
        /// Cognito's error type, e.g. `InternalErrorException`.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call, for support tickets.
        request_id: Option<String>,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The device-secret store is locked or not available yet (for instance before the first
    /// unlock after a reboot). Retry later; nothing was deleted.
    #[error("the device-secret store is unavailable: {reason}")]
    StoreUnavailable {
        /// What the store said.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The device-secret store failed in another way (an app-supplied store threw).
    #[error("the device-secret store failed: {reason}")]
    StoreFailed {
        /// What the store said.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The network failed (connection refused or reset, DNS, TLS, timeout). Retry later.
    #[error("network error: {reason}")]
    Network {
        /// What failed.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The server's answer could not be understood.
    #[error("invalid answer from the server: {reason}")]
    InvalidServerAnswer {
        /// What was wrong with it.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The client's configuration is wrong (user pool id, app client id, endpoint).
    #[error("configuration error: {reason}")]
    Configuration {
        /// What is wrong.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// The answer does not fit the step (an MFA type not offered, a password that is not
    /// UTF-8). The step can be answered again.
    #[error("invalid answer to this sign-in step: {reason}")]
    InvalidStepAnswer {
        /// What is wrong.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
    /// No session is kept for this user on this device: sign in.
    #[error("not signed in: {reason}")]
    NoSession {
        /// Why.
        reason: String,
        /// Never: sign in.
        retryable: bool,
    },
    /// The server ended the session (revoked, expired, spent by rotation, user gone): the kept
    /// session was removed, the device secret stays. Sign in again.
    #[error("the session ended: {reason:?}")]
    SessionEnded {
        /// Why.
        reason: cognito_device_auth::SessionEndReason,
        /// Cognito's error type.
        error_type: Option<String>,
        /// Cognito's message.
        service_message: Option<String>,
        /// The AWS request id of the failed call.
        request_id: Option<String>,
        /// Never: sign in again.
        retryable: bool,
    },
    /// The SDK was called in a way that cannot work: a step answered twice, tokens of another
    /// session, signing out a session without its refresh token, forgetting "this device"
    /// when none is stored. A bug in the app; never retryable.
    #[error("misuse of the SDK: {reason}")]
    Misuse {
        /// What is wrong.
        reason: String,
        /// Whether trying the same call again later can succeed: the SDK's rule, decided
        /// when the error was made (also `isRetryable()`).
        retryable: bool,
    },
}

/// The bindings' error, filled from the core's in one place: each case with Cognito's details
/// (`$details`) or a reason (`$reason`, the bindings' `StoreFailed` is the core's `Store`), and
/// `retryable` from the core's own rule.
macro_rules! from_core {
    (details: [$($d:ident),*], reason: [$($r:ident => $core:ident),*]) => {
        impl From<Error> for CognitoError {
            fn from(e: Error) -> Self {
                let retryable = e.is_retryable();
                match e {
                    $(Error::$d(d) => Self::$d {
                        error_type: d.error_type,
                        service_message: d.message,
                        request_id: d.request_id,
                        retryable,
                    },)*
                    $(Error::$core(reason) => Self::$r { reason, retryable },)*
                    Error::SessionEnded(reason, d) => Self::SessionEnded {
                        reason,
                        error_type: d.error_type,
                        service_message: d.message,
                        request_id: d.request_id,
                        retryable,
                    },
                    // The core's error is non-exhaustive: a case added there and not yet here
                    // still reaches the app, with its text, as a service error.
                    other => Self::Service {
                        error_type: None,
                        service_message: Some(other.to_string()),
                        request_id: None,
                        retryable,
                    },
                }
            }
        }

        #[uniffi::export]
        impl CognitoError {
            /// Whether trying the same call again later can succeed (throttling, a lock-out,
            /// the network, a locked store, a transient fault of the service): the SDK's own
            /// rule, decided when the error was made.
            pub fn is_retryable(&self) -> bool {
                match self {
                    $(Self::$d { retryable, .. })|* => *retryable,
                    $(Self::$r { retryable, .. })|* => *retryable,
                    Self::SessionEnded { retryable, .. } => *retryable,
                }
            }
        }
    };
}

from_core!(
    details: [
        NotAuthorized, CodeMismatch, Expired, InvalidPassword, UserNotConfirmed,
        PasswordResetRequired, DeviceForgotten, Throttled, LockedOut, InvalidRequest, Service
    ],
    reason: [
        DevicePending => DevicePending, StoreUnavailable => StoreUnavailable,
        StoreFailed => Store, Network => Network, InvalidServerAnswer => InvalidServerAnswer,
        Configuration => Configuration, InvalidStepAnswer => InvalidStepAnswer,
        NoSession => NoSession, Misuse => Misuse
    ]
);

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_device_auth::ServiceDetails;

    #[test]
    fn service_errors_keep_cognitos_type_and_message() {
        let details =
            ServiceDetails::new("CodeMismatchException", "Invalid code received for user")
                .with_request_id("5d1c-request");
        let e = CognitoError::from(Error::CodeMismatch(details));
        assert_eq!(
            e,
            CognitoError::CodeMismatch {
                error_type: Some("CodeMismatchException".into()),
                service_message: Some("Invalid code received for user".into()),
                request_id: Some("5d1c-request".into()),
                retryable: false,
            }
        );
        assert!(!e.is_retryable());
        let e = CognitoError::from(Error::StoreUnavailable("locked".into()));
        assert_eq!(
            e,
            CognitoError::StoreUnavailable {
                reason: "locked".into(),
                retryable: true,
            }
        );
        assert!(e.is_retryable());
        let e = CognitoError::from(Error::LockedOut(ServiceDetails::new(
            "TooManyFailedAttemptsException",
            "m",
        )));
        assert!(matches!(e, CognitoError::LockedOut { .. }) && e.is_retryable());
    }

    /// The bindings' `isRetryable` is the core's rule, case by case, including the transient
    /// service faults a hand-written copy once left out.
    #[test]
    fn is_retryable_is_the_cores_rule() {
        let service = |code: &str| ServiceDetails::new(code, "m");
        let cases = [
            Error::Service(service("InternalErrorException")),
            Error::Service(service("ServiceUnavailableException")),
            Error::Service(service("SomethingElse")),
            Error::Throttled(service("TooManyRequestsException")),
            Error::LockedOut(service("TooManyFailedAttemptsException")),
            Error::NotAuthorized(service("NotAuthorizedException")),
            Error::Network("reset".into()),
            Error::StoreUnavailable("locked".into()),
            Error::Misuse("twice".into()),
        ];
        for e in cases {
            let expected = e.is_retryable();
            assert_eq!(CognitoError::from(e).is_retryable(), expected);
        }
        assert!(
            CognitoError::from(Error::Service(service("InternalErrorException"))).is_retryable()
        );
    }
}
