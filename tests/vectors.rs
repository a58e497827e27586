//! Every known-answer vector in `tests/vectors/*.json`, reproduced exactly by the SRP module.

use std::collections::HashMap;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_device_auth::srp::{
    self, ClientSecret, DevicePassword, DeviceSecretVerifierConfig, DeviceSrpSession, Ephemeral,
    Password, PasswordVerifierChallenge, SrpError, Timestamp, UserSrpSession, steps,
};
use cognito_device_auth::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use hmac::{KeyInit, Mac};
use num_bigint::{BigInt, Sign};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", name]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read vector file {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn cases(file: &Value) -> &Vec<Value> {
    let cases = file["cases"].as_array().expect("a `cases` array");
    assert!(!cases.is_empty(), "vector file has no cases");
    cases
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} missing in {v}"))
}

/// Hex of arbitrary (possibly odd) length to big-endian bytes, as a test-side reference.
fn hex_bytes(text: &str) -> Vec<u8> {
    let even = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    hex::decode(even).unwrap_or_else(|e| panic!("bad hex in vector {text}: {e}"))
}

fn minimal(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Days since 1970-01-01 to an ISO 8601 UTC instant (`YYYY-MM-DDTHH:MM:SSZ`), test-side.
fn epoch_of_iso(iso: &str) -> u64 {
    let n = |r: std::ops::Range<usize>| iso[r].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)) as u64
}

#[test]
fn group_constants() {
    let group = load("group.json");
    assert_eq!(s(&group, "N_hex"), srp::N_HEX);
    assert_eq!(group["g"].as_u64(), Some(u64::from(srp::G)));
    let n = hex_bytes(srp::N_HEX);
    assert_eq!(n.len(), srp::N_BYTES);
    assert_eq!(hex::encode(srp::pad(&n)), s(&group, "padhex_N"));
    assert_eq!(hex::encode(srp::pad(&[srp::G])), s(&group, "padhex_g"));
    assert_eq!(
        srp::to_minimal_hex(&srp::k_bytes()),
        s(&group, "k_hex"),
        "k = H(pad(N) || pad(g))"
    );
}

/// Java `BigInteger.toByteArray()` for any sign, written here independently of the library.
fn reference_pad(n: &BigInt) -> Vec<u8> {
    n.to_signed_bytes_be()
}

#[test]
fn pad_table() {
    let file = load("pad_hex.json");
    let mut library_checked = 0;
    for case in cases(&file) {
        let id = s(case, "id");
        let expected = s(case, "hex");
        let value: BigInt = if let Some(i) = case["int"].as_i64() {
            BigInt::from(i)
        } else {
            let text = s(case, "int_hex");
            let (sign, digits) = match text.strip_prefix('-') {
                Some(d) => (Sign::Minus, d),
                None => (Sign::Plus, text),
            };
            BigInt::from_bytes_be(sign, &hex_bytes(digits))
        };
        assert_eq!(
            hex::encode(reference_pad(&value)),
            expected,
            "reference, {id}"
        );

        // The library pads non-negative integers only (the protocol has no others); negative
        // rows of the table pin the reference above.
        if value.sign() != Sign::Minus {
            let (_, magnitude) = value.to_bytes_be();
            assert_eq!(hex::encode(srp::pad(&magnitude)), expected, "library, {id}");
            library_checked += 1;
        }

        // Where the case gives the hex string a server would send, parse it the way SALT and
        // SRP_B are parsed and pad the result.
        if let Some(text) = case["from_hex_string"].as_str() {
            let challenge = PasswordVerifierChallenge::from_parameters(&HashMap::from([
                ("SALT".to_owned(), text.to_owned()),
                ("SRP_B".to_owned(), "1".to_owned()),
                ("SECRET_BLOCK".to_owned(), "AA==".to_owned()),
            ]))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(
                hex::encode(srp::pad(challenge.salt())),
                expected,
                "parsed, {id}"
            );
        }
        if let Some(bytes) = case["bytes"].as_u64() {
            assert_eq!(expected.len() / 2, bytes as usize, "{id}");
        }
    }
    assert!(
        library_checked > 250,
        "only {library_checked} library cases"
    );
}

