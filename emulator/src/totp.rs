//! RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second step, one step of tolerance either side) and the
//! RFC 4648 base32 that carries the shared secret (AssociateSoftwareToken's SecretCode).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Base32 decoding (case-insensitive, padding ignored).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// A new random secret (20 bytes, as base32: 32 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// The 6-digit code of `secret` (base32) for the 30-second step containing `epoch_seconds`.
pub fn code(secret: &str, epoch_seconds: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    let counter = (epoch_seconds.div_euclid(30)) as u64;
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]) & 0x7fff_ffff;
    Some(format!("{:06}", value % 1_000_000))
}

/// Whether `user_code` is valid now, one step of clock drift allowed.
pub fn verify(secret: &str, user_code: &str, epoch_seconds: i64) -> bool {
    [-30, 0, 30]
        .iter()
        .any(|drift| code(secret, epoch_seconds + drift).is_some_and(|c| c == user_code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", T = 59 -> 94287082 (8 digits).
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(code(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code(&secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(
            base32_decode(&secret).as_deref(),
            Some(&b"12345678901234567890"[..])
        );
    }
}
