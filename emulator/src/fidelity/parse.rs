//! Reading and showing the switches: by name (`NAME=VALUE`, a JSON object), as JSON, as a label.

use super::values::{
    CONFIRM_DEVICE_AGAIN, CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, CONFIRM_DEVICE_WITHOUT_TRACKING,
    DEVICE_KEY_WITHOUT_TRACKING, EXPIRED_SESSION_MESSAGES, OTHER_DEVICE_KEY_ANSWERS,
    PAGINATION_TOKENS, ROTATION_REFUSALS, SECRET_HASH_MISMATCH_MESSAGES, UPDATE_UNCONFIRMED_DEVICE,
    UnknownOperationAnswer, WRONG_CHALLENGE_NAME_ANSWERS, boolean, one_of,
};
use super::{Fidelity, NAMES};

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

    /// The switch called `name` whose values are one of a list of words, if it is one.
    fn worded_switch(&mut self, name: &str, value: &str) -> Option<Result<(), String>> {
        let (slot, choice) = match name {
            "expired-session-message" => (
                &mut self.expired_session_message,
                one_of(name, value, &EXPIRED_SESSION_MESSAGES, |m| m),
            ),
            "secret-hash-mismatch-message" => (
                &mut self.secret_hash_mismatch_message,
                one_of(name, value, &SECRET_HASH_MISMATCH_MESSAGES, |m| m),
            ),
            "refresh-token-auth-rotation-refusal" => (
                &mut self.refresh_token_auth_rotation_refusal,
                one_of(name, value, &ROTATION_REFUSALS, |t| t),
            ),
            "confirm-device-unknown-key" => (
                &mut self.confirm_device_unknown_key,
                one_of(name, value, &CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, |a| a.0).map(|a| a.0),
            ),
            "confirm-device-again" => (
                &mut self.confirm_device_again,
                one_of(name, value, &CONFIRM_DEVICE_AGAIN, |v| v),
            ),
            "device-key-without-tracking" => (
                &mut self.device_key_without_tracking,
                one_of(name, value, &DEVICE_KEY_WITHOUT_TRACKING, |v| v),
            ),
            "other-device-key-at-verifier" => (
                &mut self.other_device_key_at_verifier,
                one_of(name, value, &OTHER_DEVICE_KEY_ANSWERS, |a| a.0).map(|a| a.0),
            ),
            "confirm-device-without-tracking" => (
                &mut self.confirm_device_without_tracking,
                one_of(name, value, &CONFIRM_DEVICE_WITHOUT_TRACKING, |a| a.0).map(|a| a.0),
            ),
            "update-unconfirmed-device" => (
                &mut self.update_unconfirmed_device,
                one_of(name, value, &UPDATE_UNCONFIRMED_DEVICE, |v| v),
            ),
            "list-devices-pagination-token" => (
                &mut self.list_devices_pagination_token,
                one_of(name, value, &PAGINATION_TOKENS, |v| v),
            ),
            "wrong-challenge-name-answer" => (
                &mut self.wrong_challenge_name_answer,
                one_of(name, value, &WRONG_CHALLENGE_NAME_ANSWERS, |v| v),
            ),
            _ => return None,
        };
        Some(choice.map(|c| *slot = c))
    }

    /// Sets one switch by name; an unknown name or value is an error naming the choices.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        if let Some(switch) = self.boolean_switch(name) {
            *switch = boolean(name, value)?;
            return Ok(());
        }
        if let Some(done) = self.worded_switch(name, value) {
            return done;
        }
        let seconds = |what: &str| {
            value
                .parse()
                .map_err(|_| format!("{name} takes a number of {what}, not {value:?}"))
        };
        match name {
            "timestamp-tolerance" => self.timestamp_tolerance_seconds = seconds("seconds")?,
            "list-devices-default-limit" => self.list_devices_default_limit = seconds("devices")?,
            "unknown-operation-answer" => {
                self.unknown_operation_answer =
                    one_of(name, value, &UnknownOperationAnswer::ALL, |a| a.name())?
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
            NAMES[17]: self.confirm_device_again,
            NAMES[18]: self.device_key_without_tracking,
            NAMES[19]: self.other_device_key_at_verifier,
            NAMES[20]: self.confirm_device_without_tracking,
            NAMES[21]: self.update_unconfirmed_device,
            NAMES[22]: self.list_devices_default_limit,
            NAMES[23]: self.list_devices_pagination_token,
            NAMES[24]: self.wrong_challenge_name_answer,
        })
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
