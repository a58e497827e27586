//! Shared test harness: the test kit's [`TestPool`] (an emulator with a pool, the official AWS
//! SDK client pointed at it) and sign-in steps built on the independent test SRP client.

#![allow(dead_code)]

pub mod srp_client;

use std::ops::Deref;

use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthError;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeError;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType, DeviceSecretVerifierConfigType,
    ExplicitAuthFlowsType, UserPoolMfaType,
};
pub use cognito_emulator::testkit::{PASSWORD, PoolSetup, TestPool, http};
use num_bigint::BigUint;
use rand::RngCore;
use srp_client::SrpClient;

/// The pool most tests use: no MFA, devices remembered without asking, and the password flow
/// allowed besides SRP and refresh.
pub fn options() -> PoolSetup {
    PoolSetup {
        mfa: UserPoolMfaType::Off,
        flows: vec![
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ],
        ..PoolSetup::default()
    }
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

/// A [`TestPool`] with the sign-in steps of the independent test SRP client.
pub struct Fixture {
    pub pool: TestPool,
}

impl Deref for Fixture {
    type Target = TestPool;

    fn deref(&self) -> &TestPool {
        &self.pool
    }
}

/// Secrets a client keeps for a remembered device.
#[derive(Clone, Debug)]
pub struct DeviceSecrets {
    pub key: String,
    pub group_key: String,
    pub password: String,
}

impl Fixture {
    /// An emulator with a pool set up as `setup` says.
    pub async fn start(setup: PoolSetup) -> Fixture {
        Fixture {
            pool: TestPool::start(setup).await,
        }
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
            .admin
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
            .admin
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
            .admin
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
            .admin
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
            .admin
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
