//! `cargo run --example srp_vectors`: runs the SRP maths on the published known-answer vectors and prints
//! what it computed next to what the vectors expect.

use std::collections::HashMap;
use std::time::Instant;

use cognito_device_auth::srp::{
    self, DevicePassword, DeviceSecretVerifierConfig, Ephemeral, NewDeviceSecret, Password,
    PasswordVerifierChallenge, Timestamp, UserSrpSession,
};
use cognito_device_auth::{DeviceGroupKey, DeviceKey};

fn field<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

fn load(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("vector files are JSON")
}

fn hex_bytes(text: &str) -> Vec<u8> {
    let even = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    hex::decode(even).expect("vector hex")
}

fn check(label: &str, computed: &str, expected: &str) -> bool {
    let ok = computed == expected;
    let shown = if computed.len() > 48 {
        format!("{}…", &computed[..48])
    } else {
        computed.to_owned()
    };
    println!("  {} {label:<28} {shown}", if ok { "ok  " } else { "FAIL" });
    ok
}

fn main() {
    let mut all_ok = true;

    println!("User SRP, Amplify Android's full chain (docs/protocol.md 2):");
    let users = load("user_srp.json");
    let chain = users["cases"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "full_chain"))
        .expect("full_chain case");
    let (inputs, derived) = (&chain["inputs"], &chain["expected_derived"]);
    let started = Instant::now();
    let session = UserSrpSession::with_ephemeral(
        field(inputs, "pool_id"),
        Ephemeral::from_private_bytes(&hex_bytes(field(inputs, "a_hex"))).expect("a"),
    )
    .expect("pool id");
    all_ok &= check(
        "SRP_A",
        &session.srp_a(),
        field(&chain["expected"], "A_hex"),
    );
    let challenge = PasswordVerifierChallenge::from_parameters(&HashMap::from([
        ("SALT".to_owned(), field(inputs, "salt_hex").to_owned()),
        ("SRP_B".to_owned(), field(inputs, "B_hex").to_owned()),
        (
            "SECRET_BLOCK".to_owned(),
            field(inputs, "secret_block_b64").to_owned(),
        ),
        (
            "USER_ID_FOR_SRP".to_owned(),
            field(inputs, "user_id_for_srp").to_owned(),
        ),
    ]))
    .expect("challenge");
    let timestamp = Timestamp::from_unix_seconds(1_632_897_648);
    all_ok &= check("TIMESTAMP", timestamp.as_str(), field(inputs, "timestamp"));
    let answer = session
        .answer(
            &challenge,
            &Password::new(field(inputs, "password")),
            &timestamp,
        )
        .expect("answer");
    all_ok &= check(
        "PASSWORD_CLAIM_SIGNATURE",
        &answer.signature,
        field(derived, "signature_b64"),
    );
    println!("  (computed in {:.2?})", started.elapsed());

    println!("\nConfirmDevice verifiers (docs/protocol.md 4):");
    let devices = load("device_verifier.json");
    for case in devices["cases"].as_array().expect("cases") {
        let inputs = &case["inputs"];
        let config = DeviceSecretVerifierConfig::compute(
            &DeviceKey::new(field(inputs, "device_key")),
            &DeviceGroupKey::new(field(inputs, "device_group_key")),
            &DevicePassword::new(field(inputs, "device_password")),
            &hex::decode(field(inputs, "salt_hex")).expect("salt"),
        );
        all_ok &= check(
            field(case, "id"),
            &config.password_verifier,
            field(&case["expected"], "password_verifier_b64"),
        );
    }

    println!("\nSECRET_HASH (docs/protocol.md 3):");
    let hashes = load("secret_hash.json");
    for case in hashes["cases"].as_array().expect("cases") {
        let computed = srp::secret_hash(
            &srp::ClientSecret::new(field(case, "client_secret")),
            field(case, "username"),
            field(case, "client_id"),
        );
        all_ok &= check(field(case, "id"), &computed, field(case, "expected"));
    }

    println!("\nA fresh device secret, as ConfirmDevice would send it:");
    let started = Instant::now();
    let fresh = NewDeviceSecret::generate(
        &DeviceKey::new("us-east-1_00000000-0000-4000-8000-000000000000"),
        &DeviceGroupKey::new("-example1"),
    )
    .expect("OS randomness");
    println!("  password     {:?}", fresh.password);
    println!("  Salt         {}", fresh.verifier.salt);
    println!(
        "  Verifier     {}…",
        &fresh.verifier.password_verifier[..48]
    );
    println!("  (generated in {:.2?})", started.elapsed());
    println!("  TIMESTAMP now: {}", Timestamp::now());

    if all_ok {
        println!("\nall known-answer vectors reproduced");
    } else {
        println!("\nSOME VECTORS WERE NOT REPRODUCED");
        std::process::exit(1);
    }
}
