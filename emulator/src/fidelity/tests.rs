use super::*;

/// The value each switch takes when it is not at its default.
fn other_value(name: &str) -> &'static str {
    match name {
        "timestamp-tolerance" => "30",
        "not-remembered-device-proves" | "wrong-code-keeps-session" => "false",
        "expired-session-message" => EXPIRED_SESSION_MESSAGES[1],
        "unknown-operation-answer" => "InvalidAction",
        "secret-hash-mismatch-message" => SECRET_HASH_MISMATCH_MESSAGES[1],
        "refresh-token-auth-rotation-refusal" => ROTATION_REFUSALS[1],
        "confirm-device-unknown-key" => CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS[1].0,
        _ => "true",
    }
}

#[test]
fn every_switch_parses_and_round_trips() {
    let mut f = Fidelity::default();
    for name in NAMES {
        f.apply(&format!("{name}={}", other_value(name))).unwrap();
    }
    assert_eq!(f, Fidelity::flipped());
    let mut g = Fidelity::default();
    g.apply_json(&f.to_json()).unwrap();
    assert_eq!(g, f);
    assert!(f.set("nonsense", "1").unwrap_err().contains("known:"));
    assert!(f.apply("mfa-after-new-password=maybe").is_err());
    assert!(f.apply("no-equals-sign").is_err());
    assert!(f.apply("expired-session-message=Session gone").is_err());
    assert!(f.apply("unknown-operation-answer=Nope").is_err());
    assert!(
        f.apply("confirm-device-unknown-key=Invalid device key given.")
            .unwrap_err()
            .contains("ResourceNotFoundException")
    );
    for answer in UnknownOperationAnswer::ALL {
        f.set("unknown-operation-answer", answer.name()).unwrap();
        assert_eq!(f.unknown_operation_answer, answer);
        let e = answer.error("GetTokensFromRefreshToken");
        assert_eq!((e.status, e.kind), (400, answer.name()));
        assert!(e.message.contains("GetTokensFromRefreshToken"), "{e}");
    }
    f.set("expired-session-message", EXPIRED_SESSION_MESSAGES[1])
        .unwrap();
    assert_eq!(f.invalid_session().message, "Invalid session for the user.");
}

#[test]
fn every_switch_has_a_name_and_a_value_that_differs() {
    let default = Fidelity::default().to_json();
    let flipped = Fidelity::flipped().to_json();
    assert_eq!(default.as_object().unwrap().len(), NAMES.len());
    for name in NAMES {
        assert_ne!(default[name], flipped[name], "{name}");
    }
}

#[test]
fn the_worded_answers_follow_their_switches() {
    let mut f = Fidelity::default();
    assert_eq!(
        (f.rotation_refusal().kind, f.unknown_device_key().kind),
        ("InvalidParameterException", "InvalidParameterException")
    );
    assert_eq!(f.unknown_device_key().message, "Invalid device key given.");
    f = Fidelity::flipped();
    let refusal = f.rotation_refusal();
    assert_eq!(refusal.kind, "NotAuthorizedException");
    assert!(refusal.message.contains("REFRESH_TOKEN_AUTH"), "{refusal}");
    let unknown = f.unknown_device_key();
    assert_eq!(
        (unknown.kind, unknown.message.as_str()),
        ("ResourceNotFoundException", "Device does not exist.")
    );
}

#[test]
fn device_tracking_follows_the_srp_path() {
    for any_factor in [false, true] {
        let f = Fidelity {
            user_auth_tracks_any_factor: any_factor,
            ..Fidelity::default()
        };
        assert!(f.device_confirmable(FirstFactor::PasswordSrp));
        assert!(!f.device_confirmable(FirstFactor::PlainPassword));
        assert_eq!(
            f.device_confirmable(FirstFactor::UserAuthWithoutSrp),
            any_factor
        );
    }
}

#[test]
fn the_matrix_gives_every_value_of_every_switch() {
    let m = Fidelity::matrix();
    assert_eq!(m.len(), 64);
    for t in TOLERANCES {
        assert!(m.iter().any(|f| f.timestamp_tolerance_seconds == t));
    }
    for per_device in [false, true] {
        assert!(
            m.iter()
                .any(|f| f.device_group_key_per_device == per_device)
        );
    }
    let distinct: std::collections::HashSet<String> = m.iter().map(|f| f.label()).collect();
    assert_eq!(distinct.len(), 64);
    assert_eq!(Fidelity::default().label(), "defaults");
}
