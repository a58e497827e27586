//! Shared by the examples: provisioning a demo pool on the embedded emulator.

#![allow(dead_code)] // each example uses a part of this module

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Region};
use cip::types::{
    AttributeType, DeviceConfigurationType, ExplicitAuthFlowsType, MessageActionType,
    SmsMfaConfigType, UserPoolMfaType,
};
use cognito_emulator::Emulator;

pub const USERNAME: &str = "alice";
pub const PASSWORD: &str = "Correct-Horse-9";

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Creates the pool, the app client and the user through the real API (admin calls are
/// SigV4-signed with throwaway credentials; the emulator does not check them).
pub async fn provision(emulator: &Emulator) -> Result<(String, String)> {
    let admin = admin(&emulator.endpoint());
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
    add_user(emulator, &pool_id, USERNAME).await?;
    Ok((pool_id, client_id))
}

/// An admin client for the emulator: SigV4-signed with throwaway credentials, which the
/// emulator does not check.
pub fn admin(endpoint: &str) -> cip::Client {
    cip::Client::from_conf(
        cip::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDDEMO",
                "SECRETDEMO",
                None,
                None,
                "demo",
            ))
            .build(),
    )
}

/// A confirmed user with [`PASSWORD`] and a phone number for SMS MFA.
pub async fn add_user(emulator: &Emulator, pool_id: &str, username: &str) -> Result<()> {
    let admin = admin(&emulator.endpoint());
    let attribute =
        |name: &str, value: &str| AttributeType::builder().name(name).value(value).build();
    admin
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("phone_number", "+15555550100")?)
        .user_attributes(attribute("phone_number_verified", "true")?)
        .send()
        .await?;
    admin
        .admin_set_user_password()
        .user_pool_id(pool_id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;
    Ok(())
}

/// A minimal HTTP/1.1 request to the emulator's test endpoints; fails on a non-2xx status.
pub async fn http(endpoint: &str, method: &str, path: &str, body: &str) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = endpoint.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    if !response.starts_with("HTTP/1.1 2") {
        return Err(format!("{method} {path}: {}", response.lines().next().unwrap_or("")).into());
    }
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default())
}
