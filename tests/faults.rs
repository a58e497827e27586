//! Each injected fault at each network call of a first sign-in (password, SMS code, new
//! device, ConfirmDevice), judged on what the app can still do: a session that signed in must
//! stay refreshable, and a clean second sign-in must end consistent: either the device is
//! remembered and MFA is skipped, or a fresh device replaced it and MFA was asked once. Prints
//! the matrix (call x fault -> outcome), under the emulator's defaults and with every fidelity
//! switch flipped.

mod common;

use std::sync::Arc;
use std::time::Duration;

use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, Error, SignInStep, SignedIn};
use cognito_emulator::Fidelity;
use common::*;

const TIMEOUT: Duration = Duration::from_millis(800);
const DELAY_MS: u64 = 1_200;

#[derive(Clone, Copy, Debug)]
enum Call {
    InitiateAuth,
    PasswordVerifier,
    SmsCode,
    ConfirmDevice,
    /// ConfirmDevice failing on every attempt (retries exhausted).
    ConfirmDeviceAlways,
}

impl Call {
    fn operation(self) -> &'static str {
        match self {
            Self::InitiateAuth => "InitiateAuth",
            Self::PasswordVerifier | Self::SmsCode => "RespondToAuthChallenge",
            Self::ConfirmDevice | Self::ConfirmDeviceAlways => "ConfirmDevice",
        }
    }
    fn count(self) -> u32 {
        match self {
            Self::ConfirmDeviceAlways => 10,
            _ => 1,
        }
    }
}

/// The first sign-in with a fault at `call`; returns what the user saw.
async fn first_sign_in(pool: &Pool, client: &Client, user: &str, call: Call, kind: &str) -> String {
    let delay = if kind == "delay" { DELAY_MS } else { 0 };
    if matches!(call, Call::InitiateAuth | Call::PasswordVerifier) {
        pool.fault(call.operation(), kind, call.count(), delay)
            .await;
    }
    let outcome: Result<SignedIn, Error> = async {
        let step = client.sign_in(user, PASSWORD).await?;
        let SignInStep::SmsCode(sms) = step else {
            panic!("{user}: expected an SMS step, got {}", step.name());
        };
        if !matches!(call, Call::InitiateAuth | Call::PasswordVerifier) {
            pool.fault(call.operation(), kind, call.count(), delay)
                .await;
        }
        let step = sms.submit(&pool.last_sms_code(user)).await?;
        Ok(step.done().expect("no remember prompt in this pool"))
    }
    .await;
    pool.clear_faults().await;
    match outcome {
        Ok(done) => {
            let seen = match &done.device.warning {
                None => format!("signed in, device remembered={}", done.device.remembered),
                Some(_) if done.device.pending_confirmation => {
                    "signed in, device pending (warning)".to_owned()
                }
                Some(_) => "signed in, device not remembered (warning)".to_owned(),
            };
            // What the app can still do: the session must stay refreshable.
            let refresh = client
                .refresh(user, done.tokens.refresh_token.as_deref().unwrap())
                .await;
            match refresh {
                Ok(_) => {
                    // The session's own device, not a new one the server issued.
                    if let Some(key) = &done.device.device_key {
                        let now = client.current_device(user).await.unwrap().unwrap();
                        assert_eq!(&now.device_key, key, "{user}: the same device");
                    }
                    format!("{seen}, refresh ok")
                }
                Err(e) => format!("{seen}, refresh {}", variant(&e)),
            }
        }
        Err(e) => format!("error: {}", variant(&e)),
    }
}

fn variant(e: &Error) -> &'static str {
    match e {
        Error::NotAuthorized(_) => "NotAuthorized",
        Error::CodeMismatch(_) => "CodeMismatch",
        Error::Expired(_) => "Expired",
        Error::Throttled(_) => "Throttled",
        Error::Network(_) => "Network",
        Error::Service(_) => "Service",
        Error::InvalidServerAnswer(_) => "InvalidServerAnswer",
        _ => "other",
    }
}

/// A clean second sign-in, then the consistency check between the store and the server.
async fn second_sign_in(pool: &Pool, client: &Client, store: &MemoryStore, user: &str) -> String {
    let step = client.sign_in(user, PASSWORD).await.expect("clean sign-in");
    let (done, mfa) = match step {
        SignInStep::Done(done) => (done, "MFA skipped"),
        SignInStep::SmsCode(sms) => (
            sms.submit(&pool.last_sms_code(user))
                .await
                .expect("the code")
                .done()
                .expect("signed in"),
            "MFA asked once",
        ),
        other => panic!("{user}: unexpected {}", other.name()),
    };
    assert!(done.device.warning.is_none(), "{user}: {:?}", done.device);
    assert!(
        done.device.remembered,
        "{user}: the second sign-in remembers the device"
    );
    let local = client
        .current_device(user)
        .await
        .unwrap()
        .expect("a local record after a clean sign-in");
    assert!(local.confirmed && local.remembered, "{user}: {local:?}");
    let remembered_on_server: Vec<String> = pool
        .server_devices(user)
        .await
        .into_iter()
        .filter(|(_, status)| status.as_deref() == Some("remembered"))
        .map(|(key, _)| key)
        .collect();
    assert_eq!(
        remembered_on_server,
        vec![local.device_key.to_string()],
        "{user}: the server remembers exactly the device we hold"
    );
    assert_eq!(entries(store).len(), 1, "{user}: {:?}", entries(store));
    // And the device really works: a third sign-in skips MFA.
    let third = sign_in_without_mfa(client, user).await;
    assert!(third.device.skipped_mfa);
    mfa.to_owned()
}

