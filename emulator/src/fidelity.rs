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

use serde::Serialize;

use crate::error::ApiError;

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
    /// (laravel-aws-cognito-auth issue 26; amplify-android issue 3111, since 2023); which one a
    /// given endpoint sends is not settled. One of [`SECRET_HASH_MISMATCH_MESSAGES`] (`{client}`
    /// stands for the client id); default the first.
    pub secret_hash_mismatch_message: &'static str,
    /// `unknown-operation-answer`: how an endpoint answers an operation it does not have.
    /// Default [`UnknownOperationAnswer::UnknownOperationException`].
    pub unknown_operation_answer: UnknownOperationAnswer,
}

/// The messages `expired-session-message` takes: the default, and the same without its tail.
pub const EXPIRED_SESSION_MESSAGES: [&str; 2] = [
    "Invalid session for the user, session is expired.",
    "Invalid session for the user.",
];

/// The messages `secret-hash-mismatch-message` takes; `{client}` is the client id.
pub const SECRET_HASH_MISMATCH_MESSAGES: [&str; 2] = [
    "Unable to verify secret hash for client {client}",
    "SecretHash does not match for the client: {client}",
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
        }
    }
}

/// The switch names, in the order of [`Fidelity`]'s fields.
pub const NAMES: [&str; 12] = [
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
];

/// The tolerances [`Fidelity::matrix`] uses: the default and a tight one.
pub const TOLERANCES: [u64; 2] = [300, 30];

fn boolean(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        other => Err(format!("{name} takes true or false, not {other:?}")),
    }
}

impl Fidelity {
    /// Sets one switch by name; an unknown name or value is an error naming the choices.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "remembered-device-skips-email-otp" => {
                self.remembered_device_skips_email_otp = boolean(name, value)?
            }
            "mfa-after-new-password" => self.mfa_after_new_password = boolean(name, value)?,
            "mfa-after-mfa-enabled" => self.mfa_after_mfa_enabled = boolean(name, value)?,
            "forget-device-revokes-access-token" => {
                self.forget_device_revokes_access_token = boolean(name, value)?
            }
            "not-remembered-device-proves" => {
                self.not_remembered_device_proves = boolean(name, value)?
            }
            "refresh-issues-new-device" => self.refresh_issues_new_device = boolean(name, value)?,
            "timestamp-tolerance" => {
                self.timestamp_tolerance_seconds = value
                    .parse()
                    .map_err(|_| format!("{name} takes a number of seconds, not {value:?}"))?
            }
            "expired-session-message" => {
                self.expired_session_message = EXPIRED_SESSION_MESSAGES
                    .into_iter()
                    .find(|m| *m == value)
                    .ok_or_else(|| {
                        format!("{name} takes one of {EXPIRED_SESSION_MESSAGES:?}, not {value:?}")
                    })?
            }
            "secret-hash-mismatch-message" => {
                self.secret_hash_mismatch_message = SECRET_HASH_MISMATCH_MESSAGES
                    .into_iter()
                    .find(|m| *m == value)
                    .ok_or_else(|| {
                        format!(
                            "{name} takes one of {SECRET_HASH_MISMATCH_MESSAGES:?}, not {value:?}"
                        )
                    })?
            }
            "device-group-key-per-device" => {
                self.device_group_key_per_device = boolean(name, value)?
            }
            "admin-list-devices-remembered-only" => {
                self.admin_list_devices_remembered_only = boolean(name, value)?
            }
            "unknown-operation-answer" => {
                self.unknown_operation_answer = UnknownOperationAnswer::ALL
                    .into_iter()
                    .find(|a| a.name() == value)
                    .ok_or_else(|| {
                        let names: Vec<&str> = UnknownOperationAnswer::ALL
                            .iter()
                            .map(|a| a.name())
                            .collect();
                        format!("{name} takes one of {}, not {value:?}", names.join(", "))
                    })?
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

    /// Every combination of the six boolean switches that change the device lifecycle (64), each
    /// tolerance in [`TOLERANCES`] taken by half of them and `device-group-key-per-device` by
    /// the other split in half: every value of every such switch, and every combination of the
    /// ones that change what a sign-in asks. The switches the lifecycle does not meet
    /// (`expired-session-message`, `admin-list-devices-remembered-only`,
    /// `unknown-operation-answer`) stay at their defaults; their own tests run each value.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_parses_and_round_trips() {
        let mut f = Fidelity::default();
        for name in NAMES {
            let value = match name {
                "timestamp-tolerance" => "30",
                "not-remembered-device-proves" => "false",
                "expired-session-message" => EXPIRED_SESSION_MESSAGES[1],
                "unknown-operation-answer" => "InvalidAction",
                "secret-hash-mismatch-message" => SECRET_HASH_MISMATCH_MESSAGES[1],
                _ => "true",
            };
            f.apply(&format!("{name}={value}")).unwrap();
        }
        assert_eq!(f, Fidelity::flipped());
        let mut g = Fidelity::default();
        g.apply_json(&f.to_json()).unwrap();
        assert_eq!(g, f);
        assert!(f.set("nonsense", "1").unwrap_err().contains("known:"));
        assert!(f.apply("mfa-after-new-password=maybe").is_err());
        assert!(f.apply("no-equals-sign").is_err());
        assert!(f.apply("expired-session-message=Session gone").is_err());
        assert!(f.apply("unknown-operation-answer=Nope").is_err());
        for answer in UnknownOperationAnswer::ALL {
            f.set("unknown-operation-answer", answer.name()).unwrap();
            assert_eq!(f.unknown_operation_answer, answer);
            let e = answer.error("GetTokensFromRefreshToken");
            assert_eq!((e.status, e.kind), (400, answer.name()));
            assert!(e.message.contains("GetTokensFromRefreshToken"), "{e}");
        }
        f.set("expired-session-message", EXPIRED_SESSION_MESSAGES[1])
            .unwrap();
        assert_eq!(f.invalid_session().message, "Invalid session for the user.");
    }

    #[test]
    fn the_matrix_gives_every_value_of_every_switch() {
        let m = Fidelity::matrix();
        assert_eq!(m.len(), 64);
        for t in TOLERANCES {
            assert!(m.iter().any(|f| f.timestamp_tolerance_seconds == t));
        }
        for per_device in [false, true] {
            assert!(
                m.iter()
                    .any(|f| f.device_group_key_per_device == per_device)
            );
        }
        let distinct: std::collections::HashSet<String> = m.iter().map(|f| f.label()).collect();
        assert_eq!(distinct.len(), 64);
        assert_eq!(Fidelity::default().label(), "defaults");
    }
}
