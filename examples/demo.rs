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

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Region};
use cip::types::{
    AttributeType, DeviceConfigurationType, ExplicitAuthFlowsType, MessageActionType,
    SmsMfaConfigType, UserPoolMfaType,
};
use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, ClientConfig, SignInStep};
use cognito_emulator::{Emulator, EmulatorConfig};

const USERNAME: &str = "alice";
const PASSWORD: &str = "Correct-Horse-9";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

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
    client.sign_out(&first.tokens, true).await?;
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

/// Creates the pool, the app client and the user through the real API (admin calls are
/// SigV4-signed with throwaway credentials; the emulator does not check them).
async fn provision(emulator: &Emulator) -> Result<(String, String)> {
    let admin = cip::Client::from_conf(
        cip::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(emulator.endpoint())
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDDEMO",
                "SECRETDEMO",
                None,
                None,
                "demo",
            ))
            .build(),
    );
    let pool = admin
        .create_user_pool()
        .pool_name("demo")
        .mfa_configuration(UserPoolMfaType::On)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
        .send()
        .await?;
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .ok_or("no pool id")?
        .to_owned();
    admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::On)
        .sms_mfa_configuration(SmsMfaConfigType::builder().build())
        .send()
        .await?;
    let app = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("demo-app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = app
        .user_pool_client()
        .and_then(|c| c.client_id())
        .ok_or("no client id")?
        .to_owned();
    let attribute =
        |name: &str, value: &str| AttributeType::builder().name(name).value(value).build();
    admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("phone_number", "+15555550100")?)
        .user_attributes(attribute("phone_number_verified", "true")?)
        .send()
        .await?;
    admin
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;
    Ok((pool_id, client_id))
}