/// Each matrix runs with the emulator's defaults and with every fidelity switch flipped, so
/// every value of every switch meets every fault.
fn fidelities() -> [Fidelity; 2] {
    [Fidelity::default(), Fidelity::flipped()]
}

#[tokio::test]
async fn fault_matrix_of_the_first_sign_in() {
    for fidelity in fidelities() {
        first_sign_in_matrix(fidelity).await;
    }
}

async fn first_sign_in_matrix(fidelity: Fidelity) {
    let pool = Pool::start(PoolSetup {
        fidelity,
        ..PoolSetup::default()
    })
    .await;
    println!("\nfidelity: {}", fidelity.label());
    let calls = [
        Call::InitiateAuth,
        Call::PasswordVerifier,
        Call::SmsCode,
        Call::ConfirmDevice,
        Call::ConfirmDeviceAlways,
    ];
    let kinds = ["throttle", "internal", "reset", "delay"];
    let mut rows = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        for (j, kind) in kinds.iter().enumerate() {
            let user = format!("u{i}{j}");
            pool.user(&user, &[]).await;
            let store = Arc::new(MemoryStore::new());
            let client = pool.client_with_timeout(store.clone(), TIMEOUT);
            let first = first_sign_in(&pool, &client, &user, *call, kind).await;
            let second = second_sign_in(&pool, &client, &store, &user).await;
            rows.push((format!("{call:?}"), kind.to_string(), first, second));
        }
    }
    println!(
        "\n{:<22} {:<9} {:<58} then",
        "call", "fault", "first sign-in"
    );
    for (call, kind, first, second) in &rows {
        println!("{call:<22} {kind:<9} {first:<58} {second}");
    }
    // Retried faults must not reach the user.
    for (call, kind, first, _) in &rows {
        let retried = match call.as_str() {
            "InitiateAuth" | "ConfirmDevice" => true,
            "ConfirmDeviceAlways" => false,
            _ => *kind == "throttle",
        };
        if retried {
            assert!(
                first.starts_with("signed in, device remembered=true"),
                "{call} {kind}: {first}"
            );
        }
    }
    // Every session that signed in can still be refreshed.
    for (call, kind, first, _) in &rows {
        if first.starts_with("signed in") {
            assert!(first.ends_with("refresh ok"), "{call} {kind}: {first}");
        }
    }
    // ConfirmDevice failing for good: signed in, the device pending (never forgotten: the
    // session stays refreshable); the refresh finishes the confirmation, so the next sign-in
    // skips MFA.
    for (call, _, first, second) in &rows {
        if call == "ConfirmDeviceAlways" {
            assert!(first.contains("device pending (warning)"), "{first}");
            assert_eq!(second, "MFA skipped");
        }
    }
}

/// The remembered-device sign-in's four calls: InitiateAuth, then the 1st, 2nd and 3rd
/// RespondToAuthChallenge (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).
const REMEMBERED_CALLS: [(&str, &str, u32); 4] = [
    ("InitiateAuth", "InitiateAuth", 0),
    ("PasswordVerifier", "RespondToAuthChallenge", 0),
    ("DeviceSrpAuth", "RespondToAuthChallenge", 1),
    ("DevicePasswordVerifier", "RespondToAuthChallenge", 2),
];

#[tokio::test]
async fn fault_matrix_of_the_remembered_device_sign_in() {
    for fidelity in fidelities() {
        remembered_sign_in_matrix(fidelity).await;
    }
}

async fn remembered_sign_in_matrix(fidelity: Fidelity) {
    let pool = Pool::start(PoolSetup {
        fidelity,
        ..PoolSetup::default()
    })
    .await;
    println!("\nfidelity: {}", fidelity.label());
    let kinds = ["throttle", "internal", "reset", "delay"];
    let mut rows = Vec::new();
    for (i, (call, operation, skip)) in REMEMBERED_CALLS.iter().enumerate() {
        for (j, kind) in kinds.iter().enumerate() {
            let user = format!("r{i}{j}");
            pool.user(&user, &[]).await;
            let store = Arc::new(MemoryStore::new());
            let client = pool.client_with_timeout(store.clone(), TIMEOUT);
            let first = sign_in_with_sms(&pool, &client, &user).await;
            assert!(first.device.remembered);
            let delay = if *kind == "delay" { DELAY_MS } else { 0 };
            pool.fault_after(operation, kind, 1, delay, *skip).await;
            let outcome = client.sign_in(&user, PASSWORD).await;
            pool.clear_faults().await;
            let seen = match outcome {
                Ok(SignInStep::Done(done)) => {
                    assert!(done.device.skipped_mfa, "{call} {kind}: {:?}", done.device);
                    "signed in, MFA skipped".to_owned()
                }
                Ok(other) => panic!("{call} {kind}: unexpected step {}", other.name()),
                Err(e) => {
                    assert!(e.is_retryable(), "{call} {kind}: {e:?} should be retryable");
                    format!("error: {} (retryable)", variant(&e))
                }
            };
            // Nothing was lost: the device still skips MFA.
            let then = second_sign_in(&pool, &client, &store, &user).await;
            assert_eq!(then, "MFA skipped", "{call} {kind}");
            rows.push((call.to_string(), kind.to_string(), seen, then));
        }
    }
    println!(
        "\n{:<24} {:<9} {:<40} then",
        "remembered sign-in call", "fault", "what the user saw"
    );
    for (call, kind, seen, then) in &rows {
        println!("{call:<24} {kind:<9} {seen:<40} {then}");
    }
    for (call, kind, seen, _) in &rows {
        if *kind == "throttle" || call == "InitiateAuth" {
            assert_eq!(seen, "signed in, MFA skipped", "{call} {kind} is retried");
        }
    }
}
