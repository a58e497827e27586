//! Server-side Cognito SRP maths (SRP-6a, SHA-256, the RFC 5054 3072-bit group), written from
//! docs/protocol.md sections 1, 2 and 4 independently of the SDK's client code so the two check each
//! other.
//!
//! The server keeps a verifier v = g^x mod N; it answers B = k*v + g^b mod N, and on the
//! client's proof computes S = (A * v^u)^b mod N, the HKDF key, and the expected signature.

use std::sync::LazyLock;

use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The RFC 5054 / RFC 3526 3072-bit prime, as in every Cognito client.
const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd",
    "ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f",
    "83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510",
    "15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c",
    "bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// HKDF info string of Cognito's session key.
const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// The SRP group: N, g and the multiplier k = H(pad(N) || pad(g)).
#[derive(Debug)]
pub struct Group {
    /// The 3072-bit safe prime.
    pub n: BigUint,
    /// The generator, 2.
    pub g: BigUint,
    /// k = H(pad(N) || pad(g)).
    pub k: BigUint,
}

/// The one group Cognito uses.
pub static GROUP: LazyLock<Group> = LazyLock::new(|| {
    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
    let g = BigUint::from(2u32);
    let k = hash_int(&[&pad(&n), &pad(&g)]);
    Group { n, g, k }
});

/// Java `BigInteger.toByteArray()` of a non-negative integer: big-endian, minimal, with a leading
/// 0x00 when the top bit of the first byte is set (docs/protocol.md section 1).
pub fn pad(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

/// SHA-256 over the concatenation of `parts`.
pub fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hash_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&hash(parts))
}

/// Parses hex as an unsigned integer (odd length and leading zeros allowed).
pub fn parse_hex(hex: &str) -> Option<BigUint> {
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BigUint::parse_bytes(hex.as_bytes(), 16)
}

/// Lower-case minimal hex of an integer, as Cognito sends SRP_B and SALT.
pub fn to_hex(n: &BigUint) -> String {
    n.to_str_radix(16)
}

/// x = H(pad(salt) || H(utf8(pool_or_group + user_or_device + ":" + password))).
pub fn private_key_x(salt: &BigUint, realm: &str, user: &str, password: &str) -> BigUint {
    let inner = hash(&[realm.as_bytes(), user.as_bytes(), b":", password.as_bytes()]);
    hash_int(&[&pad(salt), &inner])
}

/// The verifier v = g^x mod N for a password (users) or a device password (devices).
pub fn verifier(salt: &BigUint, realm: &str, user: &str, password: &str) -> BigUint {
    let x = private_key_x(salt, realm, user, password);
    GROUP.g.modpow(&x, &GROUP.n)
}

/// A random 16-byte salt, as the clients generate for devices and as we do for users.
pub fn random_salt() -> BigUint {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    BigUint::from_bytes_be(&bytes)
}

/// The server's ephemeral pair (b, B) for one challenge.
#[derive(Clone)]
pub struct ServerEphemeral {
    /// The private b (never logged).
    pub b: BigUint,
    /// The public B = k*v + g^b mod N.
    pub public_b: BigUint,
}

impl std::fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerEphemeral")
            .field("b", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl ServerEphemeral {
    /// Draws b and computes B for verifier `v`.
    pub fn new(v: &BigUint) -> Self {
        loop {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            let b = BigUint::from_bytes_be(&bytes);
            if let Some(eph) = Self::from_private(b, v) {
                return eph;
            }
        }
    }

    /// B for a given b (used by tests and `new`); `None` when B mod N would be 0.
    pub fn from_private(b: BigUint, v: &BigUint) -> Option<Self> {
        let group = &*GROUP;
        let public_b = (&group.k * v + group.g.modpow(&b, &group.n)) % &group.n;
        if public_b.is_zero() {
            return None;
        }
        Some(ServerEphemeral { b, public_b })
    }
}

/// Why a proof could not even be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpError {
    /// A mod N == 0: the client's public value is illegal.
    IllegalA,
    /// u == 0.
    IllegalU,
}

/// u = H(pad(A) || pad(B)).
pub fn scrambler(a: &BigUint, b: &BigUint) -> BigUint {
    hash_int(&[&pad(a), &pad(b)])
}

/// The 16-byte key HKDF-SHA256(salt = pad(u), ikm = pad(S), info = "Caldera Derived Key").
pub fn derive_key(u: &BigUint, s: &BigUint) -> [u8; 16] {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(&pad(u)), &pad(s));
    let mut okm = [0u8; 16];
    // 16 bytes is always a valid HKDF-SHA256 output length.
    let _ = hk.expand(HKDF_INFO, &mut okm);
    okm
}

/// Server side: S = (A * v^u)^b mod N and the derived key.
pub fn server_key(
    client_a: &BigUint,
    eph: &ServerEphemeral,
    v: &BigUint,
) -> Result<[u8; 16], SrpError> {
    let group = &*GROUP;
    if (client_a % &group.n).is_zero() {
        return Err(SrpError::IllegalA);
    }
    let u = scrambler(client_a, &eph.public_b);
    if u.is_zero() {
        return Err(SrpError::IllegalU);
    }
    let base = (client_a * v.modpow(&u, &group.n)) % &group.n;
    let s = base.modpow(&eph.b, &group.n);
    Ok(derive_key(&u, &s))
}

/// PASSWORD_CLAIM_SIGNATURE bytes: HMAC-SHA256(key, realm || user || secret_block || timestamp).
pub fn claim_signature(
    key: &[u8],
    realm: &str,
    user: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    claim_mac(key, realm, user, secret_block, timestamp)
        .finalize()
        .into_bytes()
        .into()
}

fn claim_mac(key: &[u8], realm: &str, user: &str, block: &[u8], timestamp: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(&[0]).expect("HMAC takes any key")
    });
    mac.update(realm.as_bytes());
    mac.update(user.as_bytes());
    mac.update(block);
    mac.update(timestamp.as_bytes());
    mac
}

/// Constant-time check of a claimed signature.
pub fn verify_claim(
    key: &[u8],
    realm: &str,
    user: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature: &[u8],
) -> bool {
    claim_mac(key, realm, user, secret_block, timestamp)
        .verify_slice(signature)
        .is_ok()
}

/// SECRET_HASH = base64(HMAC-SHA256(client secret, username || client id)) (docs/protocol.md section 3).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    use base64::Engine;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_rules() {
        assert_eq!(pad(&BigUint::from(0u32)), vec![0]);
        assert_eq!(pad(&BigUint::from(0x7fu32)), vec![0x7f]);
        assert_eq!(pad(&BigUint::from(0x80u32)), vec![0, 0x80]);
        assert_eq!(pad(&BigUint::from(0x100u32)), vec![1, 0]);
    }

    #[test]
    fn srp_roundtrip_with_plain_client_maths() {
        let group = &*GROUP;
        let salt = random_salt();
        let v = verifier(&salt, "pool", "alice", "pw");
        let eph = ServerEphemeral::new(&v);
        let a = BigUint::from(123456789u64);
        let big_a = group.g.modpow(&a, &group.n);
        let u = scrambler(&big_a, &eph.public_b);
        let x = private_key_x(&salt, "pool", "alice", "pw");
        let gx = group.g.modpow(&x, &group.n);
        let kgx = (&group.k * gx) % &group.n;
        let base = (&eph.public_b + &group.n - kgx) % &group.n;
        let s = base.modpow(&(a + &u * x), &group.n);
        assert_eq!(derive_key(&u, &s), server_key(&big_a, &eph, &v).unwrap());
    }
}
