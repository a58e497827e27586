//! USER_SRP_AUTH: the user's half of the exchange (docs/protocol.md 2).

use super::SrpError;
use super::answer::PasswordVerifierAnswer;
use super::challenge::{PasswordVerifierChallenge, param};
use super::ephemeral::Ephemeral;
use super::exchange::{Identity, prove};
use super::secret::Password;
use super::timestamp::Timestamp;

/// One USER_SRP_AUTH exchange: owns its private value, gives SRP_A for InitiateAuth, and
/// answers the PASSWORD_VERIFIER challenge once.
#[derive(Debug)]
pub struct UserSrpSession {
    pool_name: String,
    ephemeral: Ephemeral,
}

impl UserSrpSession {
    /// A session for a user pool id such as `us-east-1_AbCdEf123`, with a fresh private value
    /// from the OS CSPRNG.
    pub fn new(user_pool_id: &str) -> Result<Self, SrpError> {
        Self::with_ephemeral(user_pool_id, Ephemeral::generate()?)
    }

    /// A session with a given (for instance pre-computed) ephemeral pair.
    pub fn with_ephemeral(user_pool_id: &str, ephemeral: Ephemeral) -> Result<Self, SrpError> {
        Ok(Self {
            pool_name: pool_name(user_pool_id)?.to_owned(),
            ephemeral,
        })
    }

    /// SRP_A for InitiateAuth.
    pub fn srp_a(&self) -> String {
        self.ephemeral.srp_a()
    }

    /// The pool name: the part of the user pool id after the `_`.
    pub fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// The PASSWORD_VERIFIER answer. The maths use USER_ID_FOR_SRP, never the name the user
    /// typed (an alias such as an e-mail address would fail, docs/protocol.md 5.4). USERNAME in the
    /// answer is the challenge's USERNAME (the internal name), or USER_ID_FOR_SRP without one.
    pub fn answer(
        &self,
        challenge: &PasswordVerifierChallenge,
        password: &Password,
        timestamp: &Timestamp,
    ) -> Result<PasswordVerifierAnswer, SrpError> {
        let user_id = challenge
            .user_id_for_srp()
            .ok_or(SrpError::MissingParameter {
                name: param::USER_ID_FOR_SRP,
            })?;
        let identity = Identity {
            realm: &self.pool_name,
            user_id,
            secret: password.expose(),
        };
        let (_key, signature) = prove(&self.ephemeral, challenge, &identity, timestamp)?;
        Ok(PasswordVerifierAnswer {
            username: challenge.username().unwrap_or(user_id).to_owned(),
            secret_block: challenge.secret_block().to_owned(),
            timestamp: timestamp.clone(),
            signature,
            device_key: None,
        })
    }
}

/// The pool name of a user pool id: what follows the first `_` (docs/protocol.md 2.3).
pub fn pool_name(user_pool_id: &str) -> Result<&str, SrpError> {
    match user_pool_id.split_once('_') {
        Some((region, name)) if !region.is_empty() && !name.is_empty() => Ok(name),
        _ => Err(SrpError::InvalidUserPoolId(user_pool_id.to_owned())),
    }
}
