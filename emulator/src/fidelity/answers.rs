//! The answers the worded switches give, and the decisions the others make.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Fidelity;
use super::values::{
    CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, CONFIRM_DEVICE_WITHOUT_TRACKING, FirstFactor,
    OTHER_DEVICE_KEY_ANSWERS, ROTATION_REFUSAL_MESSAGE,
};
use crate::error::ApiError;

/// What ConfirmDevice does with a device it already confirmed (`confirm-device-again`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAgain {
    /// Accepted; the new verifier replaces the old.
    Overwrite,
    /// Accepted; the first verifier stays.
    Keep,
    /// Refused: InvalidParameterException "Invalid device key given.".
    Refuse,
}

/// Who may set the status of a device whose ConfirmDevice never came
/// (`update-unconfirmed-device`): (UpdateDeviceStatus, AdminUpdateDeviceStatus).
pub type UnconfirmedStatus = (bool, bool);

impl Fidelity {
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
        worded(
            &CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS,
            self.confirm_device_unknown_key,
        )
    }

    /// What ConfirmDevice does with a device it already confirmed.
    pub fn confirm_again(&self) -> ConfirmAgain {
        match self.confirm_device_again {
            "keep" => ConfirmAgain::Keep,
            "refuse" => ConfirmAgain::Refuse,
            _ => ConfirmAgain::Overwrite,
        }
    }

    /// The answer to a sign-in that presents a DEVICE_KEY in a pool without device tracking:
    /// `None` when the key is dropped.
    pub fn device_key_without_tracking(&self) -> Option<ApiError> {
        (self.device_key_without_tracking == "device-not-found").then(ApiError::device_not_found)
    }

    /// The answer to a DEVICE_PASSWORD_VERIFIER that names another device than its step did.
    pub fn other_device_key(&self) -> ApiError {
        worded(&OTHER_DEVICE_KEY_ANSWERS, self.other_device_key_at_verifier)
    }

    /// ConfirmDevice's answer in a pool without device tracking.
    pub fn confirm_without_tracking(&self) -> ApiError {
        let (_, message) = CONFIRM_DEVICE_WITHOUT_TRACKING
            .into_iter()
            .find(|(value, _)| *value == self.confirm_device_without_tracking)
            .unwrap_or(CONFIRM_DEVICE_WITHOUT_TRACKING[0]);
        ApiError::invalid_parameter(message)
    }

    /// Whether (UpdateDeviceStatus, AdminUpdateDeviceStatus) set the status of an unconfirmed
    /// device (else "Device does not exist.").
    pub fn unconfirmed_status(&self) -> UnconfirmedStatus {
        match self.update_unconfirmed_device {
            "both-refuse" => (false, false),
            "both-accept" => (true, true),
            _ => (false, true),
        }
    }

    /// The PaginationToken of a listing whose next page starts at device `key`.
    pub fn pagination_token(&self, key: &str) -> String {
        if self.list_devices_pagination_token == "opaque" {
            URL_SAFE_NO_PAD.encode(key)
        } else {
            key.to_owned()
        }
    }

    /// The device key a PaginationToken stands for (an unreadable opaque token: as given).
    pub fn pagination_start(&self, token: &str) -> String {
        if self.list_devices_pagination_token == "opaque"
            && let Some(key) = URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        {
            return key;
        }
        token.to_owned()
    }

    /// The answer to a ChallengeName other than the one the Session waits for.
    pub fn wrong_challenge_name(&self, given: &str, expected: &str) -> ApiError {
        if self.wrong_challenge_name_answer == "NotAuthorizedException" {
            self.invalid_session()
        } else {
            ApiError::invalid_parameter(format!(
                "Invalid challenge name {given}: the session expects {expected}"
            ))
        }
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
}

/// The (type, message) of `answers` whose type is `kind` (the first if none).
fn worded(answers: &[(&'static str, &'static str)], kind: &str) -> ApiError {
    let (kind, message) = answers
        .iter()
        .copied()
        .find(|(k, _)| *k == kind)
        .unwrap_or(answers[0]);
    ApiError::new(kind, message)
}
