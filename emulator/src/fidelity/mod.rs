//! Behaviours of the real service that no public source settles, as named switches.
//!
//! Every other behaviour of the emulator carries a source (the table in the README). Where the
//! public record leaves a behaviour open, guessing one way would let an SDK that depends on the
//! guess pass its tests and fail in the field; so each open behaviour is a switch, and SDK tests
//! run under every value ([`Fidelity::matrix`]).
//!
//! Set them with `--fidelity NAME=VALUE` (repeatable) on the command line, with
//! [`EmulatorConfig::fidelity`](crate::EmulatorConfig) in Rust, or at run time with
//! `POST /_emulator/fidelity {"NAME": "VALUE", ...}` (also accepted by `POST /_emulator/faults`
//! as `{"fidelity": {...}}`); `GET /_emulator/fidelity` shows the values in force.
//!
//! Layout: this module holds [`Fidelity`], its defaults and the combinations tests run;
//! `values` the values of the switches that are not booleans; `parse` reading and showing them;
//! `answers` the answers they word and the decisions they make.

mod answers;
mod parse;
#[cfg(test)]
mod tests;
mod values;

use serde::Serialize;

pub use answers::{ConfirmAgain, UnconfirmedStatus};
pub use values::{
    CONFIRM_DEVICE_AGAIN, CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, CONFIRM_DEVICE_WITHOUT_TRACKING,
    DEFAULT_LIMITS, DEVICE_KEY_WITHOUT_TRACKING, EXPIRED_SESSION_MESSAGES, FirstFactor,
    OTHER_DEVICE_KEY_ANSWERS, PAGINATION_TOKENS, ROTATION_REFUSAL_MESSAGE, ROTATION_REFUSALS,
    SECRET_HASH_MISMATCH_MESSAGES, UPDATE_UNCONFIRMED_DEVICE, UnknownOperationAnswer,
    WRONG_CHALLENGE_NAME_ANSWERS,
};

