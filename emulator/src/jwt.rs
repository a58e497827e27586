//! RS256 JSON Web Tokens and the pool's JWKS.
//!
//! The emulator makes its own 2048-bit RSA key at start (Miller-Rabin over `num-bigint`, which
//! the workspace compiles optimised even in dev builds) and signs with PKCS#1 v1.5 / SHA-256
//! (RFC 8017 section 8.2). Any standard JWT library verifies the tokens against the JWKS.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_traits::{One, Zero};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// DER prefix of DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// An RSA signing key with its key id.
pub struct SigningKey {
    /// Key id published in the JWKS and in every token header.
    pub kid: String,
    n: BigUint,
    e: BigUint,
    d: BigUint,
    /// CRT parts (p, q, d mod p-1, d mod q-1, q^-1 mod p) when the primes are known.
    crt: Option<Crt>,
    len: usize,
}

struct Crt {
    p: BigUint,
    q: BigUint,
    dp: BigUint,
    dq: BigUint,
    q_inv: BigUint,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn random_odd(bits: usize) -> BigUint {
    let mut bytes = vec![0u8; bits / 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes[0] |= 0xc0; // the product of two such primes has exactly 2*bits bits
    if let Some(last) = bytes.last_mut() {
        *last |= 1;
    }
    BigUint::from_bytes_be(&bytes)
}

const SMALL_PRIMES: [u32; 24] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

fn is_probable_prime(n: &BigUint) -> bool {
    for p in SMALL_PRIMES {
        if (n % p).is_zero() {
            return false;
        }
    }
    let one = BigUint::one();
    let n_minus_1 = n - &one;
    let mut d = n_minus_1.clone();
    let mut s = 0;
    while d.is_even() {
        d >>= 1;
        s += 1;
    }
    'witness: for _ in 0..24 {
        let a = random_odd(n.bits() as usize - 8) % &n_minus_1 + 2u32;
        let mut x = a.modpow(&d, n);
        if x == one || x == n_minus_1 {
            continue;
        }
        for _ in 1..s {
            x = x.modpow(&BigUint::from(2u32), n);
            if x == n_minus_1 {
                continue 'witness;
            }
        }
        return false;
    }
    true
}

fn random_prime(bits: usize) -> BigUint {
    loop {
        let candidate = random_odd(bits);
        if is_probable_prime(&candidate) {
            return candidate;
        }
    }
}

fn mod_inverse(a: &BigUint, m: &BigUint) -> Option<BigUint> {
    let (a, m) = (BigInt::from(a.clone()), BigInt::from(m.clone()));
    let ext = a.extended_gcd(&m);
    if !ext.gcd.is_one() {
        return None;
    }
    ext.x.mod_floor(&m).to_biguint()
}

/// A key as kept in the state file (hex integers), so tokens survive a restart.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeyMaterial {
    /// Modulus.
    pub n: String,
    /// Public exponent.
    pub e: String,
    /// Private exponent.
    pub d: String,
    /// First prime (for CRT signing).
    #[serde(default)]
    pub p: Option<String>,
    /// Second prime.
    #[serde(default)]
    pub q: Option<String>,
}

impl SigningKey {
    /// The key's material for the state file.
    pub fn material(&self) -> KeyMaterial {
        KeyMaterial {
            n: self.n.to_str_radix(16),
            e: self.e.to_str_radix(16),
            d: self.d.to_str_radix(16),
            p: self.crt.as_ref().map(|c| c.p.to_str_radix(16)),
            q: self.crt.as_ref().map(|c| c.q.to_str_radix(16)),
        }
    }

    /// A key from the state file; `None` if the material is malformed.
    pub fn from_material(material: &KeyMaterial) -> Option<Self> {
        let parse = |h: &str| BigUint::parse_bytes(h.as_bytes(), 16);
        let (n, e, d) = (
            parse(&material.n)?,
            parse(&material.e)?,
            parse(&material.d)?,
        );
        if n.bits() < 1024 {
            return None;
        }
        let primes = match (&material.p, &material.q) {
            (Some(p), Some(q)) => parse(p).zip(parse(q)).filter(|(p, q)| p * q == n),
            _ => None,
        };
        Some(Self::assemble(n, e, d, primes))
    }

