//! Property tests: the constant-time SRP implementation against a deliberately plain reference
//! written here with num-bigint (schoolbook formulas, `modpow`, HKDF by hand), over at least
//! 10,000 random cases per run, with forced edge cases: leading bytes >= 0x80, odd-length hex,
//! salts and B with leading zeros, B >= N, and private values of every size the API accepts.
//!
//! Set `SRP_PROPTEST_SEED` to replay a run; a failure prints the seed and the case number.

use std::collections::HashMap;
use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cognito_device_auth::srp::{
    DevicePassword, DeviceSecretVerifierConfig, DeviceSrpSession, Ephemeral, NewDeviceSecret,
    Password, PasswordVerifierChallenge, Timestamp, UserSrpSession, steps,
};
use cognito_device_auth::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use hmac::{KeyInit, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};

/// Cases per property; the two user/device exchange properties alone exceed 10,000.
const CASES: u64 = 6_000;

// ---------------------------------------------------------------------------------------------
// The reference: textbook SRP-6a as docs/protocol.md states it, no cleverness, no constant time.

static N: LazyLock<BigUint> = LazyLock::new(|| {
    BigUint::parse_bytes(cognito_device_auth::srp::N_HEX.as_bytes(), 16).expect("N")
});
static G: LazyLock<BigUint> = LazyLock::new(|| BigUint::from(2u32));
static K: LazyLock<BigUint> =
    LazyLock::new(|| BigUint::from_bytes_be(&sha256(&[&java_pad(&N), &java_pad(&G)])));

/// Java `BigInteger.toByteArray()` of a non-negative value, spelled out by its two rules.
fn java_pad(n: &BigUint) -> Vec<u8> {
    let mut hex = n.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    }
    if matches!(hex.as_bytes()[0], b'8'..=b'f') {
        hex.insert_str(0, "00");
    }
    hex::decode(hex).expect("even-length hex")
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

struct Reference {
    big_a: BigUint,
    u: BigUint,
    x: BigUint,
    s: BigUint,
    key: Vec<u8>,
    signature: String,
}

#[allow(clippy::too_many_arguments)]
fn reference(
    a: &BigUint,
    salt: &BigUint,
    b: &BigUint,
    realm: &str,
    user_id: &str,
    secret: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Reference {
    let big_a = G.modpow(a, &N);
    let u = BigUint::from_bytes_be(&sha256(&[&java_pad(&big_a), &java_pad(b)]));
    let inner = sha256(&[format!("{realm}{user_id}:{secret}").as_bytes()]);
    let x = BigUint::from_bytes_be(&sha256(&[&java_pad(salt), &inner]));
    // (B - k*g^x) mod N, kept non-negative by adding a multiple of N first.
    let kgx = (&*K * G.modpow(&x, &N)) % &*N;
    let base = ((b % &*N) + &*N - kgx) % &*N;
    let s = base.modpow(&(a + &u * &x), &N);
    // HKDF-SHA256 by hand: PRK = HMAC(salt = pad(u), pad(S)); OKM = HMAC(PRK, info || 1)[..16].
    let prk = hmac_sha256(&java_pad(&u), &[&java_pad(&s)]);
    let key = hmac_sha256(&prk, &[b"Caldera Derived Key", &[1]])[..16].to_vec();
    let signature = STANDARD.encode(hmac_sha256(
        &key,
        &[
            realm.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    ));
    Reference {
        big_a,
        u,
        x,
        s,
        key,
        signature,
    }
}

// ---------------------------------------------------------------------------------------------
// Random inputs: a small splitmix64 generator, seeded per run and printed on failure.

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
    fn bytes_between(&mut self, min: usize, max: usize) -> Vec<u8> {
        let len = min + self.below((max - min + 1) as u64) as usize;
        self.bytes(len)
    }
    fn text(&mut self, max: u64) -> String {
        const ALPHABET: &[char] = &['a', 'Z', '0', '-', '_', '.', '@', '+', 'é', 'ü', '中', ' '];
        (0..1 + self.below(max))
            .map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize])
            .collect()
    }
}

