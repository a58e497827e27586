//! A small client-side Cognito SRP, written for these tests independently of the emulator's
//! server code (and of the SDK crate), from docs/protocol.md: A = g^a, x, S = (B - k g^x)^(a + u x),
//! HKDF "Caldera Derived Key", the claim signature, the TIMESTAMP, SECRET_HASH and the
//! ConfirmDevice verifier.

#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

pub fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N")
}

pub fn g() -> BigUint {
    BigUint::from(2u32)
}

/// Java BigInteger.toByteArray() of a non-negative integer, via the hex rules of docs/protocol.md.
pub fn pad_hex(n: &BigUint) -> String {
    let mut hex = n.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    }
    if matches!(hex.as_bytes()[0], b'8'..=b'9' | b'a'..=b'f') {
        hex.insert_str(0, "00");
    }
    hex
}

pub fn pad(n: &BigUint) -> Vec<u8> {
    let hex = pad_hex(n);
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn sha(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

pub fn k() -> BigUint {
    BigUint::from_bytes_be(&sha(&[&pad(&n()), &pad(&g())]))
}

pub fn hex(n: &str) -> BigUint {
    BigUint::parse_bytes(n.as_bytes(), 16).expect("hex number")
}

pub fn compute_u(a: &BigUint, b: &BigUint) -> BigUint {
    BigUint::from_bytes_be(&sha(&[&pad(a), &pad(b)]))
}

/// x = H(pad(salt) || H(realm || user || ":" || password)).
pub fn compute_x(salt: &BigUint, realm: &str, user: &str, password: &str) -> BigUint {
    let inner = sha(&[format!("{realm}{user}:{password}").as_bytes()]);
    BigUint::from_bytes_be(&sha(&[&pad(salt), &inner]))
}

/// S = (B - k*g^x mod N)^(a + u*x) mod N, the base reduced into [0, N) first.
pub fn compute_s(a: &BigUint, big_b: &BigUint, u: &BigUint, x: &BigUint) -> Option<BigUint> {
    let n = n();
    if (big_b % &n).is_zero() || u.is_zero() {
        return None;
    }
    let kgx = (k() * g().modpow(x, &n)) % &n;
    let base = ((big_b % &n) + &n - kgx) % &n;
    Some(base.modpow(&(a + u * x), &n))
}

pub fn hkdf16(u: &BigUint, s: &BigUint) -> [u8; 16] {
    // HKDF by hand (RFC 5869) so the emulator's hkdf crate use is checked independently.
    let mut extract = <Hmac<Sha256> as Mac>::new_from_slice(&pad(u)).expect("hmac");
    extract.update(&pad(s));
    let prk = extract.finalize().into_bytes();
    let mut expand = <Hmac<Sha256> as Mac>::new_from_slice(&prk).expect("hmac");
    expand.update(b"Caldera Derived Key");
    expand.update(&[1]);
    let okm = expand.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&okm[..16]);
    out
}

pub fn signature(
    key: &[u8],
    realm: &str,
    user: &str,
    secret_block_b64: &str,
    timestamp: &str,
) -> String {
    let block = STANDARD
        .decode(secret_block_b64)
        .expect("SECRET_BLOCK base64");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac");
    mac.update(realm.as_bytes());
    mac.update(user.as_bytes());
    mac.update(&block);
    mac.update(timestamp.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("hmac");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// TIMESTAMP for an epoch second (a second, independent calendar: counting years and months).
pub fn timestamp(epoch: i64) -> String {
    let mut days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let mut year = 1970;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let len = if leap { 366 } else { 365 };
        if days < len {
            let lengths = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut month = 0;
            while days >= lengths[month] {
                days -= lengths[month];
                month += 1;
            }
            return format!(
                "{weekday} {} {} {:02}:{:02}:{:02} UTC {year}",
                MONTHS[month],
                days + 1,
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
        }
        days -= len;
        year += 1;
    }
}

pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// One client ephemeral (a, A).
pub struct SrpClient {
    pub a: BigUint,
    pub big_a: BigUint,
}

impl SrpClient {
    pub fn new() -> Self {
        let mut bytes = [0u8; 128];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self::from_private(BigUint::from_bytes_be(&bytes))
    }

    pub fn from_private(a: BigUint) -> Self {
        let big_a = g().modpow(&a, &n());
        SrpClient { a, big_a }
    }

    pub fn a_hex(&self) -> String {
        self.big_a.to_str_radix(16)
    }

    /// The 16-byte key for a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER challenge.
    pub fn key(
        &self,
        realm: &str,
        user: &str,
        password: &str,
        salt_hex: &str,
        b_hex: &str,
    ) -> [u8; 16] {
        let big_b = hex(b_hex);
        let u = compute_u(&self.big_a, &big_b);
        let x = compute_x(&hex(salt_hex), realm, user, password);
        let s = compute_s(&self.a, &big_b, &u, &x).expect("legal B");
        hkdf16(&u, &s)
    }
}

/// ConfirmDevice's DeviceSecretVerifierConfig: (PasswordVerifier, Salt), both base64(pad(..)).
pub fn device_verifier(
    group_key: &str,
    device_key: &str,
    password: &str,
    salt: &BigUint,
) -> (String, String) {
    let x = compute_x(salt, group_key, device_key, password);
    let v = g().modpow(&x, &n());
    (STANDARD.encode(pad(&v)), STANDARD.encode(pad(salt)))
}