#[test]
fn user_srp_scrambler_cases() {
    let file = load("user_srp.json");
    let mut seen = 0;
    for case in cases(&file).iter().filter(|c| c["kind"] == "u") {
        let inputs = &case["inputs"];
        let u = steps::scrambler(
            &hex_bytes(s(inputs, "A_hex")),
            &hex_bytes(s(inputs, "B_hex")),
        )
        .expect("u is not zero");
        assert_eq!(
            srp::to_minimal_hex(&u),
            s(&case["expected"], "u_hex"),
            "{}",
            s(case, "id")
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn user_srp_shared_secret_cases() {
    let file = load("user_srp.json");
    let mut seen = 0;
    for case in cases(&file).iter().filter(|c| c["kind"] == "S") {
        let id = s(case, "id");
        let inputs = &case["inputs"];
        let ephemeral = Ephemeral::from_private_bytes(&hex_bytes(s(inputs, "a_hex"))).unwrap();
        assert_eq!(
            ephemeral.srp_a(),
            s(inputs, "A_hex").trim_start_matches('0'),
            "{id}: A = g^a"
        );
        // The Swift tests pass pool name and user id already joined; an empty realm joins
        // them the same way.
        let values = steps::exchange(
            &ephemeral,
            &hex_bytes(s(inputs, "salt_hex")),
            &hex_bytes(s(inputs, "B_hex")),
            "",
            s(inputs, "pool_name_plus_user_id"),
            s(inputs, "password"),
        )
        .unwrap();
        assert_eq!(
            srp::to_minimal_hex(&values.s),
            s(&case["expected"], "S_hex"),
            "{id}: S"
        );
        let derived = &case["expected_derived"];
        assert_eq!(
            srp::to_minimal_hex(&values.u),
            s(derived, "u_hex"),
            "{id}: u"
        );
        assert_eq!(
            srp::to_minimal_hex(&*values.x),
            s(derived, "x_hex"),
            "{id}: x"
        );
        assert_eq!(
            hex::encode(values.key.expose()),
            s(derived, "hkdf_key_hex"),
            "{id}: key"
        );
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn user_srp_rejects_b_multiple_of_n() {
    let file = load("user_srp.json");
    let case = cases(&file)
        .iter()
        .find(|c| c["kind"] == "reject_B")
        .expect("a reject_B case");
    let inputs = &case["inputs"];
    let ephemeral = Ephemeral::from_private_bytes(&hex_bytes(s(inputs, "a_hex"))).unwrap();
    let result = steps::exchange(
        &ephemeral,
        &hex_bytes(s(inputs, "salt_hex")),
        &hex_bytes(s(inputs, "B_hex")),
        "",
        s(inputs, "pool_name_plus_user_id"),
        s(inputs, "password"),
    );
    assert_eq!(result.unwrap_err(), SrpError::IllegalServerB);

    let parsed = PasswordVerifierChallenge::from_parameters(&HashMap::from([
        ("SALT".to_owned(), s(inputs, "salt_hex").to_owned()),
        ("SRP_B".to_owned(), s(inputs, "B_hex").to_owned()),
        ("SECRET_BLOCK".to_owned(), "AA==".to_owned()),
    ]));
    assert_eq!(parsed.unwrap_err(), SrpError::IllegalServerB);
}

#[test]
fn user_srp_full_chain() {
    let file = load("user_srp.json");
    let case = cases(&file)
        .iter()
        .find(|c| c["kind"] == "full_chain")
        .expect("a full_chain case");
    let inputs = &case["inputs"];
    let expected = &case["expected"];
    let derived = &case["expected_derived"];

    let ephemeral = Ephemeral::from_private_bytes(&hex_bytes(s(inputs, "a_hex"))).unwrap();
    assert_eq!(ephemeral.srp_a(), s(expected, "A_hex"));

    let pool_name = s(inputs, "pool_name");
    assert_eq!(srp::pool_name(s(inputs, "pool_id")).unwrap(), pool_name);
    let user_id = s(inputs, "user_id_for_srp");
    let values = steps::exchange(
        &ephemeral,
        &hex_bytes(s(inputs, "salt_hex")),
        &hex_bytes(s(inputs, "B_hex")),
        pool_name,
        user_id,
        s(inputs, "password"),
    )
    .unwrap();
    assert_eq!(srp::to_minimal_hex(&values.u), s(expected, "u_hex"));
    assert_eq!(srp::to_minimal_hex(&*values.x), s(expected, "x_hex"));
    assert_eq!(srp::to_minimal_hex(&values.s), s(expected, "S_hex"));
    assert_eq!(
        STANDARD.encode(values.key.expose()),
        s(expected, "hkdf_key_b64")
    );
    assert_eq!(hex::encode(values.key.expose()), s(derived, "hkdf_key_hex"));

    let timestamp = Timestamp::from_unix_seconds(epoch_of_iso(s(inputs, "timestamp_utc")));
    assert_eq!(timestamp.as_str(), s(inputs, "timestamp"));
    let secret_block_b64 = s(inputs, "secret_block_b64");
    let secret_block = STANDARD.decode(secret_block_b64).unwrap();
    let signature =
        steps::claim_signature(&values.key, pool_name, user_id, &secret_block, &timestamp);
    assert_eq!(signature, s(derived, "signature_b64"));

    // The message the vector spells out is the one signed (checked with the test's own HMAC).
    let message = [
        pool_name.as_bytes(),
        user_id.as_bytes(),
        &secret_block,
        timestamp.as_str().as_bytes(),
    ]
    .concat();
    assert_eq!(hex::encode(&message), s(derived, "message_hex"));
    let hmac = |key: &[u8]| {
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(&message);
        STANDARD.encode(mac.finalize().into_bytes())
    };
    assert_eq!(hmac(values.key.expose()), s(derived, "signature_b64"));
    // The Android test's quirk: the base64 text of the key used as the HMAC key.
    assert_eq!(
        hmac(s(expected, "hkdf_key_b64").as_bytes()),
        s(expected, "signature_b64_test_quirk")
    );

    // The same through the session API a client uses.
    let session = UserSrpSession::with_ephemeral(
        s(inputs, "pool_id"),
        Ephemeral::from_private_bytes(&hex_bytes(s(inputs, "a_hex"))).unwrap(),
    )
    .unwrap();
    let challenge = PasswordVerifierChallenge::from_parameters(&HashMap::from([
        ("SALT".to_owned(), s(inputs, "salt_hex").to_owned()),
        ("SRP_B".to_owned(), s(inputs, "B_hex").to_owned()),
        ("SECRET_BLOCK".to_owned(), secret_block_b64.to_owned()),
        ("USER_ID_FOR_SRP".to_owned(), user_id.to_owned()),
        ("USERNAME".to_owned(), user_id.to_owned()),
    ]))
    .unwrap();
    let answer = session
        .answer(
            &challenge,
            &Password::new(s(inputs, "password")),
            &timestamp,
        )
        .unwrap();
    assert_eq!(answer.signature, s(derived, "signature_b64"));
    let responses = answer.to_parameters();
    assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], secret_block_b64);
    assert_eq!(responses["TIMESTAMP"], s(inputs, "timestamp"));
    assert_eq!(responses["USERNAME"], user_id);
    assert!(!responses.contains_key("DEVICE_KEY"));

    // And through the device session: the same maths with the device's names.
    let device = DeviceSrpSession::with_ephemeral(
        &UserIdForSrp::new(user_id),
        &DeviceKey::new(user_id),
        &DeviceGroupKey::new(pool_name),
        Ephemeral::from_private_bytes(&hex_bytes(s(inputs, "a_hex"))).unwrap(),
    );
    let answer = device
        .answer(
            &challenge,
            &DevicePassword::new(s(inputs, "password")),
            &timestamp,
        )
        .unwrap();
    assert_eq!(answer.signature, s(derived, "signature_b64"));
    assert_eq!(answer.to_parameters()["DEVICE_KEY"], user_id);
}

#[test]
fn timestamps() {
    let file = load("timestamp.json");
    for case in cases(&file) {
        let epoch = case["epoch_seconds"].as_u64().expect("epoch_seconds");
        assert_eq!(epoch_of_iso(s(case, "utc")), epoch, "{}", s(case, "id"));
        assert_eq!(
            Timestamp::from_unix_seconds(epoch).as_str(),
            s(case, "expected"),
            "{}",
            s(case, "id")
        );
    }
}

#[test]
fn secret_hashes() {
    let file = load("secret_hash.json");
    for case in cases(&file) {
        let secret = ClientSecret::new(s(case, "client_secret"));
        assert_eq!(
            srp::secret_hash(&secret, s(case, "username"), s(case, "client_id")),
            s(case, "expected"),
            "{}",
            s(case, "id")
        );
    }
}

#[test]
fn device_verifiers() {
    let file = load("device_verifier.json");
    for case in cases(&file) {
        let id = s(case, "id");
        let inputs = &case["inputs"];
        if let Some(from_bytes) = inputs["device_password_from_bytes_hex"].as_str() {
            assert_eq!(
                STANDARD.encode(hex_bytes(from_bytes)),
                s(inputs, "device_password"),
                "{id}"
            );
        }
        let salt = hex::decode(s(inputs, "salt_hex")).unwrap();
        assert_eq!(salt.len(), 16, "{id}: raw salts are 16 random bytes");
        let config = DeviceSecretVerifierConfig::compute(
            &DeviceKey::new(s(inputs, "device_key")),
            &DeviceGroupKey::new(s(inputs, "device_group_key")),
            &DevicePassword::new(s(inputs, "device_password")),
            &salt,
        );
        let expected = &case["expected"];
        assert_eq!(config.salt, s(expected, "salt_b64"), "{id}: Salt");
        assert_eq!(
            config.password_verifier,
            s(expected, "password_verifier_b64"),
            "{id}: PasswordVerifier"
        );
        let intermediate = &case["expected_intermediate"];
        assert_eq!(
            STANDARD.decode(&config.salt).unwrap().len() as u64,
            intermediate["salt_bytes"].as_u64().unwrap(),
            "{id}"
        );
        assert_eq!(
            STANDARD.decode(&config.password_verifier).unwrap().len() as u64,
            intermediate["verifier_bytes"].as_u64().unwrap(),
            "{id}"
        );
        assert_eq!(
            hex::encode(srp::pad(minimal(&salt))),
            s(intermediate, "salt_padhex")
        );
    }
}
