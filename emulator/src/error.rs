//! Errors exactly as Cognito puts them on the wire: HTTP 400 (or 500 for internal errors)
//! with `{"__type": "...", "message": "..."}`.

use std::fmt;

/// An error answer of the emulated Cognito API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status (400 for client errors, 500 for `InternalErrorException`).
    pub status: u16,
    /// Cognito's `__type`, e.g. `NotAuthorizedException`.
    pub kind: &'static str,
    /// Cognito's human message, e.g. `Incorrect username or password.`.
    pub message: String,
}

/// Result of an operation handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 400 error of the given type.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            kind,
            message: message.into(),
        }
    }

    /// `NotAuthorizedException`.
    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }

    /// `NotAuthorizedException` "Incorrect username or password." — the answer to every failed
    /// proof of the password (wrong signature, unknown user when user existence errors are hidden).
    pub fn incorrect_password() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    /// `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    /// `InvalidParameterException` for a missing member, worded like Cognito's request validation.
    pub fn missing(member: &str) -> Self {
        Self::invalid_parameter(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    }

    /// `InvalidParameterException` "Missing required parameter X" (auth and challenge parameters).
    pub fn missing_parameter(name: &str) -> Self {
        Self::invalid_parameter(format!("Missing required parameter {name}"))
    }

    /// `ResourceNotFoundException`.
    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    /// `ResourceNotFoundException` "Device does not exist.".
    pub fn device_not_found() -> Self {
        Self::resource_not_found("Device does not exist.")
    }

    /// `UserNotFoundException` "User does not exist.".
    pub fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    /// `CodeMismatchException` "Invalid code or auth state for the user." (the wording real
    /// SMS MFA answers quote: amplify-js issues 3066 and 11069).
    pub fn code_mismatch() -> Self {
        Self::new(
            "CodeMismatchException",
            "Invalid code or auth state for the user.",
        )
    }

    /// `ExpiredCodeException`.
    pub fn expired_code() -> Self {
        Self::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        )
    }

    /// `NotAuthorizedException` for an unknown, used or expired Session / SECRET_BLOCK, in the
    /// default words; `ops::dispatch` rewords it by the `expired-session-message` switch.
    pub fn invalid_session() -> Self {
        Self::not_authorized("Invalid session for the user, session is expired.")
    }

    /// `NotAuthorizedException` for a wrong SECRET_HASH or client secret, in the default
    /// words; `ops::dispatch` rewords it by the `secret-hash-mismatch-message` switch.
    pub fn secret_hash_mismatch(client_id: &str) -> Self {
        Self::not_authorized(format!(
            "Unable to verify secret hash for client {client_id}"
        ))
    }

    /// `NotAuthorizedException` "Invalid Access Token".
    pub fn invalid_access_token() -> Self {
        Self::not_authorized("Invalid Access Token")
    }

    /// `NotAuthorizedException` "Invalid Refresh Token".
    pub fn invalid_refresh_token() -> Self {
        Self::not_authorized("Invalid Refresh Token")
    }

    /// `InternalErrorException` (HTTP 500).
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: 500,
            kind: "InternalErrorException",
            message: message.into(),
        }
    }

    /// The JSON body Cognito sends.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "__type": self.kind, "message": self.message })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApiError {}
