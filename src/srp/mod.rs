//! Cognito's SRP, with no network and no storage: what a client computes for USER_SRP_AUTH,
//! DEVICE_SRP_AUTH and ConfirmDevice (docs/protocol.md sections 1 to 4).
//!
//! - [`UserSrpSession`]: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER answer.
//! - [`DeviceSrpSession`]: SRP_A for DEVICE_SRP_AUTH, then the DEVICE_PASSWORD_VERIFIER answer.
//! - [`NewDeviceSecret`]: the device password and the ConfirmDevice verifier.
//! - [`PasswordVerifierChallenge`]: the server's parameters, parsed into typed values or a
//!   typed [`SrpError`].
//! - [`Timestamp`], [`secret_hash`]. Known-answer tests also reach each intermediate value
//!   (`steps`) and the raw maths (`pad`, the group's constants), hidden from this documentation.
//!
//! Secrets are types ([`Password`], [`DevicePassword`], [`ClientSecret`], [`SessionKey`], the
//! private value inside [`Ephemeral`]) that are wiped on drop and print as `[redacted]`.
//! Exponentiations with a secret exponent are constant-time (see `group`).

mod answer;
mod challenge;
mod device;
mod encoding;
mod ephemeral;
mod error;
mod exchange;
mod group;
mod secret;
mod secret_hash;
mod timestamp;
mod user;

pub use answer::PasswordVerifierAnswer;
pub use challenge::{PasswordVerifierChallenge, param};
pub use device::{DeviceSecretVerifierConfig, DeviceSrpSession, NewDeviceSecret};
// The raw maths (padding, the group's constants) only known-answer tests need: hidden from the
// documentation, total on every input.
#[doc(hidden)]
pub use encoding::{pad, to_minimal_hex};
pub use ephemeral::{Ephemeral, PRIVATE_VALUE_BITS};
pub use error::SrpError;
#[doc(hidden)]
pub use group::{G, N_BYTES, N_HEX, k_bytes};
pub use secret::{ClientSecret, DevicePassword, OtpAuthUri, Password, SessionKey, TotpSecret};
pub use secret_hash::secret_hash;
pub use timestamp::Timestamp;
pub use user::{UserSrpSession, pool_name};

/// **Known-answer tests only**: the individual steps of the exchange, for comparing with the
/// vectors and with other implementations. Hidden from the documentation: a client uses the
/// session types. Every function returns a typed error for any input (an SRP_B longer than
/// 4096 bits, a zero scrambler), never a panic.
#[doc(hidden)]
pub mod steps {
    use std::fmt;

    use zeroize::Zeroizing;

    use super::SrpError;
    use super::encoding::strip_leading_zeros;
    use super::ephemeral::Ephemeral;
    use super::exchange::{self, Identity};
    use super::group::{reduce_public, residue_to_be};
    use super::secret::SessionKey;
    use super::timestamp::Timestamp;

    /// u, x, S and the derived key of one exchange, as big-endian bytes (u and x 32 bytes,
    /// S minimal). `Debug` shows none of the secrets.
    pub struct ExchangeValues {
        /// u = H(pad(A) || pad(B)).
        pub u: [u8; 32],
        /// x = H(pad(salt) || H(realm || user_id || ":" || secret)).
        pub x: Zeroizing<[u8; 32]>,
        /// S, minimal big-endian bytes.
        pub s: Zeroizing<Vec<u8>>,
        /// The 16-byte HKDF key.
        pub key: SessionKey,
    }

    impl fmt::Debug for ExchangeValues {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("ExchangeValues")
                .field("u", &super::to_minimal_hex(&self.u))
                .field("x", &"[redacted]")
                .field("s", &"[redacted]")
                .field("key", &self.key)
                .finish()
        }
    }

    /// Runs u, x, S and the key derivation. `realm` is the pool name (or DeviceGroupKey),
    /// `user_id` USER_ID_FOR_SRP (or DeviceKey); `salt` and `srp_b` are big-endian bytes.
    pub fn exchange(
        ephemeral: &Ephemeral,
        salt: &[u8],
        srp_b: &[u8],
        realm: &str,
        user_id: &str,
        secret: &str,
    ) -> Result<ExchangeValues, SrpError> {
        let srp_b = strip_leading_zeros(srp_b);
        let b_mod_n = reduce_public(srp_b)?;
        if bool::from(b_mod_n.is_zero()) {
            return Err(SrpError::IllegalServerB);
        }
        let u = exchange::scrambler(ephemeral.public_bytes(), srp_b)?;
        let identity = Identity {
            realm,
            user_id,
            secret,
        };
        let x = exchange::private_key_x(strip_leading_zeros(salt), &identity);
        let s = exchange::shared_secret(&b_mod_n, ephemeral, &u, &x);
        let key = exchange::session_key(&u, &s);
        let s_bytes = residue_to_be(&s);
        Ok(ExchangeValues {
            u: u.to_be_bytes()
                .as_ref()
                .try_into()
                .expect("U256 is 32 bytes"),
            x: Zeroizing::new(
                x.to_be_bytes()
                    .as_ref()
                    .try_into()
                    .expect("U256 is 32 bytes"),
            ),
            s: Zeroizing::new(strip_leading_zeros(&s_bytes).to_vec()),
            key,
        })
    }

    /// u = H(pad(A) || pad(B)) for big-endian A and B, or [`SrpError::ZeroScrambler`].
    pub fn scrambler(srp_a: &[u8], srp_b: &[u8]) -> Result<[u8; 32], SrpError> {
        let u = exchange::scrambler(strip_leading_zeros(srp_a), strip_leading_zeros(srp_b))?;
        Ok(u.to_be_bytes()
            .as_ref()
            .try_into()
            .expect("U256 is 32 bytes"))
    }

    /// PASSWORD_CLAIM_SIGNATURE for a key, as base64.
    pub fn claim_signature(
        key: &SessionKey,
        realm: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &Timestamp,
    ) -> String {
        exchange::claim_signature(key, realm, user_id, secret_block, timestamp)
    }
}
