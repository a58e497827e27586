//! The values the switches that are not simple booleans take, and the answers they word.

use serde::Serialize;

use crate::error::ApiError;

/// The messages `expired-session-message` takes: the default, and the same without its tail.
pub const EXPIRED_SESSION_MESSAGES: [&str; 2] = [
    "Invalid session for the user, session is expired.",
    "Invalid session for the user.",
];

/// The messages `secret-hash-mismatch-message` takes; `{client}` is the client id. Both are
/// quoted from real answers: laravel-aws-cognito-auth issue 26 and
/// aws-sdk-net-extensions-cognito issue 94.
pub const SECRET_HASH_MISMATCH_MESSAGES: [&str; 2] = [
    "Unable to verify secret hash for client {client}",
    "SecretHash does not match for the client: {client}",
];

/// The error types `refresh-token-auth-rotation-refusal` takes. That REFRESH_TOKEN_AUTH is
/// refused in an app client with refresh-token rotation is documented ("You can't authenticate
/// with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled.", refresh-token
/// guide); no captured answer shows its type or message.
pub const ROTATION_REFUSALS: [&str; 2] = ["InvalidParameterException", "NotAuthorizedException"];

/// The message of the refusal (the guide's own sentence; the real wording is not public).
pub const ROTATION_REFUSAL_MESSAGE: &str = "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled.";

/// The answers `confirm-device-unknown-key` takes: (type, message). "Invalid device key given."
/// is what ConfirmDevice answers for a key it will not confirm (boto3 issue 4059, amplify-js
/// issue 2087); what an unknown or another user's key gets is not shown anywhere.
pub const CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS: [(&str, &str); 2] = [
    ("InvalidParameterException", "Invalid device key given."),
    ("ResourceNotFoundException", "Device does not exist."),
];

/// The answers `unknown-operation-answer` takes (HTTP 400 each, the operation named in the
/// message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnknownOperationAnswer {
    /// `UnknownOperationException` "The operation X is not supported by cognito-emulator." (the
    /// AWS JSON protocol's generic answer).
    UnknownOperationException,
    /// `InvalidAction` "Unknown Cognito IDP action: X" (ministack issue 1031).
    InvalidAction,
    /// `UnsupportedOperation` "Operation X is not supported." (floci issue 234).
    UnsupportedOperation,
}

impl UnknownOperationAnswer {
    /// Every value, the default first.
    pub const ALL: [UnknownOperationAnswer; 3] = [
        UnknownOperationAnswer::UnknownOperationException,
        UnknownOperationAnswer::InvalidAction,
        UnknownOperationAnswer::UnsupportedOperation,
    ];

    /// The switch value, which is also the `__type` of the answer.
    pub fn name(self) -> &'static str {
        match self {
            UnknownOperationAnswer::UnknownOperationException => "UnknownOperationException",
            UnknownOperationAnswer::InvalidAction => "InvalidAction",
            UnknownOperationAnswer::UnsupportedOperation => "UnsupportedOperation",
        }
    }

    /// The answer to a call of `operation`, which the endpoint does not have.
    pub fn error(self, operation: &str) -> ApiError {
        let message = match self {
            UnknownOperationAnswer::UnknownOperationException => {
                format!("The operation {operation} is not supported by cognito-emulator.")
            }
            UnknownOperationAnswer::InvalidAction => {
                format!("Unknown Cognito IDP action: {operation}")
            }
            UnknownOperationAnswer::UnsupportedOperation => {
                format!("Operation {operation} is not supported.")
            }
        };
        ApiError::new(self.name(), message)
    }
}

/// The first factor a sign-in proved, for the rule that device tracking follows the SRP path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub enum FirstFactor {
    /// USER_SRP_AUTH (or USER_AUTH's PASSWORD_SRP): the password proven by SRP.
    #[default]
    PasswordSrp,
    /// USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: the password itself sent.
    PlainPassword,
    /// USER_AUTH with a factor that is not SRP (PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN).
    UserAuthWithoutSrp,
}

/// One of `choices`, or an error naming them.
pub(super) fn one_of<T: Copy>(
    name: &str,
    value: &str,
    choices: &[T],
    label: impl Fn(&T) -> &str,
) -> Result<T, String> {
    choices
        .iter()
        .find(|c| label(c) == value)
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(&label).collect();
            format!("{name} takes one of {names:?}, not {value:?}")
        })
}

/// `true` / `false` (also yes / no, on / off).
pub(super) fn boolean(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        other => Err(format!("{name} takes true or false, not {other:?}")),
    }
}