impl rand_core::TryRng for Rng {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.next() as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.iter_mut().for_each(|b| *b = self.next() as u8);
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Rng {}

fn seed(property: u64) -> u64 {
    let base = std::env::var("SRP_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!("property {property}: SRP_PROPTEST_SEED={base}");
    base ^ property.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// A random integer as a server might write it in hex: odd length or with redundant leading
/// zeros in some cases.
fn server_hex(rng: &mut Rng, value: &BigUint) -> String {
    let hex = value.to_str_radix(16);
    match rng.below(4) {
        0 => format!("{}{hex}", "0".repeat(1 + rng.below(5) as usize)),
        1 if hex.len() % 2 == 1 => format!("0{hex}"),
        2 => hex.to_uppercase(),
        _ => hex,
    }
}

/// Big-endian bytes whose first byte is, at random, forced >= 0x80, < 0x80, or 0x00 (a
/// leading zero).
fn shaped_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    let shape = rng.below(3);
    let mut bytes = rng.bytes(len);
    match shape {
        0 => bytes[0] |= 0x80,
        1 => bytes[0] &= 0x7f,
        _ => bytes[0] = 0,
    }
    bytes
}

/// B: below N, above N (up to 4096 bits), with a top bit set or a leading zero byte; never a
/// multiple of N (those are rejected, see srp_bad_input.rs).
fn random_b(rng: &mut Rng, case: u64) -> BigUint {
    let b = match case % 5 {
        0 => BigUint::from_bytes_be(&shaped_bytes(rng, 384)) % &*N,
        1 => &*N + BigUint::from_bytes_be(&rng.bytes_between(1, 64)),
        2 => BigUint::from_bytes_be(&rng.bytes_between(385, 512)),
        3 => BigUint::from_bytes_be(&rng.bytes_between(1, 383)),
        _ => &*N - BigUint::from_bytes_be(&rng.bytes_between(1, 40)),
    };
    if (&b % &*N).is_zero() { b + 1u32 } else { b }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn user_exchange_matches_reference() {
    let mut rng = Rng(seed(1));
    for case in 0..CASES {
        // Private values of the size we generate (40 bytes) most of the time, and of the other
        // sizes the API accepts (the table path and the generic ladder both get exercised).
        let a_len = [40, 40, 40, 32, 1, 64, 128][rng.below(7) as usize];
        let a_bytes = shaped_bytes(&mut rng, a_len);
        let Ok(ephemeral) = Ephemeral::from_private_bytes(&a_bytes) else {
            assert!(
                a_bytes.iter().all(|&b| b == 0),
                "case {case}: rejected a nonzero a"
            );
            continue;
        };
        let a = BigUint::from_bytes_be(&a_bytes);
        let salt = BigUint::from_bytes_be(&shaped_bytes(&mut rng, 16));
        let b = random_b(&mut rng, case);
        let pool_name = rng.text(12);
        let user_id = rng.text(40);
        let password = rng.text(30);
        let secret_block = rng.bytes_between(1, 1800);
        let timestamp = Timestamp::from_unix_seconds(rng.below(4_102_444_800));

        let expected = reference(
            &a,
            &salt,
            &b,
            &pool_name,
            &user_id,
            &password,
            &secret_block,
            timestamp.as_str(),
        );
        let context = format!("case {case}: a={a_len} bytes, B={} bits", b.bits());
        assert_eq!(
            ephemeral.srp_a(),
            expected.big_a.to_str_radix(16),
            "{context}: A"
        );

        // Through the session API, with the parameters written as a server might.
        let session =
            UserSrpSession::with_ephemeral(&format!("eu-west-1_{pool_name}"), ephemeral).unwrap();
        let block_text = if case % 7 == 0 {
            URL_SAFE_NO_PAD.encode(&secret_block)
        } else {
            STANDARD.encode(&secret_block)
        };
        let challenge = PasswordVerifierChallenge::from_parameters(&HashMap::from([
            ("SALT".to_owned(), server_hex(&mut rng, &salt)),
            ("SRP_B".to_owned(), server_hex(&mut rng, &b)),
            ("SECRET_BLOCK".to_owned(), block_text.clone()),
            ("USER_ID_FOR_SRP".to_owned(), user_id.clone()),
            ("USERNAME".to_owned(), user_id.clone()),
        ]))
        .unwrap_or_else(|e| panic!("{context}: {e}"));
        let answer = session
            .answer(&challenge, &Password::new(password.clone()), &timestamp)
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        assert_eq!(answer.signature, expected.signature, "{context}: signature");
        assert_eq!(answer.secret_block, block_text, "{context}: echoed block");

        // Every intermediate value, every few cases (it repeats the exponentiation).
        if case % 4 == 0 {
            let ephemeral = Ephemeral::from_private_bytes(&a_bytes).unwrap();
            let values = steps::exchange(
                &ephemeral,
                &salt.to_bytes_be(),
                &b.to_bytes_be(),
                &pool_name,
                &user_id,
                &password,
            )
            .unwrap();
            assert_eq!(
                BigUint::from_bytes_be(&values.u),
                expected.u,
                "{context}: u"
            );
            assert_eq!(
                BigUint::from_bytes_be(&*values.x),
                expected.x,
                "{context}: x"
            );
            assert_eq!(
                BigUint::from_bytes_be(&values.s),
                expected.s,
                "{context}: S"
            );
            assert_eq!(
                values.key.expose().as_slice(),
                expected.key,
                "{context}: key"
            );
        }
    }
}

#[test]
fn device_exchange_matches_reference() {
    let mut rng = Rng(seed(2));
    for case in 0..CASES {
        let device_key = format!(
            "us-east-1_{:032x}",
            u128::from(rng.next()) << 64 | u128::from(rng.next())
        );
        let device_group_key = format!("-{}", rng.text(9));
        let new_secret = NewDeviceSecret::generate_with_rng(
            &DeviceKey::new(&device_key),
            &DeviceGroupKey::new(&device_group_key),
            &mut rng,
        );
        // The verifier ConfirmDevice sends, against the reference g^x.
        let salt_bytes = STANDARD.decode(&new_secret.verifier.salt).unwrap();
        let salt = BigUint::from_bytes_be(&salt_bytes);
        let inner = sha256(&[format!(
            "{device_group_key}{device_key}:{}",
            new_secret.password.expose()
        )
        .as_bytes()]);
        let x = BigUint::from_bytes_be(&sha256(&[&java_pad(&salt), &inner]));
        assert_eq!(
            STANDARD
                .decode(&new_secret.verifier.password_verifier)
                .unwrap(),
            java_pad(&G.modpow(&x, &N)),
            "case {case}: verifier"
        );
        assert_eq!(salt_bytes, java_pad(&salt), "case {case}: Salt is padded");

        // DEVICE_PASSWORD_VERIFIER with a private value drawn from the injected RNG: a copy of
        // the generator tells the reference which bytes became a.
        let a = BigUint::from_bytes_be(&rng.clone().bytes(40));
        let ephemeral = Ephemeral::generate_with_rng(&mut rng);
        let b = random_b(&mut rng, case);
        let secret_block = rng.bytes_between(1, 1800);
        let timestamp = Timestamp::from_unix_seconds(rng.below(4_102_444_800));
        let expected = reference(
            &a,
            &salt,
            &b,
            &device_group_key,
            &device_key,
            new_secret.password.expose(),
            &secret_block,
            timestamp.as_str(),
        );
        let context = format!("case {case}: B={} bits", b.bits());
        let session = DeviceSrpSession::with_ephemeral(
            &UserIdForSrp::new("user-1"),
            &DeviceKey::new(&device_key),
            &DeviceGroupKey::new(&device_group_key),
            ephemeral,
        );
        assert_eq!(
            session.srp_a(),
            expected.big_a.to_str_radix(16),
            "{context}: A"
        );
        let challenge = PasswordVerifierChallenge::from_parameters(&HashMap::from([
            ("SALT".to_owned(), server_hex(&mut rng, &salt)),
            ("SRP_B".to_owned(), server_hex(&mut rng, &b)),
            ("SECRET_BLOCK".to_owned(), STANDARD.encode(&secret_block)),
            ("USERNAME".to_owned(), "user-1".to_owned()),
        ]))
        .unwrap_or_else(|e| panic!("{context}: {e}"));
        let answer = session
            .answer(&challenge, &new_secret.password, &timestamp)
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        assert_eq!(answer.signature, expected.signature, "{context}: signature");
        assert_eq!(answer.device_key.as_deref(), Some(device_key.as_str()));
        assert_eq!(answer.username, "user-1");
    }
}

#[test]
fn device_verifier_config_matches_reference_for_given_salts() {
    let mut rng = Rng(seed(3));
    for case in 0..CASES / 6 {
        let salt = shaped_bytes(&mut rng, 16);
        let password = DevicePassword::new(STANDARD.encode(rng.bytes(40)));
        let config = DeviceSecretVerifierConfig::compute(
            &DeviceKey::new("us-east-1_dev"),
            &DeviceGroupKey::new("-grp"),
            &password,
            &salt,
        );
        let salt_int = BigUint::from_bytes_be(&salt);
        let inner = sha256(&[format!("-grpus-east-1_dev:{}", password.expose()).as_bytes()]);
        let x = BigUint::from_bytes_be(&sha256(&[&java_pad(&salt_int), &inner]));
        assert_eq!(
            config.password_verifier,
            STANDARD.encode(java_pad(&G.modpow(&x, &N))),
            "case {case}"
        );
        assert_eq!(
            config.salt,
            STANDARD.encode(java_pad(&salt_int)),
            "case {case}"
        );
    }
}
