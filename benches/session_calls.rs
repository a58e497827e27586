//! Server calls of a kept session while an app is used: ten "screens" ask for tokens every
//! 200 ms, and every call Cognito receives is counted at the emulator. The run is scaled down
//! (tokens valid `VALIDITY` seconds, a margin of `MARGIN` seconds, `SECONDS` of use), then
//! the same rule is applied to one-hour tokens and the default 5-minute margin.
//!
//! `cargo bench --bench session_calls [-- VALIDITY MARGIN SECONDS]` (defaults: 10 2 40).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_device_auth::{Client, ClientConfig, SessionConfig, SignInStep};
use cognito_emulator::testkit::{PoolSetup, TestPool};

const OPERATIONS: [&str; 4] = [
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "ConfirmDevice",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let numbers: Vec<u64> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let validity = numbers.first().copied().unwrap_or(10);
    let margin = numbers.get(1).copied().unwrap_or(2);
    let seconds = numbers.get(2).copied().unwrap_or(40);
    let pool = TestPool::start(PoolSetup {
        token_validity: Some(validity as i32),
        rotation: Some(10),
        ..PoolSetup::default()
    })
    .await;
    pool.user("alice", &[]).await;
    let client = Client::new(
        ClientConfig::new(&pool.pool_id, &pool.client_id)
            .with_endpoint(pool.endpoint())
            .with_memory_store()
            .with_sessions(SessionConfig {
                min_validity: Duration::from_secs(margin),
                refresh_token_validity: None,
            }),
    )
    .expect("a client");
    match client
        .sign_in("alice", "Correct-Horse-9")
        .await
        .expect("sign-in")
    {
        SignInStep::SmsCode(step) => {
            step.submit(&pool.last_sms_code("alice"))
                .await
                .expect("the code");
        }
        other => panic!("expected the SMS step, got {}", other.name()),
    }
    let before: Vec<u64> = OPERATIONS.iter().map(|op| pool.calls(op)).collect();
    let client = Arc::new(client);
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    let screens: Vec<_> = (0..10)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let mut asked = 0u64;
                while Instant::now() < end {
                    client.session(None).await.expect("tokens");
                    asked += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                asked
            })
        })
        .collect();
    let mut asked = 0;
    for screen in screens {
        asked += screen.await.expect("a screen");
    }
    let counted: Vec<u64> = OPERATIONS
        .iter()
        .zip(&before)
        .map(|(op, b)| pool.calls(op) - b)
        .collect();
    let total: u64 = counted.iter().sum();
    let expected = seconds as f64 / (validity - margin) as f64;
    println!(
        "{asked} session() calls over {seconds} s, tokens valid {validity} s, margin {margin} s:"
    );
    for (op, n) in OPERATIONS.iter().zip(&counted) {
        println!("  {op:<26} {n}");
    }
    println!(
        "  server calls: {total} (one refresh per {} s of use: {expected:.1} expected)",
        validity - margin
    );
    println!(
        "one-hour tokens, 5-minute margin: one refresh per 55 minutes of use = {:.2} server calls per hour",
        60.0 / 55.0
    );
}
