//! Known-answer vectors (tests/vectors/*.json) against both the emulator's server-side maths
//! and the independent test client.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_emulator::{srp, timestamp};
use common::srp_client as client;
use num_bigint::BigUint;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("vector file"))
        .expect("vector json")
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn int(hex: &str) -> BigUint {
    client::hex(hex)
}

#[test]
fn group_k_and_padded_n() {
    let group = load("group.json");
    assert_eq!(srp::GROUP.k, int(group["k_hex"].as_str().unwrap()));
    assert_eq!(client::k(), int(group["k_hex"].as_str().unwrap()));
    assert_eq!(srp::GROUP.n, int(group["N_hex"].as_str().unwrap()));
    assert_eq!(
        client::pad_hex(&client::n()),
        group["padhex_N"].as_str().unwrap()
    );
    assert_eq!(
        srp::pad(&srp::GROUP.n),
        hex_bytes(group["padhex_N"].as_str().unwrap())
    );
}

#[test]
fn pad_hex_non_negative_cases() {
    let pad = load("pad_hex.json");
    let mut checked = 0;
    for case in pad["cases"].as_array().unwrap() {
        let value = if let Some(i) = case["int"].as_i64() {
            if i < 0 {
                continue;
            }
            BigUint::from(i as u64)
        } else {
            let h = case["int_hex"].as_str().unwrap();
            if h.starts_with('-') {
                continue;
            }
            int(h)
        };
        if let Some(from) = case["from_hex_string"].as_str() {
            assert_eq!(srp::parse_hex(from), Some(value.clone()), "{}", case["id"]);
        }
        let expected = case["hex"].as_str().unwrap();
        assert_eq!(
            srp::pad(&value),
            hex_bytes(expected),
            "server pad {}",
            case["id"]
        );
        assert_eq!(
            client::pad_hex(&value),
            expected,
            "client pad {}",
            case["id"]
        );
        checked += 1;
    }
    assert!(checked > 250, "only {checked} cases");
}

#[test]
fn user_srp_u_and_s_cases() {
    let vectors = load("user_srp.json");
    for case in vectors["cases"].as_array().unwrap() {
        let inputs = &case["inputs"];
        let expected = &case["expected"];
        match case["kind"].as_str().unwrap() {
            "u" => {
                let (a, b) = (
                    int(inputs["A_hex"].as_str().unwrap()),
                    int(inputs["B_hex"].as_str().unwrap()),
                );
                let u = int(expected["u_hex"].as_str().unwrap());
                assert_eq!(srp::scrambler(&a, &b), u);
                assert_eq!(client::compute_u(&a, &b), u);
            }
            "S" => {
                let a = int(inputs["a_hex"].as_str().unwrap());
                let big_a = int(inputs["A_hex"].as_str().unwrap());
                let big_b = int(inputs["B_hex"].as_str().unwrap());
                let salt = int(inputs["salt_hex"].as_str().unwrap());
                let joined = inputs["pool_name_plus_user_id"].as_str().unwrap();
                let password = inputs["password"].as_str().unwrap();
                let derived = &case["expected_derived"];
                let u = client::compute_u(&big_a, &big_b);
                assert_eq!(u, int(derived["u_hex"].as_str().unwrap()));
                let x = client::compute_x(&salt, joined, "", password);
                assert_eq!(x, int(derived["x_hex"].as_str().unwrap()));
                assert_eq!(srp::private_key_x(&salt, joined, "", password), x);
                let s = client::compute_s(&a, &big_b, &u, &x).unwrap();
                assert_eq!(s, int(expected["S_hex"].as_str().unwrap()));
                let key = hex_bytes(derived["hkdf_key_hex"].as_str().unwrap());
                assert_eq!(client::hkdf16(&u, &s).to_vec(), key);
                assert_eq!(srp::derive_key(&u, &s).to_vec(), key);
            }
            "reject_B" => {
                let a = int(inputs["a_hex"].as_str().unwrap());
                let big_b = int(inputs["B_hex"].as_str().unwrap());
                let u = client::compute_u(&int(inputs["A_hex"].as_str().unwrap()), &big_b);
                assert!(client::compute_s(&a, &big_b, &u, &BigUint::from(1u32)).is_none());
            }
            "full_chain" => android_chain(case),
            other => panic!("unknown kind {other}"),
        }
    }
}

