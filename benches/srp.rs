//! `cargo bench --bench srp`: the client's SRP work per operation, constant-time
//! (crypto-bigint, this crate) next to the same maths with plain num-bigint `modpow` as the
//! baseline.
//!
//! Operations:
//! - `ephemeral`: a fresh (a, A = g^a mod N);
//! - `user_password_verifier`: after SRP_B arrives, x, S, the key and the signature;
//! - `device_password_verifier`: the same for DEVICE_PASSWORD_VERIFIER;
//! - `device_verifier`: a device password, salt and g^x for ConfirmDevice.
//! - `remembered_device_sign_in`: everything a remembered-device sign-in computes (two
//!   ephemerals and two verifier answers).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_device_auth::srp::{
    DevicePassword, DeviceSrpSession, Ephemeral, NewDeviceSecret, Password,
    PasswordVerifierChallenge, Timestamp, UserSrpSession,
};
use cognito_device_auth::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{KeyInit, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

const POOL_ID: &str = "us-east-1_AbCdEf123";
const USER_ID: &str = "6f1c2b8e-4a3d-4c1b-9a53-0d1e2f3a4b5c";
const DEVICE_KEY: &str = "us-east-1_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const DEVICE_GROUP_KEY: &str = "-Xy9Zk3Lm";

fn challenge() -> PasswordVerifierChallenge {
    // A B of full size, as Cognito sends.
    let b = BigUint::from_bytes_be(&[0x5a; 384]) % &*N;
    PasswordVerifierChallenge::from_parameters(&HashMap::from([
        (
            "SALT".to_owned(),
            "e7dc204cebbfda6b62b8493e932f7f4c".to_owned(),
        ),
        ("SRP_B".to_owned(), b.to_str_radix(16)),
        ("SECRET_BLOCK".to_owned(), STANDARD.encode([7u8; 1280])),
        ("USER_ID_FOR_SRP".to_owned(), USER_ID.to_owned()),
        ("USERNAME".to_owned(), USER_ID.to_owned()),
    ]))
    .expect("a valid challenge")
}

// The num-bigint baseline: the same formulas, `modpow` for every exponentiation, a private
// value of the same 320 bits.
static N: LazyLock<BigUint> = LazyLock::new(|| {
    BigUint::parse_bytes(cognito_device_auth::srp::N_HEX.as_bytes(), 16).expect("N")
});
static G: LazyLock<BigUint> = LazyLock::new(|| BigUint::from(2u32));
static K: LazyLock<BigUint> = LazyLock::new(|| {
    BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(pad(&N))
            .chain_update([2u8])
            .finalize(),
    )
});

fn pad(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes[0] >= 0x80 {
        bytes.insert(0, 0);
    }
    bytes
}

fn baseline_ephemeral() -> (BigUint, BigUint) {
    let mut a = [0u8; 40];
    getrandom::fill(&mut a).expect("OS randomness");
    let a = BigUint::from_bytes_be(&a);
    let big_a = G.modpow(&a, &N);
    (a, big_a)
}

fn baseline_answer(a: &BigUint, big_a: &BigUint, b: &BigUint, realm: &str, user: &str) -> String {
    let salt = BigUint::from_bytes_be(&[0xe7; 16]);
    let u = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(pad(big_a))
            .chain_update(pad(b))
            .finalize(),
    );
    let inner = Sha256::digest(format!("{realm}{user}:correct horse battery").as_bytes());
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(pad(&salt))
            .chain_update(inner)
            .finalize(),
    );
    let kgx = (&*K * G.modpow(&x, &N)) % &*N;
    let base = (b % &*N + &*N - kgx) % &*N;
    let s = base.modpow(&(a + &u * &x), &N);
    let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
    let mut key = [0u8; 16];
    hkdf.expand(b"Caldera Derived Key", &mut key)
        .expect("16 bytes");
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("key");
    mac.update(realm.as_bytes());
    mac.update(user.as_bytes());
    mac.update(&[7u8; 1280]);
    mac.update(b"Sat Jan 1 00:00:00 UTC 2022");
    STANDARD.encode(mac.finalize().into_bytes())
}

