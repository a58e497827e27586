//! Round trips and wall time of each kind of sign-in, against the embedded emulator, with and
//! without an added network delay per call (the emulator's `delay` fault).
//!
//! `cargo run --release --example latency [-- DELAY_MS [RUNS]]` (defaults: 50 ms, 20 runs).
//!
//! A remembered-device sign-in needs 4 round trips (InitiateAuth, PASSWORD_VERIFIER,
//! DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER): the protocol's floor. With a delay d per call its
//! wall time is about 4 d plus the client's and the server's work, which this prints.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, ClientConfig, SignInStep};
use cognito_emulator::{Emulator, EmulatorConfig};

#[path = "support/mod.rs"]
mod support;

use support::{PASSWORD, Result, USERNAME, provision};

async fn set_delay(endpoint: &str, delay_ms: u64, count: u32) -> Result<()> {
    for operation in [
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetTokensFromRefreshToken",
    ] {
        let body = format!(
            r#"{{"operation":"{operation}","kind":"delay","count":{count},"delay_ms":{delay_ms}}}"#
        );
        support::http(endpoint, "POST", "/_emulator/faults", &body).await?;
    }
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let delay_ms: u64 = args.next().map_or(Ok(50), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(20), |a| a.parse())?;

    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let endpoint = emulator.endpoint();
    let (pool_id, client_id) = provision(&emulator).await?;
    let client = Client::new(
        ClientConfig::new(&pool_id, &client_id)
            .with_endpoint(&endpoint)
            .with_store(Arc::new(MemoryStore::new())),
    )?;

    // First sign-in: SRP + SMS + ConfirmDevice.
    let started = Instant::now();
    let SignInStep::SmsCode(sms) = client.sign_in(USERNAME, PASSWORD).await? else {
        return Err("expected an SMS step".into());
    };
    let code = emulator
        .sms_outbox(Some(USERNAME))
        .last()
        .map(|m| m.code.clone())
        .ok_or("no SMS")?;
    let first = sms.submit(&code).await?.done().ok_or("not signed in")?;
    println!(
        "first sign-in (SRP, SMS MFA, new device):  {} round trips, {:.1} ms (no added delay)",
        first.round_trips,
        started.elapsed().as_secs_f64() * 1e3
    );

    for delay in [0, delay_ms] {
        if delay > 0 {
            set_delay(&endpoint, delay, (runs as u32 + 1) * 5).await?;
        }
        let mut walls = Vec::new();
        let mut trips = 0;
        let mut last = None;
        for _ in 0..runs {
            let started = Instant::now();
            let done = client
                .sign_in(USERNAME, PASSWORD)
                .await?
                .done()
                .ok_or("the remembered device did not skip MFA")?;
            walls.push(started.elapsed());
            trips = done.round_trips;
            last = Some(done);
        }
        let last = last.ok_or("no runs")?;
        let started = Instant::now();
        client
            .refresh(
                &last.username,
                last.tokens.refresh_token.as_deref().unwrap_or(""),
            )
            .await?;
        let refresh = started.elapsed();
        let wall = median(walls);
        let overhead = wall.saturating_sub(Duration::from_millis(delay * u64::from(trips)));
        println!(
            "remembered-device sign-in, +{delay} ms/call: {trips} round trips, median {:.1} ms \
             over {runs} runs ({:.1} ms beyond the {trips} x {delay} ms of delay); \
             refresh: 1 round trip, {:.1} ms",
            wall.as_secs_f64() * 1e3,
            overhead.as_secs_f64() * 1e3,
            refresh.as_secs_f64() * 1e3
        );
    }
    emulator.stop().await;
    Ok(())
}
