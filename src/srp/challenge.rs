//! Parsing what the server sends with PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER
//! (docs/protocol.md 2.2 and 4). Every malformed value becomes a typed [`SrpError`]; nothing here
//! panics on server input.

use std::collections::HashMap;

use crypto_bigint::U3072;

use super::SrpError;
use super::encoding::{base64_decode_lenient, parse_hex_integer};
use super::group::reduce_public;

/// Challenge parameter names, as Cognito spells them.
pub mod param {
    /// The user's salt (hex).
    pub const SALT: &str = "SALT";
    /// The server's public value B (hex).
    pub const SRP_B: &str = "SRP_B";
    /// The opaque block to sign and echo (base64).
    pub const SECRET_BLOCK: &str = "SECRET_BLOCK";
    /// The internal user name the SRP maths use.
    pub const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";
    /// The internal user name (challenge) or the name the request is about (response).
    pub const USERNAME: &str = "USERNAME";
    /// The client's public value A (hex), in InitiateAuth and DEVICE_SRP_AUTH.
    pub const SRP_A: &str = "SRP_A";
    /// The remembered device's key.
    pub const DEVICE_KEY: &str = "DEVICE_KEY";
    /// The signed block, echoed as received.
    pub const PASSWORD_CLAIM_SECRET_BLOCK: &str = "PASSWORD_CLAIM_SECRET_BLOCK";
    /// The proof of the password.
    pub const PASSWORD_CLAIM_SIGNATURE: &str = "PASSWORD_CLAIM_SIGNATURE";
    /// The time the signature covers.
    pub const TIMESTAMP: &str = "TIMESTAMP";
    /// HMAC of user name and client id for clients with a secret.
    pub const SECRET_HASH: &str = "SECRET_HASH";
}

/// Limits far above anything Cognito sends (a 16-byte salt, a 384-byte B, a SECRET_BLOCK of
/// about 1.7 KB, user names of at most 128 characters), so a broken or hostile server gets a
/// typed error instead of our memory and time.
const MAX_SALT_HEX_CHARS: usize = 1024;
const MAX_SALT_BITS: usize = 1024;
const MAX_B_HEX_CHARS: usize = 2048;
const MAX_B_BITS: usize = 4096;
const MAX_SECRET_BLOCK_CHARS: usize = 32 * 1024;
const MAX_NAME_BYTES: usize = 1024;

/// The parsed parameters of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierChallenge {
    salt: Vec<u8>,
    srp_b: Vec<u8>,
    b_mod_n: U3072,
    secret_block: String,
    secret_block_bytes: Vec<u8>,
    user_id_for_srp: Option<String>,
    username: Option<String>,
}

impl PasswordVerifierChallenge {
    /// Parses the challenge parameters of either verifier challenge. SALT, SRP_B and
    /// SECRET_BLOCK are required; USER_ID_FOR_SRP and USERNAME are optional here (the user
    /// step requires USER_ID_FOR_SRP when it answers).
    pub fn from_parameters(parameters: &HashMap<String, String>) -> Result<Self, SrpError> {
        Self::parse(|name| parameters.get(name).map(String::as_str))
    }

    /// Parses from any lookup of parameter name to value.
    pub fn parse<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Self, SrpError> {
        let required = |name: &'static str| get(name).ok_or(SrpError::MissingParameter { name });

        let salt = parse_hex_integer(
            param::SALT,
            required(param::SALT)?,
            MAX_SALT_HEX_CHARS,
            MAX_SALT_BITS,
        )?;
        let srp_b = parse_hex_integer(
            param::SRP_B,
            required(param::SRP_B)?,
            MAX_B_HEX_CHARS,
            MAX_B_BITS,
        )?;
        // RFC 5054 2.5.4 / docs/protocol.md 1: abort when B mod N == 0 (B = 0, B = N, B = 2N ...).
        let b_mod_n = reduce_public(&srp_b)?;
        if bool::from(b_mod_n.is_zero()) {
            return Err(SrpError::IllegalServerB);
        }
        let secret_block = required(param::SECRET_BLOCK)?;
        let secret_block_bytes =
            base64_decode_lenient(param::SECRET_BLOCK, secret_block, MAX_SECRET_BLOCK_CHARS)?;
        let name = |name: &'static str| -> Result<Option<String>, SrpError> {
            match get(name) {
                None => Ok(None),
                Some("") => Err(SrpError::EmptyParameter { name }),
                Some(v) if v.len() > MAX_NAME_BYTES => Err(SrpError::TooLong {
                    name,
                    len: v.len(),
                    max: MAX_NAME_BYTES,
                }),
                Some(v) => Ok(Some(v.to_owned())),
            }
        };
        Ok(Self {
            salt,
            srp_b,
            b_mod_n,
            secret_block: secret_block.to_owned(),
            secret_block_bytes,
            user_id_for_srp: name(param::USER_ID_FOR_SRP)?,
            username: name(param::USERNAME)?,
        })
    }

    /// SALT as minimal big-endian bytes.
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// SRP_B as minimal big-endian bytes, as sent (possibly >= N).
    pub fn srp_b(&self) -> &[u8] {
        &self.srp_b
    }

    pub(crate) fn b_mod_n(&self) -> &U3072 {
        &self.b_mod_n
    }

    /// SECRET_BLOCK exactly as received (it is echoed unchanged).
    pub fn secret_block(&self) -> &str {
        &self.secret_block
    }

    /// SECRET_BLOCK decoded (it is signed as bytes).
    pub fn secret_block_bytes(&self) -> &[u8] {
        &self.secret_block_bytes
    }

    /// USER_ID_FOR_SRP, the internal user name, when sent.
    pub fn user_id_for_srp(&self) -> Option<&str> {
        self.user_id_for_srp.as_deref()
    }

    /// USERNAME, when sent.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }
}
