//! The one public error type: variants an app can act on, each keeping Cognito's error type
//! and message for diagnostics, never a secret.

use crate::srp::SrpError;
use crate::store::StoreError;

/// What Cognito said, for logs and support tickets: its `__type`, its message and the AWS
/// request id (`x-amzn-RequestId`), which AWS Support asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ServiceDetails {
    /// The error type, e.g. `NotAuthorizedException`.
    pub error_type: Option<String>,
    /// The service's message, e.g. `Incorrect username or password.`.
    pub message: Option<String>,
    /// The AWS request id of the failed call, when the answer carried one.
    pub request_id: Option<String>,
}

impl ServiceDetails {
    /// Details with Cognito's error type and message (for tests and for layers over this SDK
    /// that report Cognito's errors in the same form).
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error_type: Some(error_type.into()),
            message: Some(message.into()),
            request_id: None,
        }
    }

    /// The same details with the AWS request id of the call.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }
}

impl std::fmt::Display for ServiceDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.error_type, &self.message) {
            (Some(t), Some(m)) => write!(f, "{t}: {m}")?,
            (Some(t), None) => f.write_str(t)?,
            (None, Some(m)) => f.write_str(m)?,
            (None, None) => f.write_str("no details")?,
        }
        match &self.request_id {
            Some(id) => write!(f, "; request id {id}"),
            None => Ok(()),
        }
    }
}

/// Why the server ended a session. Only a final answer of the server ends one: a network
/// error, throttling, a 5xx or a locked store keep everything (the error is retryable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionEndReason {
    /// The refresh token was revoked (sign-out elsewhere, GlobalSignOut, an administrator).
    Revoked,
    /// The refresh token is past its validity.
    Expired,
    /// The refresh token was spent by rotation, and no newer one is in the store.
    RotatedAway,
    /// The user no longer exists.
    UserGone,
    /// The user is disabled.
    UserDisabled,
    /// The device the session is bound to was forgotten (elsewhere, or by an administrator):
    /// its local secret is deleted too, and the next sign-in answers MFA.
    DeviceForgotten,
    /// Cognito refused the refresh token ("Invalid Refresh Token"), for no reason it names.
    Refused,
}

/// Every way a call of this SDK can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Wrong user name or password (Cognito's `NotAuthorizedException` during sign-in), or a
    /// user that does not exist when the pool hides that (`UserNotFoundException`).
    #[error("incorrect username or password ({0})")]
    NotAuthorized(ServiceDetails),
    /// The MFA or verification code is wrong. The same step can be answered again.
    #[error("the code is wrong ({0})")]
    CodeMismatch(ServiceDetails),
    /// The code, or the sign-in session, expired: start the sign-in again.
    #[error("the code or the sign-in session expired ({0})")]
    Expired(ServiceDetails),
    /// The new password does not satisfy the pool's policy.
    #[error("the password does not satisfy the policy ({0})")]
    InvalidPassword(ServiceDetails),
    /// The user has not confirmed their account (sign-up code not entered yet).
    #[error("the user is not confirmed ({0})")]
    UserNotConfirmed(ServiceDetails),
    /// The user must reset their password before signing in.
    #[error("the user must reset the password ({0})")]
    PasswordResetRequired(ServiceDetails),
    /// The remembered device was forgotten on the server, and signing in again without it
    /// did not succeed either (the local record is already deleted).
    #[error("the remembered device is no longer known to the server ({0})")]
    DeviceForgotten(ServiceDetails),
    /// The device of this session is not yet confirmed (its ConfirmDevice failed, see
    /// [`DeviceOutcome::pending_confirmation`](crate::DeviceOutcome)), so Cognito refuses the
    /// session's refresh token. Call [`Client::confirm_pending_device`](crate::Client) with the
    /// session's tokens while the access token is valid, then refresh; or sign in again.
    #[error("the device of this session is not yet confirmed: {0}")]
    DevicePending(String),
    /// The device-secret store is locked or not yet available (for instance before the first
    /// unlock after a reboot). Retry later; nothing was deleted.
    #[error("the device-secret store is unavailable: {0}")]
    StoreUnavailable(String),
    /// The device-secret store failed in another way.
    #[error("the device-secret store failed: {0}")]
    Store(String),
    /// Cognito throttled the request, and retrying did not help.
    #[error("too many requests ({0})")]
    Throttled(ServiceDetails),
    /// Too many failed attempts (`TooManyFailedAttemptsException`): the user is locked out for
    /// a while. Repeating now cannot help; try again later.
    #[error("too many failed attempts; locked out for a while ({0})")]
    LockedOut(ServiceDetails),
    /// The network failed (connection refused or reset, DNS, TLS, timeout).
    #[error("network error: {0}")]
    Network(String),
    /// The server's answer could not be understood (malformed challenge, missing fields,
    /// unknown challenge, a response that is not Cognito's).
    #[error("invalid answer from the server: {0}")]
    InvalidServerAnswer(String),
    /// Cognito rejected the request as invalid (`InvalidParameterException` and the like).
    #[error("the request was rejected ({0})")]
    InvalidRequest(ServiceDetails),
    /// The client's configuration is wrong (user pool id, app client id, endpoint).
    #[error("configuration error: {0}")]
    Configuration(String),
    /// The answer given does not fit the step (for instance an MFA type not offered, a
    /// password that is not UTF-8). The step can be answered again.
    #[error("invalid answer to this sign-in step: {0}")]
    InvalidStepAnswer(String),
    /// The SDK was called in a way that cannot work, whatever the server says: a step
    /// answered twice, tokens of another session, signing out a session without its refresh
    /// token, forgetting "this device" when none is stored, an empty user name. A bug in the
    /// app, never retryable.
    #[error("misuse of the SDK: {0}")]
    Misuse(String),
    /// No session is kept for this user on this device (never signed in here, signed out,
    /// or the session ended): sign in.
    #[error("not signed in: {0}")]
    NoSession(String),
    /// The server ended the session: the refresh token was revoked, expired or spent, or the
    /// user is gone. The kept session was removed (the device secret stays); sign in again.
    #[error("the session ended ({0:?}): {1}")]
    SessionEnded(SessionEndReason, ServiceDetails),
    /// Any other error of the service.
    #[error("service error ({0})")]
    Service(ServiceDetails),
}

impl Error {
    /// Cognito's error type and message, when the error came from the service.
    pub fn service_details(&self) -> Option<&ServiceDetails> {
        match self {
            Self::NotAuthorized(d)
            | Self::CodeMismatch(d)
            | Self::Expired(d)
            | Self::InvalidPassword(d)
            | Self::UserNotConfirmed(d)
            | Self::PasswordResetRequired(d)
            | Self::DeviceForgotten(d)
            | Self::Throttled(d)
            | Self::LockedOut(d)
            | Self::InvalidRequest(d)
            | Self::SessionEnded(_, d)
            | Self::Service(d) => Some(d),
            _ => None,
        }
    }

    // `is_retryable` is decided with every other meaning of a failure, in `cognito_errors`.
}

impl From<SrpError> for Error {
    fn from(e: SrpError) -> Self {
        match e {
            SrpError::InvalidUserPoolId(_) => Self::Configuration(e.to_string()),
            SrpError::Randomness(_) => Self::Configuration(e.to_string()),
            other => Self::InvalidServerAnswer(other.to_string()),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => Self::StoreUnavailable(m),
            other => Self::Store(other.to_string()),
        }
    }
}
