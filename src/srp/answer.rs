//! The fields of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge response.

use std::collections::HashMap;

use super::challenge::param;
use super::timestamp::Timestamp;

/// What a client sends back for a verifier challenge (docs/protocol.md 2.7 and 4). The flow adds
/// SECRET_HASH (and, for the user step, DEVICE_KEY when a device is remembered) and forwards
/// the Session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierAnswer {
    /// USERNAME: the internal user name.
    pub username: String,
    /// PASSWORD_CLAIM_SECRET_BLOCK: the SECRET_BLOCK exactly as received.
    pub secret_block: String,
    /// TIMESTAMP: the time the signature covers.
    pub timestamp: Timestamp,
    /// PASSWORD_CLAIM_SIGNATURE (base64).
    pub signature: String,
    /// DEVICE_KEY: set for the device step.
    pub device_key: Option<String>,
}

impl PasswordVerifierAnswer {
    /// The response as Cognito's `ChallengeResponses` map.
    pub fn to_parameters(&self) -> HashMap<String, String> {
        let mut map = HashMap::with_capacity(5);
        map.insert(param::USERNAME.to_owned(), self.username.clone());
        map.insert(
            param::PASSWORD_CLAIM_SECRET_BLOCK.to_owned(),
            self.secret_block.clone(),
        );
        map.insert(
            param::TIMESTAMP.to_owned(),
            self.timestamp.as_str().to_owned(),
        );
        map.insert(
            param::PASSWORD_CLAIM_SIGNATURE.to_owned(),
            self.signature.clone(),
        );
        if let Some(device_key) = &self.device_key {
            map.insert(param::DEVICE_KEY.to_owned(), device_key.clone());
        }
        map
    }
}