/// The open behaviours. [`Default`] is the value the public evidence leans to, or the one AWS's
/// own documentation implies; the other value is what some users report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fidelity {
    /// `remembered-device-skips-email-otp`: whether a remembered device also replaces EMAIL_OTP
    /// MFA (as it replaces SMS and TOTP). The API reference names only "SMS and TOTP factors";
    /// amplify-js issue 14349 reports e-mail codes asked on remembered devices. Default `false`.
    pub remembered_device_skips_email_otp: bool,
    /// `mfa-after-new-password`: whether the sign-in that answers NEW_PASSWORD_REQUIRED asks MFA
    /// once more although the device is remembered (reported by users of other clients,
    /// amplify-js issues 932 and 4174). Default `false`.
    pub mfa_after_new_password: bool,
    /// `mfa-after-mfa-enabled`: whether the first sign-in after MFA was switched on (for the
    /// pool or the user) asks MFA once on a device remembered before (amplify-js issue 8977).
    /// Default `false`.
    pub mfa_after_mfa_enabled: bool,
    /// `forget-device-revokes-access-token`: whether ForgetDevice also revokes the access
    /// tokens of sign-ins on that device. The AWS SDK for Android's integration test (run
    /// against a real pool) keeps using the access token after forgetting its device, so the
    /// default is `false`; it rests on one test, hence the switch.
    pub forget_device_revokes_access_token: bool,
    /// `not-remembered-device-proves`: whether a confirmed device that is not remembered is
    /// still asked DEVICE_SRP_AUTH after the MFA step (the AWS SDK for Android's test against a
    /// real pool shows MFA asked and the key kept, not what follows). Default `true`.
    pub not_remembered_device_proves: bool,
    /// `refresh-issues-new-device`: whether a refresh that does not present a registered
    /// device's key is answered with a new device (NewDeviceMetadata) instead of "Invalid
    /// Refresh Token". The API reference says both ("issues a new one"; "you must provide the
    /// confirmed device key"); no captured answer settles it. Default `false`.
    pub refresh_issues_new_device: bool,
    /// `timestamp-tolerance`: how many seconds TIMESTAMP may be from the server clock before
    /// the signature is refused ("Incorrect username or password."). Not documented. Default
    /// 300.
    pub timestamp_tolerance_seconds: u64,
    /// `expired-session-message`: the message of the NotAuthorizedException that answers an
    /// unknown, used or expired Session / SECRET_BLOCK. The type is public (amplify-js issue
    /// 2824), the tail ", session is expired." is not. One of [`EXPIRED_SESSION_MESSAGES`];
    /// default the first.
    pub expired_session_message: &'static str,
    /// `device-group-key-per-device`: whether each new device gets a DeviceGroupKey of its own
    /// instead of sharing the user's one. Not documented. Default `false` (one per user).
    pub device_group_key_per_device: bool,
    /// `admin-list-devices-remembered-only`: whether AdminListDevices lists remembered devices
    /// only (as ListDevices does) instead of every confirmed device. Not documented. Default
    /// `false`.
    pub admin_list_devices_remembered_only: bool,
    /// `secret-hash-mismatch-message`: the message of the NotAuthorizedException that answers a
    /// wrong SECRET_HASH (or client secret). Both wordings are quoted from real answers
    /// (laravel-aws-cognito-auth issue 26; aws-sdk-net-extensions-cognito issue 94, 2022); which one a
    /// given endpoint sends is not settled. One of [`SECRET_HASH_MISMATCH_MESSAGES`] (`{client}`
    /// stands for the client id); default the first.
    pub secret_hash_mismatch_message: &'static str,
    /// `unknown-operation-answer`: how an endpoint answers an operation it does not have.
    /// Default [`UnknownOperationAnswer::UnknownOperationException`].
    pub unknown_operation_answer: UnknownOperationAnswer,
    /// `refresh-token-auth-rotation-refusal`: the error type of the refusal of
    /// REFRESH_TOKEN_AUTH in an app client with refresh-token rotation (the refusal is
    /// documented, its type and message are not). One of [`ROTATION_REFUSALS`]; default the
    /// first.
    pub refresh_token_auth_rotation_refusal: &'static str,
    /// `user-auth-tracks-any-factor`: whether a USER_AUTH sign-in without SRP (a plain
    /// password, a one-time code, a passkey) gets a device key ConfirmDevice accepts. "You must
    /// use the USER_SRP_AUTH authentication flow to use the device tracking feature" (AWS
    /// knowledge center) predates USER_AUTH; the newer device guide says a device key comes
    /// with "any sign-in". Default `false` (SRP only). Takes effect once the emulator has
    /// USER_AUTH ([`Fidelity::device_confirmable`]).
    pub user_auth_tracks_any_factor: bool,
    /// `confirm-device-unknown-key`: the answer of ConfirmDevice to an unknown or another
    /// user's device key. One of [`CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS`] by type; default the
    /// first ("Invalid device key given.").
    pub confirm_device_unknown_key: &'static str,
    /// `wrong-code-keeps-session`: whether a wrong SMS / e-mail / TOTP code leaves the
    /// challenge's Session usable for another try (the message "Invalid code or auth state for
    /// the user." is public, amplify-js issue 3066; what happens to the Session is not).
    /// Default `true`.
    pub wrong_code_keeps_session: bool,
    /// `refresh-resets-auth-time`: whether tokens from a refresh carry the refresh's time as
    /// `auth_time` instead of the sign-in's (OIDC Core 12.2 requires the sign-in's; oidc-client-ts
    /// issue 2107 reports Cognito resetting it with rotation, a bug AWS acknowledged). Default
    /// `false`.
    pub refresh_resets_auth_time: bool,
    /// `confirm-device-again`: what ConfirmDevice does with a device it already confirmed (a
    /// client sends it again when the first answer was lost). One of [`CONFIRM_DEVICE_AGAIN`];
    /// default `overwrite` (the new verifier replaces the old).
    pub confirm_device_again: &'static str,
    /// `device-key-without-tracking`: what a sign-in presenting a DEVICE_KEY in a pool without
    /// device tracking gets. One of [`DEVICE_KEY_WITHOUT_TRACKING`]; default `ignored`.
    pub device_key_without_tracking: &'static str,
    /// `other-device-key-at-verifier`: the answer to a DEVICE_PASSWORD_VERIFIER that names
    /// another DEVICE_KEY than its DEVICE_SRP_AUTH step. One of [`OTHER_DEVICE_KEY_ANSWERS`] by
    /// type; default NotAuthorizedException "Incorrect username or password.".
    pub other_device_key_at_verifier: &'static str,
    /// `confirm-device-without-tracking`: ConfirmDevice's answer in a pool without device
    /// tracking. One of [`CONFIRM_DEVICE_WITHOUT_TRACKING`]; default `tracking-not-enabled`.
    pub confirm_device_without_tracking: &'static str,
    /// `update-unconfirmed-device`: who may set the status of a device whose ConfirmDevice
    /// never came. One of [`UPDATE_UNCONFIRMED_DEVICE`]; default `user-call-refuses`.
    pub update_unconfirmed_device: &'static str,
    /// `list-devices-default-limit`: the page size of ListDevices / AdminListDevices without
    /// Limit (the API reference gives the range 0 to 60 only). Default 60.
    pub list_devices_default_limit: u64,
    /// `list-devices-pagination-token`: the form of PaginationToken. One of
    /// [`PAGINATION_TOKENS`]; default `next-device-key`.
    pub list_devices_pagination_token: &'static str,
    /// `wrong-challenge-name-answer`: the type of the answer to a ChallengeName other than the
    /// one the Session waits for. One of [`WRONG_CHALLENGE_NAME_ANSWERS`]; default
    /// InvalidParameterException.
    pub wrong_challenge_name_answer: &'static str,
}

