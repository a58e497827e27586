//! One test per malformed server input: each gives its typed error, never a panic.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use cognito_device_auth::srp::{
    self, DevicePassword, DeviceSrpSession, Ephemeral, Password, PasswordVerifierChallenge,
    SrpError, Timestamp, UserSrpSession, steps,
};
use cognito_device_auth::{DeviceGroupKey, DeviceKey, UserIdForSrp};

const SALT: &str = "e7dc204cebbfda6b62b8493e932f7f4c";
const B: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

fn params(overrides: &[(&str, Option<&str>)]) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = [
        ("SALT", SALT),
        ("SRP_B", B),
        ("SECRET_BLOCK", "c2VjcmV0IGJsb2Nr"),
        ("USER_ID_FOR_SRP", "alice"),
        ("USERNAME", "alice"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (key, value) in overrides {
        match value {
            Some(v) => map.insert((*key).to_owned(), (*v).to_owned()),
            None => map.remove(*key),
        };
    }
    map
}

fn parse(overrides: &[(&str, Option<&str>)]) -> Result<PasswordVerifierChallenge, SrpError> {
    PasswordVerifierChallenge::from_parameters(&params(overrides))
}

fn n_times(k: u32) -> String {
    let n = num_bigint::BigUint::parse_bytes(srp::N_HEX.as_bytes(), 16).unwrap();
    (n * k).to_str_radix(16)
}

#[test]
fn well_formed_parameters_parse() {
    let challenge = parse(&[]).unwrap();
    assert_eq!(challenge.user_id_for_srp(), Some("alice"));
    assert_eq!(challenge.secret_block(), "c2VjcmV0IGJsb2Nr");
    assert_eq!(challenge.secret_block_bytes(), b"secret block");
}

#[test]
fn non_hex_salt() {
    assert_eq!(
        parse(&[("SALT", Some("e7dc204cebbfda6bg2b8493e932f7f4c"))]).unwrap_err(),
        SrpError::InvalidHex { name: "SALT" }
    );
    assert_eq!(
        parse(&[("SALT", Some("0x1234"))]).unwrap_err(),
        SrpError::InvalidHex { name: "SALT" }
    );
}

#[test]
fn non_hex_srp_b() {
    assert_eq!(
        parse(&[("SRP_B", Some("-5a5a"))]).unwrap_err(),
        SrpError::InvalidHex { name: "SRP_B" }
    );
    assert_eq!(
        parse(&[("SRP_B", Some("5a 5a"))]).unwrap_err(),
        SrpError::InvalidHex { name: "SRP_B" }
    );
}

#[test]
fn empty_values() {
    for name in [
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
        "USER_ID_FOR_SRP",
        "USERNAME",
    ] {
        let err = parse(&[(name, Some(""))]).unwrap_err();
        assert!(
            matches!(err, SrpError::EmptyParameter { name: n } if n == name),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn missing_values() {
    for name in ["SALT", "SRP_B", "SECRET_BLOCK"] {
        let err = parse(&[(name, None)]).unwrap_err();
        assert!(
            matches!(err, SrpError::MissingParameter { name: n } if n == name),
            "{name}: {err:?}"
        );
    }
    // USER_ID_FOR_SRP is optional in the challenge but the user step cannot answer without it.
    let challenge = parse(&[("USER_ID_FOR_SRP", None)]).unwrap();
    let session = UserSrpSession::new("us-east-1_AbCdEf123").unwrap();
    let err = session
        .answer(&challenge, &Password::new("pw"), &Timestamp::now())
        .unwrap_err();
    assert_eq!(
        err,
        SrpError::MissingParameter {
            name: "USER_ID_FOR_SRP"
        }
    );
}

#[test]
fn b_zero() {
    for zero in ["0", "00", "0000000000"] {
        assert_eq!(
            parse(&[("SRP_B", Some(zero))]).unwrap_err(),
            SrpError::IllegalServerB,
            "{zero}"
        );
    }
}

#[test]
fn b_equal_to_n_or_a_multiple() {
    for k in [1, 2, 3, 7] {
        let b = n_times(k);
        assert_eq!(
            parse(&[("SRP_B", Some(&b))]).unwrap_err(),
            SrpError::IllegalServerB,
            "B = {k}N"
        );
        let with_zeros = format!("0000{}", b.to_uppercase());
        assert_eq!(
            parse(&[("SRP_B", Some(&with_zeros))]).unwrap_err(),
            SrpError::IllegalServerB,
            "B = {k}N with leading zeros"
        );
    }
    // The steps API checks the same.
    let ephemeral = Ephemeral::generate().unwrap();
    let b = num_bigint::BigUint::parse_bytes(n_times(2).as_bytes(), 16)
        .unwrap()
        .to_bytes_be();
    assert_eq!(
        steps::exchange(&ephemeral, &[1], &b, "p", "u", "pw").unwrap_err(),
        SrpError::IllegalServerB
    );
}

#[test]
fn b_above_n_but_not_a_multiple_is_accepted() {
    let n_plus_one = {
        let n = num_bigint::BigUint::parse_bytes(srp::N_HEX.as_bytes(), 16).unwrap();
        (n + 1u32).to_str_radix(16)
    };
    assert!(parse(&[("SRP_B", Some(&n_plus_one))]).is_ok());
}

#[test]
fn secret_block_not_base64() {
    for bad in ["not base64!", "c2VjcmV0*", "====", "a"] {
        assert_eq!(
            parse(&[("SECRET_BLOCK", Some(bad))]).unwrap_err(),
            SrpError::InvalidBase64 {
                name: "SECRET_BLOCK"
            },
            "{bad:?}"
        );
    }
}

#[test]
fn secret_block_url_safe_and_unpadded_are_accepted() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    for text in [
        STANDARD.encode(&bytes),
        URL_SAFE.encode(&bytes),
        URL_SAFE_NO_PAD.encode(&bytes),
        STANDARD.encode(&bytes).trim_end_matches('=').to_owned(),
    ] {
        let challenge = parse(&[("SECRET_BLOCK", Some(&text))]).unwrap();
        assert_eq!(challenge.secret_block_bytes(), bytes.as_slice());
        // Echoed exactly as received.
        assert_eq!(challenge.secret_block(), text);
    }
}

#[test]
fn absurd_lengths() {
    let long_salt = "1".repeat(1025);
    assert!(matches!(
        parse(&[("SALT", Some(&long_salt))]).unwrap_err(),
        SrpError::TooLong { name: "SALT", .. }
    ));
    let huge_b = "f".repeat(1025); // 4100 bits
    assert!(matches!(
        parse(&[("SRP_B", Some(&huge_b))]).unwrap_err(),
        SrpError::TooLong { name: "SRP_B", .. }
    ));
    let padded_b = format!("{}{B}", "0".repeat(4096));
    assert!(matches!(
        parse(&[("SRP_B", Some(&padded_b))]).unwrap_err(),
        SrpError::TooLong { name: "SRP_B", .. }
    ));
    let megabyte_block = "A".repeat(1 << 20);
    assert!(matches!(
        parse(&[("SECRET_BLOCK", Some(&megabyte_block))]).unwrap_err(),
        SrpError::TooLong {
            name: "SECRET_BLOCK",
            ..
        }
    ));
    let long_name = "x".repeat(5000);
    assert!(matches!(
        parse(&[("USER_ID_FOR_SRP", Some(&long_name))]).unwrap_err(),
        SrpError::TooLong {
            name: "USER_ID_FOR_SRP",
            ..
        }
    ));
}

#[test]
fn error_texts_carry_no_values() {
    // A server that echoes a secret into a parameter must not get it into our error text.
    let secret = "hunter2-device-password";
    for (name, value) in [
        ("SALT", secret),
        ("SRP_B", secret),
        ("SECRET_BLOCK", "hunter2!"),
    ] {
        let text = parse(&[(name, Some(value))]).unwrap_err().to_string();
        assert!(!text.contains("hunter2"), "{text}");
    }
}

#[test]
fn invalid_user_pool_ids() {
    for id in ["", "nounderscore", "_AbCd", "us-east-1_"] {
        assert!(
            matches!(
                UserSrpSession::new(id).unwrap_err(),
                SrpError::InvalidUserPoolId(_)
            ),
            "{id:?}"
        );
    }
    assert_eq!(srp::pool_name("us-east-1_Ab_Cd").unwrap(), "Ab_Cd");
}

#[test]
fn device_step_rejects_the_same_bad_input() {
    let device = DeviceSrpSession::new(
        &UserIdForSrp::new("alice"),
        &DeviceKey::new("us-east-1_dev"),
        &DeviceGroupKey::new("-grp"),
    )
    .unwrap();
    let good = parse(&[]).unwrap();
    assert!(
        device
            .answer(&good, &DevicePassword::new("pw"), &Timestamp::now())
            .is_ok()
    );
    assert_eq!(
        parse(&[("SRP_B", Some(&n_times(1)))]).unwrap_err(),
        SrpError::IllegalServerB
    );
}

/// The known-answer steps are total: an SRP_B wider than any 4096-bit value is a typed error,
/// not a panic (the challenge parser already refuses it; `steps` takes raw bytes).
#[test]
fn known_answer_steps_refuse_an_oversized_b_without_panicking() {
    let ephemeral = Ephemeral::from_private_bytes(&[7; 32]).unwrap();
    for len in [513, 600, 4096] {
        let b = vec![0xff; len];
        assert!(matches!(
            steps::exchange(&ephemeral, &[1], &b, "p", "u", "pw").unwrap_err(),
            SrpError::TooLong { name: "SRP_B", .. }
        ));
    }
    // Leading zeros are not length: a 600-byte B whose value fits is reduced as usual.
    let mut b = vec![0u8; 600];
    b[599] = 5;
    assert!(steps::exchange(&ephemeral, &[1], &b, "p", "u", "pw").is_ok());
}
