//! The SRP-6a computation both PASSWORD_VERIFIER answers share (docs/protocol.md 2.3 to 2.6):
//! u, x, S, the HKDF key and the PASSWORD_CLAIM_SIGNATURE. The user step uses
//! (pool name, USER_ID_FOR_SRP, password), the device step (DeviceGroupKey, DeviceKey, device
//! password); everything else is identical.

use crypto_bigint::{U256, U512, U2048, U3072};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::SrpError;
use super::challenge::PasswordVerifierChallenge;
use super::encoding::{base64_encode, pad};
use super::ephemeral::Ephemeral;
use super::group::{K, Residue, g_pow, residue_to_be};
use super::secret::{SecretBytes, SessionKey};
use super::timestamp::Timestamp;

/// HKDF info string of Cognito's key derivation (docs/protocol.md 2.4).
const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// The identity an exchange proves: who (`realm`, `user_id`) and with what secret.
pub(crate) struct Identity<'a> {
    /// The pool name (user step) or the DeviceGroupKey (device step).
    pub realm: &'a str,
    /// USER_ID_FOR_SRP (user step) or the DeviceKey (device step).
    pub user_id: &'a str,
    /// The password or device password, as UTF-8.
    pub secret: &'a str,
}

/// u = H(pad(A) || pad(B)), with B as the server sent it (not reduced), as the reference
/// clients hash it.
pub(crate) fn scrambler(a_pub: &[u8], b: &[u8]) -> Result<U256, SrpError> {
    let digest = Sha256::new()
        .chain_update(pad(a_pub))
        .chain_update(pad(b))
        .finalize();
    scrambler_from_digest(&digest)
}

/// RFC 5054 2.6 / docs/protocol.md 1: abort when u == 0.
fn scrambler_from_digest(digest: &[u8]) -> Result<U256, SrpError> {
    let u = U256::from_be_slice(digest);
    if bool::from(u.is_zero()) {
        return Err(SrpError::ZeroScrambler);
    }
    Ok(u)
}

/// x = H(pad(salt) || H(utf8(realm || user_id || ":" || secret))).
pub(crate) fn private_key_x(salt: &[u8], identity: &Identity<'_>) -> Zeroizing<U256> {
    let mut inner_hasher = Sha256::new();
    inner_hasher.update(identity.realm.as_bytes());
    inner_hasher.update(identity.user_id.as_bytes());
    inner_hasher.update(b":");
    inner_hasher.update(identity.secret.as_bytes());
    let inner: Zeroizing<[u8; 32]> = Zeroizing::new(inner_hasher.finalize().into());
    let outer: Zeroizing<[u8; 32]> = Zeroizing::new(
        Sha256::new()
            .chain_update(pad(salt))
            .chain_update(inner.as_slice())
            .finalize()
            .into(),
    );
    Zeroizing::new(U256::from_be_slice(outer.as_slice()))
}

/// S = (B - k*g^x mod N)^(a + u*x) mod N, the base reduced into [0, N) before exponentiation
/// (docs/protocol.md 1: the JS clients let it go negative). Constant-time in a and x.
/// The caller has checked B mod N != 0 (the challenge parser does).
pub(crate) fn shared_secret(
    b_mod_n: &U3072,
    ephemeral: &Ephemeral,
    u: &U256,
    x: &U256,
) -> Zeroizing<Residue> {
    let b_residue = Residue::new(b_mod_n);
    let g_x = Zeroizing::new(g_pow(x, 256));
    let base = Zeroizing::new(b_residue.sub(&K.mul(&g_x)));

    let a = ephemeral.private();
    let ux: U512 = u.concatenating_mul(x);
    let ux = Zeroizing::new(ux);
    let exponent: Zeroizing<U2048> = Zeroizing::new(
        a.value
            .resize::<{ U2048::LIMBS }>()
            .wrapping_add(&ux.resize()),
    );
    // a has `a.bits` bits at most, u*x 512: the sum one more than the larger.
    let bits = a.bits.max(512) + 1;
    let exponent = Zeroizing::new(exponent.resize::<{ U3072::LIMBS }>());
    Zeroizing::new(base.pow_amm_bounded_exp(&exponent, bits))
}

/// Key = HKDF-SHA256(salt = pad(u), ikm = pad(S), info = "Caldera Derived Key"), 16 bytes.
pub(crate) fn session_key(u: &U256, s: &Residue) -> SessionKey {
    let s_bytes: SecretBytes = residue_to_be(s);
    let ikm: SecretBytes = Zeroizing::new(pad(&s_bytes));
    let hkdf = Hkdf::<Sha256>::new(Some(&pad(&u.to_be_bytes())), &ikm);
    let mut key = SessionKey([0; 16]);
    hkdf.expand(HKDF_INFO, &mut key.0)
        .expect("16 bytes is a valid HKDF-SHA256 output length");
    key
}

/// PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, realm || user_id || SECRET_BLOCK bytes ||
/// TIMESTAMP)), docs/protocol.md 2.6.
pub(crate) fn claim_signature(
    key: &SessionKey,
    realm: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &Timestamp,
) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(realm.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_str().as_bytes());
    base64_encode(&mac.finalize().into_bytes())
}

/// The full answer computation: returns the session key and the signature.
pub(crate) fn prove(
    ephemeral: &Ephemeral,
    challenge: &PasswordVerifierChallenge,
    identity: &Identity<'_>,
    timestamp: &Timestamp,
) -> Result<(SessionKey, String), SrpError> {
    let u = scrambler(ephemeral.public_bytes(), challenge.srp_b())?;
    let x = private_key_x(challenge.salt(), identity);
    let s = shared_secret(challenge.b_mod_n(), ephemeral, &u, &x);
    let key = session_key(&u, &s);
    let signature = claim_signature(
        &key,
        identity.realm,
        identity.user_id,
        challenge.secret_block_bytes(),
        timestamp,
    );
    Ok((key, signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_scrambler_is_refused() {
        // No input can be found whose SHA-256 is zero, so the check is tested on the digest.
        assert_eq!(
            scrambler_from_digest(&[0; 32]).unwrap_err(),
            SrpError::ZeroScrambler
        );
        let mut one = [0; 32];
        one[31] = 1;
        assert_eq!(scrambler_from_digest(&one).unwrap(), U256::ONE);
    }
}
