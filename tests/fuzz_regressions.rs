//! Replays the fuzz targets' seed corpus (`fuzz/seeds/<target>/`) and every input that once
//! found a bug (`fuzz/regressions/<target>/`) through the same harnesses cargo fuzz runs
//! (`fuzz/src/harness.rs`), so a fixed bug stays fixed without a fuzzer.

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for dir in ["seeds", "regressions"] {
        let dir = root.join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue; // A target without regressions has no directory for them.
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let input = std::fs::read(&path).expect("a readable input");
            eprintln!("replaying {}", path.display());
            run(&input);
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no seeds for {target} under {}",
        root.display()
    );
    eprintln!("{target}: {replayed} inputs");
}

#[test]
fn srp_session() {
    replay("srp_session", harness::srp_session);
}

/// The honest-server seeds reach the differential check (the emulator verifies the proof).
#[test]
fn honest_srp_seeds_are_verified_by_the_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/srp_session");
    let mut verified = 0;
    for entry in std::fs::read_dir(&dir).expect("the seed directory") {
        let path = entry.expect("an entry").path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("honest-")
        {
            let input = std::fs::read(&path).expect("a seed");
            assert!(
                harness::srp_session_verified(&input),
                "{} did not reach the server's check",
                path.display()
            );
            verified += 1;
        }
    }
    assert!(verified >= 5, "only {verified} honest seeds");
}

#[test]
fn server_answers() {
    replay("server_answers", harness::server_answers);
}

/// The clean seeds take the paths they are named for, so the fuzzer starts from them.
#[test]
fn server_answer_seeds_reach_their_paths() {
    let seed = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/seeds/server_answers")
            .join(name);
        harness::server_answers_trace(&std::fs::read(path).expect("a seed"))
    };
    for name in ["first-then-remembered", "prompt-remember"] {
        let trace = seed(name);
        assert_eq!(trace.outcomes, ["Done", "Done"], "{name}: {trace:?}");
        for call in [
            "ConfirmDevice",
            "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
        ] {
            assert!(
                trace.calls.iter().any(|c| c == call),
                "{name} never sent {call}: {trace:?}"
            );
        }
    }
    for (name, call) in [
        (
            "totp-and-select",
            "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        ),
        ("mfa-setup", "VerifySoftwareToken"),
        (
            "new-password",
            "RespondToAuthChallenge:NEW_PASSWORD_REQUIRED",
        ),
    ] {
        let trace = seed(name);
        assert_eq!(
            trace.outcomes.first().map(String::as_str),
            Some("Done"),
            "{name}: {trace:?}"
        );
        assert!(
            trace.calls.iter().any(|c| c == call),
            "{name} never sent {call}: {trace:?}"
        );
    }
}

#[test]
fn emulator_requests() {
    replay("emulator_requests", harness::emulator_requests);
}
