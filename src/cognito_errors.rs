//! One table of Cognito's error codes and what each means for this client. Every decision
//! about a service error reads it: which error the app gets, whether a call is repeated now,
//! whether the app may try again later, whether the endpoint lacks an operation. Whether an
//! error means that a device is gone depends on its message too: see [`device_gone`].

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

/// Whether an error with this code and message means that the app may succeed by trying the
/// same call again later.
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

#[cfg(test)]
mod tests {
    use super::*;

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
