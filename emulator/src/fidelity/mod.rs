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
//! Layout: this module holds [`Fidelity`] and its parsing; `values` the values of the switches
//! that are not booleans and the answers they word.

#[cfg(test)]
mod tests;
mod values;

use serde::Serialize;

use crate::error::ApiError;
pub use values::{
    CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, EXPIRED_SESSION_MESSAGES, FirstFactor,
    ROTATION_REFUSAL_MESSAGE, ROTATION_REFUSALS, SECRET_HASH_MISMATCH_MESSAGES,
    UnknownOperationAnswer,
};
use values::{boolean, one_of};

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
        }
    }
}

/// The switch names, in the order of [`Fidelity`]'s fields.
pub const NAMES: [&str; 17] = [
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
];

/// The tolerances [`Fidelity::matrix`] uses: the default and a tight one.
pub const TOLERANCES: [u64; 2] = [300, 30];

impl Fidelity {
    /// The boolean switch called `name`, if it is one.
    fn boolean_switch(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "remembered-device-skips-email-otp" => &mut self.remembered_device_skips_email_otp,
            "mfa-after-new-password" => &mut self.mfa_after_new_password,
            "mfa-after-mfa-enabled" => &mut self.mfa_after_mfa_enabled,
            "forget-device-revokes-access-token" => &mut self.forget_device_revokes_access_token,
            "not-remembered-device-proves" => &mut self.not_remembered_device_proves,
            "refresh-issues-new-device" => &mut self.refresh_issues_new_device,
            "device-group-key-per-device" => &mut self.device_group_key_per_device,
            "admin-list-devices-remembered-only" => &mut self.admin_list_devices_remembered_only,
            "user-auth-tracks-any-factor" => &mut self.user_auth_tracks_any_factor,
            "wrong-code-keeps-session" => &mut self.wrong_code_keeps_session,
            "refresh-resets-auth-time" => &mut self.refresh_resets_auth_time,
            _ => return None,
        })
    }

    /// Sets one switch by name; an unknown name or value is an error naming the choices.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        if let Some(switch) = self.boolean_switch(name) {
            *switch = boolean(name, value)?;
            return Ok(());
        }
        match name {
            "timestamp-tolerance" => {
                self.timestamp_tolerance_seconds = value
                    .parse()
                    .map_err(|_| format!("{name} takes a number of seconds, not {value:?}"))?
            }
            "expired-session-message" => {
                self.expired_session_message =
                    one_of(name, value, &EXPIRED_SESSION_MESSAGES, |m| m)?
            }
            "secret-hash-mismatch-message" => {
                self.secret_hash_mismatch_message =
                    one_of(name, value, &SECRET_HASH_MISMATCH_MESSAGES, |m| m)?
            }
            "unknown-operation-answer" => {
                self.unknown_operation_answer =
                    one_of(name, value, &UnknownOperationAnswer::ALL, |a| a.name())?
            }
            "refresh-token-auth-rotation-refusal" => {
                self.refresh_token_auth_rotation_refusal =
                    one_of(name, value, &ROTATION_REFUSALS, |t| t)?
            }
            "confirm-device-unknown-key" => {
                self.confirm_device_unknown_key =
                    one_of(name, value, &CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, |a| a.0)?.0
            }
            other => {
                return Err(format!(
                    "unknown fidelity switch {other:?}; known: {}",
                    NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Parses `NAME=VALUE` (the command-line form) and applies it.
    pub fn apply(&mut self, assignment: &str) -> Result<(), String> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--fidelity takes NAME=VALUE, not {assignment:?}"))?;
        self.set(name.trim(), value.trim())
    }

    /// Applies a JSON object `{"NAME": "VALUE" | true | 300, ...}`.
    pub fn apply_json(&mut self, object: &serde_json::Value) -> Result<(), String> {
        let map = object
            .as_object()
            .ok_or("the fidelity settings are a JSON object of NAME: VALUE")?;
        for (name, value) in map {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                other => return Err(format!("{name}: unsupported value {other}")),
            };
            self.set(name, &text)?;
        }
        Ok(())
    }

    /// The values by switch name, as `GET /_emulator/fidelity` shows them.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            NAMES[0]: self.remembered_device_skips_email_otp,
            NAMES[1]: self.mfa_after_new_password,
            NAMES[2]: self.mfa_after_mfa_enabled,
            NAMES[3]: self.forget_device_revokes_access_token,
            NAMES[4]: self.not_remembered_device_proves,
            NAMES[5]: self.refresh_issues_new_device,
            NAMES[6]: self.timestamp_tolerance_seconds,
            NAMES[7]: self.expired_session_message,
            NAMES[8]: self.device_group_key_per_device,
            NAMES[9]: self.admin_list_devices_remembered_only,
            NAMES[10]: self.unknown_operation_answer.name(),
            NAMES[11]: self.secret_hash_mismatch_message,
            NAMES[12]: self.refresh_token_auth_rotation_refusal,
            NAMES[13]: self.user_auth_tracks_any_factor,
            NAMES[14]: self.confirm_device_unknown_key,
            NAMES[15]: self.wrong_code_keeps_session,
            NAMES[16]: self.refresh_resets_auth_time,
        })
    }

    /// The answer to a wrong SECRET_HASH (or client secret) for `client_id`.
    pub fn secret_hash_mismatch(&self, client_id: &str) -> ApiError {
        ApiError::not_authorized(
            self.secret_hash_mismatch_message
                .replace("{client}", client_id),
        )
    }

    /// The answer to an unknown, used or expired Session / SECRET_BLOCK.
    pub fn invalid_session(&self) -> ApiError {
        ApiError::not_authorized(self.expired_session_message)
    }

    /// The refusal of REFRESH_TOKEN_AUTH in an app client with refresh-token rotation.
    pub fn rotation_refusal(&self) -> ApiError {
        ApiError::new(
            self.refresh_token_auth_rotation_refusal,
            ROTATION_REFUSAL_MESSAGE,
        )
    }

    /// ConfirmDevice's answer to an unknown or another user's device key.
    pub fn unknown_device_key(&self) -> ApiError {
        let (kind, message) = CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS
            .into_iter()
            .find(|(kind, _)| *kind == self.confirm_device_unknown_key)
            .unwrap_or(CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS[0]);
        ApiError::new(kind, message)
    }

    /// Whether a device key issued after a sign-in whose first factor was `first` can be
    /// confirmed. USER_SRP_AUTH: yes; USER_PASSWORD_AUTH: no ("You must use the USER_SRP_AUTH
    /// authentication flow to use the device tracking feature", AWS knowledge center;
    /// ConfirmDevice then answers "Invalid device key given.", amplify-js issue 2087); USER_AUTH
    /// without SRP: the switch `user-auth-tracks-any-factor`.
    pub fn device_confirmable(&self, first: FirstFactor) -> bool {
        match first {
            FirstFactor::PasswordSrp => true,
            FirstFactor::PlainPassword => false,
            FirstFactor::UserAuthWithoutSrp => self.user_auth_tracks_any_factor,
        }
    }

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
        }
    }

    /// `NAME=VALUE` pairs that differ from the default, for test names and logs.
    pub fn label(&self) -> String {
        let default = Fidelity::default().to_json();
        let me = self.to_json();
        let changed: Vec<String> = NAMES
            .iter()
            .filter(|n| me[**n] != default[**n])
            .map(|n| format!("{n}={}", me[*n]))
            .collect();
        if changed.is_empty() {
            "defaults".to_owned()
        } else {
            changed.join(",")
        }
    }
}