    fn assemble(n: BigUint, e: BigUint, d: BigUint, primes: Option<(BigUint, BigUint)>) -> Self {
        let len = n.bits().div_ceil(8) as usize;
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(n.to_bytes_be())[..12]);
        let crt = primes.and_then(|(p, q)| {
            let q_inv = mod_inverse(&q, &p)?;
            let dp = &d % (&p - 1u32);
            let dq = &d % (&q - 1u32);
            Some(Crt {
                p,
                q,
                dp,
                dq,
                q_inv,
            })
        });
        SigningKey {
            kid,
            n,
            e,
            d,
            crt,
            len,
        }
    }

    /// Generates a fresh 2048-bit key.
    pub fn generate() -> Self {
        let e = BigUint::from(65_537u32);
        loop {
            let p = random_prime(1024);
            let q = random_prime(1024);
            if p == q {
                continue;
            }
            let phi = (&p - 1u32) * (&q - 1u32);
            let Some(d) = mod_inverse(&e, &phi) else {
                continue;
            };
            return Self::assemble(&p * &q, e, d, Some((p, q)));
        }
    }

    fn encoded_message(&self, message: &[u8]) -> BigUint {
        let digest = Sha256::digest(message);
        let mut em = vec![0x00, 0x01];
        em.resize(self.len - SHA256_DIGEST_INFO.len() - digest.len() - 1, 0xff);
        em.push(0x00);
        em.extend_from_slice(&SHA256_DIGEST_INFO);
        em.extend_from_slice(&digest);
        BigUint::from_bytes_be(&em)
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        let m = self.encoded_message(message);
        let s = match &self.crt {
            // RFC 8017 section 5.1.2, the CRT form: about four times faster.
            Some(c) => {
                let m1 = m.modpow(&c.dp, &c.p);
                let m2 = m.modpow(&c.dq, &c.q);
                let h = (&c.q_inv * ((&m1 + &c.p) - (&m2 % &c.p))) % &c.p;
                m2 + h * &c.q
            }
            None => m.modpow(&self.d, &self.n),
        }
        .to_bytes_be();
        let mut out = vec![0u8; self.len - s.len()];
        out.extend_from_slice(&s);
        out
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        if signature.len() != self.len {
            return false;
        }
        let s = BigUint::from_bytes_be(signature);
        s < self.n && s.modpow(&self.e, &self.n) == self.encoded_message(message)
    }

    /// A compact RS256 JWS of `claims`.
    pub fn encode(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = URL_SAFE_NO_PAD.encode(self.sign(signing_input.as_bytes()));
        format!("{signing_input}.{signature}")
    }

    /// The claims of a token this key signed, or `None` when it is malformed or forged.
    /// Expiry is the caller's business.
    pub fn decode(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        if !self.verify(format!("{header}.{claims}").as_bytes(), &signature) {
            return None;
        }
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
    }

    /// The JWKS document served at `/<poolId>/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(self.e.to_bytes_be()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(self.n.to_bytes_be()),
            "use": "sig",
        }]})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crt_and_plain_signatures_agree() {
        let key = SigningKey::generate();
        let mut plain = SigningKey::from_material(&key.material()).unwrap();
        plain.crt = None;
        assert_eq!(key.sign(b"message"), plain.sign(b"message"));
        assert!(plain.verify(b"message", &key.sign(b"message")));
    }

    #[test]
    fn sign_and_verify() {
        let key = SigningKey::generate();
        let token = key.encode(&json!({"sub": "x"}));
        assert_eq!(key.decode(&token), Some(json!({"sub": "x"})));
        let mut forged = token.clone();
        forged.push('A');
        assert_eq!(key.decode(&forged), None);
    }
}
