//! Shared test harness: an emulator, the official AWS SDK client pointed at it, and sign-in
//! helpers built on the independent test SRP client.

#![allow(dead_code)]

pub mod srp_client;

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthError;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeError;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    DeviceConfigurationType, DeviceSecretVerifierConfigType, ExplicitAuthFlowsType,
    MessageActionType, UserPoolMfaType,
};
use cognito_emulator::{Emulator, EmulatorConfig};
use num_bigint::BigUint;
use rand::RngCore;
use srp_client::SrpClient;

pub const PASSWORD: &str = "Correct-Horse-9";

/// An SDK client for `endpoint` (static credentials for admin calls; retries off by default so
/// every rejection is seen exactly once).
pub fn sdk_client(endpoint: &str, retries: bool) -> Client {
    let config = aws_sdk_cognitoidentityprovider::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .retry_config(if retries {
            RetryConfig::standard().with_max_attempts(3)
        } else {
            RetryConfig::disabled()
        })
        .timeout_config(
            aws_sdk_cognitoidentityprovider::config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(60))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

/// (code, message) of a failed call; panics if it succeeded.
pub fn err<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> (String, String) {
    let e = result.expect_err("the call should have been rejected");
    (
        e.code().unwrap_or("").to_owned(),
        e.message().unwrap_or("").to_owned(),
    )
}

/// How the test pool is set up.
#[derive(Clone)]
pub struct PoolOptions {
    pub mfa: UserPoolMfaType,
    /// (ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt); None: no device tracking.
    pub devices: Option<(bool, bool)>,
    pub secret: bool,
    pub email_as_username: bool,
    pub email_alias: bool,
    pub flows: Vec<ExplicitAuthFlowsType>,
    pub rotation: bool,
    pub config: EmulatorConfig,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            mfa: UserPoolMfaType::Off,
            devices: Some((true, false)),
            secret: false,
            email_as_username: false,
            email_alias: false,
            flows: vec![
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ],
            rotation: false,
            config: EmulatorConfig::default(),
        }
    }
}

/// A running emulator with one pool and one app client.
pub struct Fixture {
    pub emulator: Emulator,
    pub endpoint: String,
    pub sdk: Client,
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// Secrets a client keeps for a remembered device.
#[derive(Clone, Debug)]
pub struct DeviceSecrets {
    pub key: String,
    pub group_key: String,
    pub password: String,
}

impl Fixture {
    pub async fn new(options: PoolOptions) -> Fixture {
        let emulator = Emulator::start(options.config.clone())
            .await
            .expect("emulator starts");
        let endpoint = emulator.endpoint();
        let sdk = sdk_client(&endpoint, false);
        let mut pool = sdk
            .create_user_pool()
            .pool_name("test-pool")
            .mfa_configuration(options.mfa.clone());
        if let Some((challenge, prompt)) = options.devices {
            pool = pool.device_configuration(
                DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(challenge)
                    .device_only_remembered_on_user_prompt(prompt)
                    .build(),
            );
        }
        if options.email_as_username {
            pool = pool.username_attributes(
                aws_sdk_cognitoidentityprovider::types::UsernameAttributeType::Email,
            );
        }
        if options.email_alias {
            pool = pool.alias_attributes(
                aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email,
            );
        }
        let pool = pool.send().await.expect("CreateUserPool");
        let pool_id = pool
            .user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_owned();
        if options.mfa != UserPoolMfaType::Off {
            sdk.set_user_pool_mfa_config()
                .user_pool_id(&pool_id)
                .mfa_configuration(options.mfa.clone())
                .sms_mfa_configuration(
                    aws_sdk_cognitoidentityprovider::types::SmsMfaConfigType::builder().build(),
                )
                .software_token_mfa_configuration(
                    aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaConfigType::builder()
                        .enabled(true)
                        .build(),
                )
                .send()
                .await
                .expect("SetUserPoolMfaConfig");
        }
        let mut client = sdk
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("app")
            .generate_secret(options.secret)
            .set_explicit_auth_flows(Some(options.flows.clone()));
        if options.rotation {
            client = client.refresh_token_rotation(
                aws_sdk_cognitoidentityprovider::types::RefreshTokenRotationType::builder()
                    .feature(aws_sdk_cognitoidentityprovider::types::FeatureType::Enabled)
                    .retry_grace_period_seconds(0)
                    .build()
                    .expect("rotation"),
            );
        }
        let client = client.send().await.expect("CreateUserPoolClient");
        let app = client.user_pool_client().expect("client");
        Fixture {
            emulator,
            endpoint,
            sdk,
            pool_id,
            client_id: app.client_id().expect("client id").to_owned(),
            client_secret: app.client_secret().map(str::to_owned),
        }
    }

