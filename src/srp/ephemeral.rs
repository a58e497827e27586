//! The client's ephemeral key pair (a, A = g^a mod N), docs/protocol.md 2.1.

use std::fmt;

use crypto_bigint::U1024;
use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::SrpError;
use super::encoding::to_minimal_hex;
use super::group::{Residue, g_pow};

/// Size of a freshly generated private value: 320 bits, the upper exponent size RFC 3526
/// section 8 gives for the 3072-bit group (its strength is 128 to 130 bits; a 256-bit
/// exponent would already match it), and above RFC 5054's "at least 256 bits". The JS
/// reference uses 1024 bits, which costs three times as much and buys no security, since the
/// group itself caps it; amplify-swift uses 256.
pub const PRIVATE_VALUE_BITS: u32 = 320;
const PRIVATE_VALUE_BYTES: usize = (PRIVATE_VALUE_BITS / 8) as usize;

/// The largest private value accepted from a caller (known-answer vectors use 1024 bits).
const MAX_PRIVATE_VALUE_BYTES: usize = 128;

/// The private value a, with the public bound on its size that every exponentiation uses.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct PrivateValue {
    pub(crate) value: U1024,
    #[zeroize(skip)]
    pub(crate) bits: u32,
}

/// A fresh (a, A) pair. Never reuse one: each SRP exchange (the user step and the device step
/// of one sign-in included) takes its own. Generating it before it is needed — while the
/// app shows its sign-in screen — takes the exponentiation off the sign-in's critical path.
pub struct Ephemeral {
    private: PrivateValue,
    /// A as minimal big-endian bytes.
    public: Vec<u8>,
}

impl Ephemeral {
    /// A new pair from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, SrpError> {
        let mut bytes = Zeroizing::new([0u8; PRIVATE_VALUE_BYTES]);
        loop {
            getrandom::fill(bytes.as_mut()).map_err(|e| SrpError::Randomness(e.to_string()))?;
            if let Ok(pair) = Self::from_private_bytes(bytes.as_ref()) {
                return Ok(pair);
            }
        }
    }

    /// A new pair from a caller-supplied CSPRNG. For tests that need reproducible runs;
    /// production code uses [`Ephemeral::generate`].
    pub fn generate_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = Zeroizing::new([0u8; PRIVATE_VALUE_BYTES]);
        loop {
            rng.fill_bytes(bytes.as_mut());
            if let Ok(pair) = Self::from_private_bytes(bytes.as_ref()) {
                return pair;
            }
        }
    }

    /// The pair for a given private value (big-endian, 1 to 128 bytes, not zero). Only for
    /// known-answer tests: a private value that is not fresh and random breaks SRP.
    pub fn from_private_bytes(a: &[u8]) -> Result<Self, SrpError> {
        if a.is_empty() || a.len() > MAX_PRIVATE_VALUE_BYTES {
            return Err(SrpError::InvalidPrivateValue);
        }
        let mut buf = Zeroizing::new([0u8; MAX_PRIVATE_VALUE_BYTES]);
        buf[MAX_PRIVATE_VALUE_BYTES - a.len()..].copy_from_slice(a);
        let value = U1024::from_be_slice(buf.as_ref());
        if bool::from(value.is_zero()) {
            return Err(SrpError::InvalidPrivateValue);
        }
        // The bound is the *length* of the input, which is public, not the value's bit length.
        let bits = (a.len() * 8) as u32;
        let private = PrivateValue { value, bits };
        let public = residue_minimal_bytes(&g_pow(&private.value, bits));
        Ok(Self { private, public })
    }

    /// SRP_A as Cognito wants it: lower-case hex, no padding (docs/protocol.md 1).
    pub fn srp_a(&self) -> String {
        to_minimal_hex(&self.public)
    }

    /// A as minimal big-endian bytes.
    pub fn public_bytes(&self) -> &[u8] {
        &self.public
    }

    pub(crate) fn private(&self) -> &PrivateValue {
        &self.private
    }
}

impl fmt::Debug for Ephemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ephemeral")
            .field("a", &"[redacted]")
            .field("srp_a", &self.srp_a())
            .finish()
    }
}

/// Minimal big-endian bytes of a public residue.
pub(crate) fn residue_minimal_bytes(r: &Residue) -> Vec<u8> {
    let bytes = r.retrieve().to_be_bytes();
    super::encoding::strip_leading_zeros(bytes.as_ref()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_zero_and_oversized_private_values() {
        assert_eq!(
            Ephemeral::from_private_bytes(&[]).unwrap_err(),
            SrpError::InvalidPrivateValue
        );
        assert_eq!(
            Ephemeral::from_private_bytes(&[0; 40]).unwrap_err(),
            SrpError::InvalidPrivateValue
        );
        assert_eq!(
            Ephemeral::from_private_bytes(&[1; 129]).unwrap_err(),
            SrpError::InvalidPrivateValue
        );
    }

    #[test]
    fn generated_values_differ_and_debug_hides_a() {
        let one = Ephemeral::generate().unwrap();
        let two = Ephemeral::generate().unwrap();
        assert_ne!(one.srp_a(), two.srp_a());
        assert_eq!(one.private().bits, PRIVATE_VALUE_BITS);
        let shown = format!("{one:?}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
