//! The main job: a remembered-device sign-in end to end, against the emulator embedded in this
//! process (no AWS account needed).
//!
//! It provisions a pool with SMS MFA required and device remembering on, signs a user in
//! (reading the SMS code from the emulator's outbox, as the user would read their phone),
//! remembers the device, signs out, signs in again with no MFA step, lists devices, refreshes,
//! forgets the device, and shows that MFA is asked again. Each step prints its wall time and
//! the HTTP round trips it took.
//!
//! `cargo run --example demo`

use std::sync::Arc;
use std::time::Instant;

use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, ClientConfig, SignInStep, SignOutScope};
use cognito_emulator::{Emulator, EmulatorConfig};

#[path = "support/mod.rs"]
mod support;

use support::{PASSWORD, Result, USERNAME, provision};

/// One line per step: its wall time, and the HTTP round trips of a completed sign-in.
fn line(step: &str, started: Instant, round_trips: Option<u32>, detail: &str) {
    let trips = round_trips.map_or_else(String::new, |n| format!("{n} round trips, "));
    println!(
        "{step:<28} {:>7.1} ms  {trips}{detail}",
        started.elapsed().as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    println!("cognito-emulator serving {}\n", emulator.endpoint());
    let (pool_id, client_id) = provision(&emulator).await?;
    println!(
        "user pool {pool_id}: SMS MFA required, devices remembered (ChallengeRequiredOnNewDevice)"
    );
    println!("user {USERNAME} with phone +1 555 555 0100\n");

    let store = Arc::new(MemoryStore::new());
    let client = Client::new(
        ClientConfig::new(&pool_id, &client_id)
            .with_endpoint(emulator.endpoint())
            .with_store(store.clone())
            .with_device_name("demo laptop"),
    )?;

    // 1. First sign-in: SRP, then the SMS code; the new device is confirmed and remembered.
    let started = Instant::now();
    let step = client.sign_in(USERNAME, PASSWORD).await?;
    let SignInStep::SmsCode(sms) = step else {
        return Err(format!("expected an SMS code step, got {}", step.name()).into());
    };
    line(
        "sign in (SRP)",
        started,
        None,
        &format!("-> SMS code sent to {}", sms.destination().unwrap_or("?")),
    );
    let code = emulator
        .sms_outbox(Some(USERNAME))
        .last()
        .map(|m| m.code.clone())
        .ok_or("no SMS in the outbox")?;
    let started = Instant::now();
    let first = sms
        .submit(&code)
        .await?
        .done()
        .ok_or("expected to be signed in after the SMS code")?;
    let device_key = first.device.device_key.clone().unwrap_or_default();
    line(
        "  answer SMS code",
        started,
        Some(first.round_trips),
        &format!(
            "-> signed in; new device {device_key} confirmed, remembered = {}",
            first.device.remembered
        ),
    );

    let started = Instant::now();
    client
        .sign_out(&first.tokens, SignOutScope::Everywhere)
        .await?;
    line(
        "sign out (GlobalSignOut)",
        started,
        None,
        "-> device secret kept",
    );

    // 2. Second sign-in: the remembered device answers DEVICE_SRP_AUTH; no MFA step.
    let started = Instant::now();
    let step = client.sign_in(USERNAME, PASSWORD).await?;
    let second = step
        .done()
        .ok_or("expected no MFA step on the remembered device")?;
    line(
        "sign in again",
        started,
        Some(second.round_trips),
        &format!("-> signed in, MFA skipped = {}", second.device.skipped_mfa),
    );

    let started = Instant::now();
    let devices = client.devices(&second.tokens).await?;
    for d in &devices {
        line(
            "list devices",
            started,
            None,
            &format!(
                "-> {} {:?} remembered = {:?}",
                d.device_key,
                d.name.as_deref().unwrap_or("?"),
                d.remembered
            ),
        );
    }

    let started = Instant::now();
    let refresh_token = second.tokens.refresh_token.clone().unwrap_or_default();
    let refreshed = client.refresh(&second.username, &refresh_token).await?;
    line(
        "refresh (with DeviceKey)",
        started,
        None,
        &format!(
            "-> new access token, valid {} s",
            refreshed.expires_in().as_secs()
        ),
    );

    let started = Instant::now();
    client.forget_device(&refreshed, USERNAME, None).await?;
    line(
        "forget this device",
        started,
        None,
        &format!("-> local records left: {}", store.accounts().len()),
    );

    // 3. Third sign-in: the device is gone, so MFA is asked again.
    let started = Instant::now();
    let step = client.sign_in(USERNAME, PASSWORD).await?;
    line(
        "sign in after forgetting",
        started,
        None,
        &format!("-> next step: {}", step.name()),
    );
    if step.name() != "SmsCode" {
        return Err("MFA was not asked after forgetting the device".into());
    }

    emulator.stop().await;
    println!("\ndone: MFA once, skipped on the remembered device, asked again once forgotten");
    Ok(())
}