fn baseline_device_verifier() -> String {
    let mut password = [0u8; 40];
    let mut salt = [0u8; 16];
    getrandom::fill(&mut password).expect("OS randomness");
    getrandom::fill(&mut salt).expect("OS randomness");
    let password = STANDARD.encode(password);
    let salt = BigUint::from_bytes_be(&salt);
    let inner = Sha256::digest(format!("{DEVICE_GROUP_KEY}{DEVICE_KEY}:{password}").as_bytes());
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(pad(&salt))
            .chain_update(inner)
            .finalize(),
    );
    STANDARD.encode(pad(&G.modpow(&x, &N)))
}

fn benches(c: &mut Criterion) {
    let challenge = challenge();
    let b = BigUint::from_bytes_be(challenge.srp_b());
    let password = Password::new("correct horse battery");
    let device_password = DevicePassword::new(STANDARD.encode([9u8; 40]));
    let timestamp = Timestamp::from_unix_seconds(1_640_995_200);
    // Warm the fixed-base table once, as any process does on its first sign-in.
    black_box(Ephemeral::generate().expect("OS randomness"));

    let mut group = c.benchmark_group("ephemeral");
    group.bench_function("constant_time", |bench| {
        bench.iter(|| Ephemeral::generate().expect("OS randomness"))
    });
    group.bench_function("num_bigint", |bench| bench.iter(baseline_ephemeral));
    group.finish();

    let mut group = c.benchmark_group("user_password_verifier");
    let session = UserSrpSession::new(POOL_ID).expect("pool id");
    group.bench_function("constant_time", |bench| {
        bench.iter(|| {
            session
                .answer(&challenge, &password, &timestamp)
                .expect("answer")
        })
    });
    let (a, big_a) = baseline_ephemeral();
    group.bench_function("num_bigint", |bench| {
        bench.iter(|| baseline_answer(&a, &big_a, &b, "AbCdEf123", USER_ID))
    });
    group.finish();

    let mut group = c.benchmark_group("device_password_verifier");
    let device =
        DeviceSrpSession::new(&user_id(), &device_key(), &device_group_key()).expect("session");
    group.bench_function("constant_time", |bench| {
        bench.iter(|| {
            device
                .answer(&challenge, &device_password, &timestamp)
                .expect("answer")
        })
    });
    group.bench_function("num_bigint", |bench| {
        bench.iter(|| baseline_answer(&a, &big_a, &b, DEVICE_GROUP_KEY, DEVICE_KEY))
    });
    group.finish();

    let mut group = c.benchmark_group("device_verifier");
    group.bench_function("constant_time", |bench| {
        bench
            .iter(|| NewDeviceSecret::generate(&device_key(), &device_group_key()).expect("secret"))
    });
    group.bench_function("num_bigint", |bench| bench.iter(baseline_device_verifier));
    group.finish();

    let mut group = c.benchmark_group("remembered_device_sign_in");
    group.bench_function("constant_time", |bench| {
        bench.iter(|| {
            let user = UserSrpSession::new(POOL_ID).expect("pool id");
            black_box(user.srp_a());
            black_box(
                user.answer(&challenge, &password, &timestamp)
                    .expect("answer"),
            );
            let device = DeviceSrpSession::new(&user_id(), &device_key(), &device_group_key())
                .expect("session");
            black_box(device.srp_a());
            black_box(
                device
                    .answer(&challenge, &device_password, &timestamp)
                    .expect("answer"),
            )
        })
    });
    group.bench_function("num_bigint", |bench| {
        bench.iter(|| {
            let (a, big_a) = baseline_ephemeral();
            black_box(baseline_answer(&a, &big_a, &b, "AbCdEf123", USER_ID));
            let (a, big_a) = baseline_ephemeral();
            black_box(baseline_answer(
                &a,
                &big_a,
                &b,
                DEVICE_GROUP_KEY,
                DEVICE_KEY,
            ))
        })
    });
    group.finish();
}

fn user_id() -> UserIdForSrp {
    UserIdForSrp::new(USER_ID)
}

fn device_key() -> DeviceKey {
    DeviceKey::new(DEVICE_KEY)
}

fn device_group_key() -> DeviceGroupKey {
    DeviceGroupKey::new(DEVICE_GROUP_KEY)
}

criterion_group! {
    name = srp;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(srp);