    /// Creates a confirmed user with PASSWORD; returns the internal username.
    pub async fn user(&self, name: &str, attributes: &[(&str, &str)]) -> String {
        let mut create = self
            .sdk
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(name)
            .message_action(MessageActionType::Suppress);
        for (k, v) in attributes {
            create = create.user_attributes(
                AttributeType::builder()
                    .name(*k)
                    .value(*v)
                    .build()
                    .expect("attr"),
            );
        }
        let out = create.send().await.expect("AdminCreateUser");
        self.sdk
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(name)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        out.user()
            .and_then(|u| u.username())
            .expect("username")
            .to_owned()
    }

    pub fn hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_ref()
            .map(|s| srp_client::secret_hash(s, username, &self.client_id))
    }

    pub fn pool_name(&self) -> String {
        self.pool_id.split_once('_').expect("pool id").1.to_owned()
    }

    /// InitiateAuth USER_SRP_AUTH.
    pub async fn initiate(
        &self,
        username: &str,
        device_key: Option<&str>,
    ) -> (
        Result<InitiateAuthOutput, SdkError<InitiateAuthError>>,
        SrpClient,
    ) {
        let srp = SrpClient::new();
        let mut call = self
            .sdk
            .initiate_auth()
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("SRP_A", srp.a_hex());
        if let Some(h) = self.hash(username) {
            call = call.auth_parameters("SECRET_HASH", h);
        }
        if let Some(k) = device_key {
            call = call.auth_parameters("DEVICE_KEY", k);
        }
        (call.send().await, srp)
    }