impl Default for Fidelity {
    fn default() -> Self {
        Self {
            remembered_device_skips_email_otp: false,
            mfa_after_new_password: false,
            mfa_after_mfa_enabled: false,
            forget_device_revokes_access_token: false,
            not_remembered_device_proves: true,
            refresh_issues_new_device: false,
            timestamp_tolerance_seconds: 300,
            expired_session_message: EXPIRED_SESSION_MESSAGES[0],
            device_group_key_per_device: false,
            admin_list_devices_remembered_only: false,
            unknown_operation_answer: UnknownOperationAnswer::UnknownOperationException,
            secret_hash_mismatch_message: SECRET_HASH_MISMATCH_MESSAGES[0],
            refresh_token_auth_rotation_refusal: ROTATION_REFUSALS[0],
            user_auth_tracks_any_factor: false,
            confirm_device_unknown_key: CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS[0].0,
            wrong_code_keeps_session: true,
            refresh_resets_auth_time: false,
            confirm_device_again: CONFIRM_DEVICE_AGAIN[0],
            device_key_without_tracking: DEVICE_KEY_WITHOUT_TRACKING[0],
            other_device_key_at_verifier: OTHER_DEVICE_KEY_ANSWERS[0].0,
            confirm_device_without_tracking: CONFIRM_DEVICE_WITHOUT_TRACKING[0].0,
            update_unconfirmed_device: UPDATE_UNCONFIRMED_DEVICE[0],
            list_devices_default_limit: DEFAULT_LIMITS[0],
            list_devices_pagination_token: PAGINATION_TOKENS[0],
            wrong_challenge_name_answer: WRONG_CHALLENGE_NAME_ANSWERS[0],
        }
    }
}