fn android_chain(case: &Value) {
    let inputs = &case["inputs"];
    let expected = &case["expected"];
    let derived = &case["expected_derived"];
    let a = int(inputs["a_hex"].as_str().unwrap());
    let srp_client = client::SrpClient::from_private(a);
    assert_eq!(srp_client.big_a, int(expected["A_hex"].as_str().unwrap()));
    let pool_name = inputs["pool_name"].as_str().unwrap();
    let user = inputs["user_id_for_srp"].as_str().unwrap();
    let password = inputs["password"].as_str().unwrap();
    let block = inputs["secret_block_b64"].as_str().unwrap();
    let stamp = inputs["timestamp"].as_str().unwrap();
    let key = srp_client.key(
        pool_name,
        user,
        password,
        inputs["salt_hex"].as_str().unwrap(),
        inputs["B_hex"].as_str().unwrap(),
    );
    assert_eq!(
        STANDARD.encode(key),
        expected["hkdf_key_b64"].as_str().unwrap()
    );
    let signature = client::signature(&key, pool_name, user, block, stamp);
    assert_eq!(signature, derived["signature_b64"].as_str().unwrap());
    // The server accepts exactly that signature and nothing else.
    let block_bytes = STANDARD.decode(block).unwrap();
    let sig = STANDARD.decode(&signature).unwrap();
    assert!(srp::verify_claim(
        &key,
        pool_name,
        user,
        &block_bytes,
        stamp,
        &sig
    ));
    assert!(!srp::verify_claim(
        &key,
        pool_name,
        user,
        &block_bytes,
        "Wed Sep 29 06:40:49 UTC 2021",
        &sig
    ));
    let mut message = pool_name.as_bytes().to_vec();
    message.extend_from_slice(user.as_bytes());
    message.extend_from_slice(&block_bytes);
    message.extend_from_slice(stamp.as_bytes());
    assert_eq!(message, hex_bytes(derived["message_hex"].as_str().unwrap()));
    assert_eq!(timestamp::parse(stamp), Some(1_632_897_648));
}

#[test]
fn server_key_agrees_with_client_key() {
    // A full exchange: the emulator's B and S against the test client's S.
    for _ in 0..8 {
        let salt = srp::random_salt();
        let v = srp::verifier(&salt, "KO6fcefgd", "username", "Password123");
        let eph = srp::ServerEphemeral::new(&v);
        let c = client::SrpClient::new();
        let client_key = c.key(
            "KO6fcefgd",
            "username",
            "Password123",
            &salt.to_str_radix(16),
            &eph.public_b.to_str_radix(16),
        );
        assert_eq!(srp::server_key(&c.big_a, &eph, &v).unwrap(), client_key);
    }
}

#[test]
fn timestamps() {
    let vectors = load("timestamp.json");
    for case in vectors["cases"].as_array().unwrap() {
        let epoch = case["epoch_seconds"].as_i64().unwrap();
        let text = case["expected"].as_str().unwrap();
        assert_eq!(timestamp::format(epoch), text);
        assert_eq!(client::timestamp(epoch), text);
        assert_eq!(timestamp::parse(text), Some(epoch), "{text}");
    }
    // Zero-padded day, localised names, wrong weekday, lower-case, missing UTC: refused.
    for bad in [
        "Sat Jan 01 00:00:00 UTC 2022",
        "Sa. Jan 1 00:00:00 UTC 2022",
        "Sat Jän 1 00:00:00 UTC 2022",
        "Sun Jan 1 00:00:00 UTC 2022",
        "sat jan 1 00:00:00 UTC 2022",
        "Sat Jan 1 00:00:00 2022",
        "Sat Jan  1 00:00:00 UTC 2022",
        "Sat Jan 1 0:00:00 UTC 2022",
    ] {
        assert_eq!(timestamp::parse(bad), None, "{bad}");
    }
}

#[test]
fn secret_hashes() {
    let vectors = load("secret_hash.json");
    for case in vectors["cases"].as_array().unwrap() {
        let (id, secret, user) = (
            case["client_id"].as_str().unwrap(),
            case["client_secret"].as_str().unwrap(),
            case["username"].as_str().unwrap(),
        );
        let expected = case["expected"].as_str().unwrap();
        assert_eq!(srp::secret_hash(secret, user, id), expected);
        assert_eq!(client::secret_hash(secret, user, id), expected);
    }
}

#[test]
fn device_verifiers() {
    let vectors = load("device_verifier.json");
    for case in vectors["cases"].as_array().unwrap() {
        let inputs = &case["inputs"];
        let expected = &case["expected"];
        let (group, key, password) = (
            inputs["device_group_key"].as_str().unwrap(),
            inputs["device_key"].as_str().unwrap(),
            inputs["device_password"].as_str().unwrap(),
        );
        let salt = int(inputs["salt_hex"].as_str().unwrap());
        let (verifier, salt_b64) = client::device_verifier(group, key, password, &salt);
        assert_eq!(
            verifier,
            expected["password_verifier_b64"].as_str().unwrap(),
            "{}",
            case["id"]
        );
        assert_eq!(
            salt_b64,
            expected["salt_b64"].as_str().unwrap(),
            "{}",
            case["id"]
        );
        // What ConfirmDevice stores is what the server would derive from the device password.
        let stored = BigUint::from_bytes_be(&STANDARD.decode(&verifier).unwrap());
        let stored_salt = BigUint::from_bytes_be(&STANDARD.decode(&salt_b64).unwrap());
        assert_eq!(
            srp::verifier(&stored_salt, group, key, password),
            stored,
            "{}",
            case["id"]
        );
    }
}