    /// The PASSWORD_VERIFIER answer with every part adjustable.
    pub async fn password_verifier(
        &self,
        challenge: &InitiateAuthOutput,
        srp: &SrpClient,
        password: &str,
        answer: Answer,
    ) -> Result<RespondToAuthChallengeOutput, SdkError<RespondToAuthChallengeError>> {
        let params = challenge
            .challenge_parameters()
            .expect("challenge parameters");
        let user_id = &params["USER_ID_FOR_SRP"];
        let key = srp.key(
            &self.pool_name(),
            user_id,
            password,
            &params["SALT"],
            &params["SRP_B"],
        );
        let timestamp = answer
            .timestamp
            .clone()
            .unwrap_or_else(|| srp_client::timestamp(srp_client::now_epoch()));
        let signature = srp_client::signature(
            &key,
            &self.pool_name(),
            user_id,
            &params["SECRET_BLOCK"],
            &timestamp,
        );
        let username = answer
            .username
            .clone()
            .unwrap_or_else(|| params["USERNAME"].clone());
        let mut call = self
            .sdk
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .challenge_responses("USERNAME", &username)
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &params["SECRET_BLOCK"])
            .challenge_responses("TIMESTAMP", &timestamp)
            .challenge_responses(
                "PASSWORD_CLAIM_SIGNATURE",
                answer.signature.clone().unwrap_or(signature),
            );
        if answer.with_session {
            call = call.set_session(challenge.session().map(str::to_owned));
        }
        if let Some(k) = &answer.device_key {
            call = call.challenge_responses("DEVICE_KEY", k);
        }
        if let Some(h) = answer
            .secret_hash
            .clone()
            .or_else(|| self.hash(&params["USERNAME"]))
        {
            call = call.challenge_responses("SECRET_HASH", h);
        }
        call.send().await
    }

    /// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER.
    pub async fn device_steps(
        &self,
        username: &str,
        session: Option<&str>,
        device: &DeviceSecrets,
    ) -> Result<RespondToAuthChallengeOutput, String> {
        self.device_steps_with(username, session, device, &SrpClient::new())
            .await
    }

    /// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER with a given client ephemeral.
    pub async fn device_steps_with(
        &self,
        username: &str,
        session: Option<&str>,
        device: &DeviceSecrets,
        srp: &SrpClient,
    ) -> Result<RespondToAuthChallengeOutput, String> {
        let mut call = self
            .sdk
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::DeviceSrpAuth)
            .challenge_responses("USERNAME", username)
            .challenge_responses("DEVICE_KEY", &device.key)
            .challenge_responses("SRP_A", srp.a_hex())
            .set_session(session.map(str::to_owned));
        if let Some(h) = self.hash(username) {
            call = call.challenge_responses("SECRET_HASH", h);
        }
        let out = call
            .send()
            .await
            .map_err(|e| format!("{}: {}", e.code().unwrap_or(""), e.message().unwrap_or("")))?;
        assert_eq!(
            out.challenge_name(),
            Some(&ChallengeNameType::DevicePasswordVerifier)
        );
        let params = out.challenge_parameters().expect("params");
        assert_eq!(params["DEVICE_KEY"], device.key);
        let key = srp.key(
            &device.group_key,
            &device.key,
            &device.password,
            &params["SALT"],
            &params["SRP_B"],
        );
        let timestamp = srp_client::timestamp(srp_client::now_epoch());
        let signature = srp_client::signature(
            &key,
            &device.group_key,
            &device.key,
            &params["SECRET_BLOCK"],
            &timestamp,
        );
        let mut call = self
            .sdk
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::DevicePasswordVerifier)
            .challenge_responses("USERNAME", &params["USERNAME"])
            .challenge_responses("DEVICE_KEY", &device.key)
            .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &params["SECRET_BLOCK"])
            .challenge_responses("TIMESTAMP", &timestamp)
            .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
            .set_session(out.session().map(str::to_owned));
        if let Some(h) = self.hash(&params["USERNAME"]) {
            call = call.challenge_responses("SECRET_HASH", h);
        }
        call.send()
            .await
            .map_err(|e| format!("{}: {}", e.code().unwrap_or(""), e.message().unwrap_or("")))
    }

    /// Full SRP sign-in without MFA: returns the last answer.
    pub async fn sign_in(
        &self,
        username: &str,
        device: Option<&DeviceSecrets>,
    ) -> RespondToAuthChallengeOutput {
        let (init, srp) = self
            .initiate(username, device.map(|d| d.key.as_str()))
            .await;
        let init = init.expect("InitiateAuth");
        assert_eq!(
            init.challenge_name(),
            Some(&ChallengeNameType::PasswordVerifier)
        );
        let answer = Answer {
            device_key: device.map(|d| d.key.clone()),
            ..Answer::default()
        };
        let out = self
            .password_verifier(&init, &srp, PASSWORD, answer)
            .await
            .expect("PASSWORD_VERIFIER");
        match (out.challenge_name(), device) {
            (Some(ChallengeNameType::DeviceSrpAuth), Some(d)) => {
                let internal = init.challenge_parameters().expect("params")["USERNAME"].clone();
                self.device_steps(&internal, out.session(), d)
                    .await
                    .expect("device steps")
            }
            _ => out,
        }
    }

    /// ConfirmDevice for NewDeviceMetadata of `result`.
    pub async fn confirm_device(&self, result: &AuthenticationResultType) -> (DeviceSecrets, bool) {
        let metadata = result.new_device_metadata().expect("NewDeviceMetadata");
        let mut raw = [0u8; 40];
        rand::thread_rng().fill_bytes(&mut raw);
        let device = DeviceSecrets {
            key: metadata.device_key().expect("DeviceKey").to_owned(),
            group_key: metadata
                .device_group_key()
                .expect("DeviceGroupKey")
                .to_owned(),
            password: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, raw),
        };
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        let (verifier, salt) = srp_client::device_verifier(
            &device.group_key,
            &device.key,
            &device.password,
            &BigUint::from_bytes_be(&salt),
        );
        let out = self
            .sdk
            .confirm_device()
            .access_token(result.access_token().expect("access token"))
            .device_key(&device.key)
            .device_name("test phone")
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .password_verifier(verifier)
                    .salt(salt)
                    .build(),
            )
            .send()
            .await
            .expect("ConfirmDevice");
        (device, out.user_confirmation_necessary())
    }

    /// SMS codes sent to a user, via the HTTP endpoint.
    pub async fn sms_codes(&self, username: &str) -> Vec<String> {
        let (status, body) = http(
            &self.endpoint,
            "GET",
            &format!("/_emulator/sms?username={username}"),
            &[],
            "",
        )
        .await;
        assert_eq!(status, 200);
        let list: Vec<HashMap<String, serde_json::Value>> =
            serde_json::from_str(&body).expect("sms json");
        list.iter()
            .map(|m| m["code"].as_str().expect("code").to_owned())
            .collect()
    }
}

/// Knobs of a PASSWORD_VERIFIER answer.
#[derive(Clone)]
pub struct Answer {
    pub username: Option<String>,
    pub timestamp: Option<String>,
    pub signature: Option<String>,
    pub secret_hash: Option<String>,
    pub device_key: Option<String>,
    pub with_session: bool,
}

impl Default for Answer {
    fn default() -> Self {
        Answer {
            username: None,
            timestamp: None,
            signature: None,
            secret_hash: None,
            device_key: None,
            with_session: true,
        }
    }
}

/// A minimal HTTP/1.1 request (Connection: close): (status, body).
pub async fn http(
    endpoint: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = endpoint.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A JSON 1.1 call with raw HTTP: (status, body JSON).
pub async fn call(endpoint: &str, operation: &str, body: &str) -> (u16, serde_json::Value) {
    let target = format!("AWSCognitoIdentityProviderService.{operation}");
    let (status, text) = http(
        endpoint,
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        body,
    )
    .await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}
