//! Shared by the examples: provisioning a demo pool on the embedded emulator.

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