/// The switch names, in the order of [`Fidelity`]'s fields.
pub const NAMES: [&str; 25] = [
    "remembered-device-skips-email-otp",
    "mfa-after-new-password",
    "mfa-after-mfa-enabled",
    "forget-device-revokes-access-token",
    "not-remembered-device-proves",
    "refresh-issues-new-device",
    "timestamp-tolerance",
    "expired-session-message",
    "device-group-key-per-device",
    "admin-list-devices-remembered-only",
    "unknown-operation-answer",
    "secret-hash-mismatch-message",
    "refresh-token-auth-rotation-refusal",
    "user-auth-tracks-any-factor",
    "confirm-device-unknown-key",
    "wrong-code-keeps-session",
    "refresh-resets-auth-time",
    "confirm-device-again",
    "device-key-without-tracking",
    "other-device-key-at-verifier",
    "confirm-device-without-tracking",
    "update-unconfirmed-device",
    "list-devices-default-limit",
    "list-devices-pagination-token",
    "wrong-challenge-name-answer",
];

/// The tolerances [`Fidelity::matrix`] uses: the default and a tight one.
pub const TOLERANCES: [u64; 2] = [300, 30];

impl Fidelity {
    /// Every combination of the six boolean switches that change the device lifecycle (64), each
    /// tolerance in [`TOLERANCES`] taken by half of them and `device-group-key-per-device` by
    /// the other split in half: every value of every such switch, and every combination of the
    /// ones that change what a sign-in asks. The switches the
    /// lifecycle does not meet stay at their defaults; their own tests run each value.
    pub fn matrix() -> Vec<Fidelity> {
        (0u32..64)
            .map(|bits| Fidelity {
                remembered_device_skips_email_otp: bits & 1 != 0,
                mfa_after_new_password: bits & 2 != 0,
                mfa_after_mfa_enabled: bits & 4 != 0,
                forget_device_revokes_access_token: bits & 8 != 0,
                not_remembered_device_proves: bits & 16 == 0,
                refresh_issues_new_device: bits & 32 != 0,
                timestamp_tolerance_seconds: TOLERANCES[(bits.count_ones() % 2) as usize],
                device_group_key_per_device: (bits ^ (bits >> 3)) & 1 != 0,
                ..Fidelity::default()
            })
            .collect()
    }

    /// Every switch at the value that is not its default: with [`Fidelity::default`], two runs
    /// that give every switch each of its values (for the slow tests, such as fault matrices).
    pub fn flipped() -> Fidelity {
        Fidelity {
            remembered_device_skips_email_otp: true,
            mfa_after_new_password: true,
            mfa_after_mfa_enabled: true,
            forget_device_revokes_access_token: true,
            not_remembered_device_proves: false,
            refresh_issues_new_device: true,
            timestamp_tolerance_seconds: TOLERANCES[1],
            expired_session_message: EXPIRED_SESSION_MESSAGES[1],
            device_group_key_per_device: true,
            admin_list_devices_remembered_only: true,
            unknown_operation_answer: UnknownOperationAnswer::InvalidAction,
            secret_hash_mismatch_message: SECRET_HASH_MISMATCH_MESSAGES[1],
            refresh_token_auth_rotation_refusal: ROTATION_REFUSALS[1],
            user_auth_tracks_any_factor: true,
            confirm_device_unknown_key: CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS[1].0,
            wrong_code_keeps_session: false,
            refresh_resets_auth_time: true,
            confirm_device_again: CONFIRM_DEVICE_AGAIN[2],
            device_key_without_tracking: DEVICE_KEY_WITHOUT_TRACKING[1],
            other_device_key_at_verifier: OTHER_DEVICE_KEY_ANSWERS[1].0,
            confirm_device_without_tracking: CONFIRM_DEVICE_WITHOUT_TRACKING[1].0,
            update_unconfirmed_device: UPDATE_UNCONFIRMED_DEVICE[1],
            list_devices_default_limit: DEFAULT_LIMITS[1],
            list_devices_pagination_token: PAGINATION_TOKENS[1],
            wrong_challenge_name_answer: WRONG_CHALLENGE_NAME_ANSWERS[1],
        }
    }
}
