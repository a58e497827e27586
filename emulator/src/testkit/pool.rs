//! Provisioning: a pool, its app client and users, through the official AWS SDK.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AliasAttributeType, DeviceConfigurationType, ExplicitAuthFlowsType, FeatureType,
    MessageActionType, RefreshTokenRotationType, SmsMfaConfigType, SoftwareTokenMfaConfigType,
    TimeUnitsType, TokenValidityUnitsType, UserPoolMfaType, UsernameAttributeType,
    UsernameConfigurationType,
};

use super::{PASSWORD, PHONE, admin_client, attribute};
use crate::{Emulator, EmulatorConfig, Fidelity};

/// How a test pool is set up.
#[derive(Clone, Debug)]
pub struct PoolSetup {
    /// MfaConfiguration; other than OFF, SMS and TOTP are both allowed.
    pub mfa: UserPoolMfaType,
    /// (ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt); None: no tracking.
    pub devices: Option<(bool, bool)>,
    /// The app client has a secret.
    pub secret: bool,
    /// Users sign in with their e-mail address (UsernameAttributes email).
    pub email_as_username: bool,
    /// A verified e-mail address signs in too (AliasAttributes email).
    pub email_alias: bool,
    /// A verified phone number signs in too (AliasAttributes phone_number).
    pub phone_alias: bool,
    /// UsernameConfiguration.CaseSensitive; None: not sent (the API's default, true).
    pub case_sensitive: Option<bool>,
    /// The app client's ExplicitAuthFlows.
    pub flows: Vec<ExplicitAuthFlowsType>,
    /// Refresh-token rotation on the app client, with this grace period (seconds).
    pub rotation: Option<i32>,
    /// The app client's access and ID token validity, in seconds (default: Cognito's hour).
    pub token_validity: Option<i32>,
    /// The emulator's challenge-session lifetime (default 3 minutes).
    pub session_ttl: Option<Duration>,
    /// The emulator's switches for behaviours no public source settles.
    pub fidelity: Fidelity,
}

impl Default for PoolSetup {
    /// SMS MFA required, devices remembered without asking, sign-in with SRP and refresh.
    fn default() -> Self {
        Self {
            mfa: UserPoolMfaType::On,
            devices: Some((true, false)),
            secret: false,
            email_as_username: false,
            email_alias: false,
            phone_alias: false,
            case_sensitive: None,
            flows: vec![
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ],
            rotation: None,
            token_validity: None,
            session_ttl: None,
            fidelity: Fidelity::default(),
        }
    }
}

impl PoolSetup {
    /// The emulator's configuration: the defaults with this session lifetime and these switches.
    pub fn emulator_config(&self) -> EmulatorConfig {
        let mut config = EmulatorConfig {
            fidelity: self.fidelity,
            ..EmulatorConfig::default()
        };
        if let Some(ttl) = self.session_ttl {
            config.session_ttl = ttl;
        }
        config
    }
}

/// What [`create_pool`] made.
#[derive(Clone, Debug)]
pub struct PoolIds {
    /// The pool.
    pub pool_id: String,
    /// Its app client.
    pub client_id: String,
    /// The app client's secret, with [`PoolSetup::secret`].
    pub client_secret: Option<String>,
}

/// Creates a pool as `setup` says (its `session_ttl` and `fidelity` are the emulator's, not
/// used here) and its app client.
pub async fn create_pool(admin: &Client, setup: &PoolSetup) -> PoolIds {
    let mut pool = admin
        .create_user_pool()
        .pool_name("test-pool")
        .mfa_configuration(setup.mfa.clone());
    if let Some((challenge, prompt)) = setup.devices {
        pool = pool.device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(challenge)
                .device_only_remembered_on_user_prompt(prompt)
                .build(),
        );
    }
    if setup.email_as_username {
        pool = pool.username_attributes(UsernameAttributeType::Email);
    }
    if setup.email_alias {
        pool = pool.alias_attributes(AliasAttributeType::Email);
    }
    if setup.phone_alias {
        pool = pool.alias_attributes(AliasAttributeType::PhoneNumber);
    }
    if let Some(case_sensitive) = setup.case_sensitive {
        pool = pool.username_configuration(
            UsernameConfigurationType::builder()
                .case_sensitive(case_sensitive)
                .build()
                .expect("a username configuration"),
        );
    }
    let pool = pool.send().await.expect("CreateUserPool");
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .expect("a pool id")
        .to_owned();
    if setup.mfa != UserPoolMfaType::Off {
        admin
            .set_user_pool_mfa_config()
            .user_pool_id(&pool_id)
            .mfa_configuration(setup.mfa.clone())
            .sms_mfa_configuration(SmsMfaConfigType::builder().build())
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
    }
    create_app_client(admin, pool_id, setup).await
}

async fn create_app_client(admin: &Client, pool_id: String, setup: &PoolSetup) -> PoolIds {
    let mut app = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(setup.secret)
        .set_explicit_auth_flows(Some(setup.flows.clone()));
    if let Some(grace) = setup.rotation {
        app = app.refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(grace)
                .build()
                .expect("a rotation setting"),
        );
    }
    if let Some(seconds) = setup.token_validity {
        app = app
            .access_token_validity(seconds)
            .id_token_validity(seconds)
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::Seconds)
                    .id_token(TimeUnitsType::Seconds)
                    .build(),
            );
    }
    let app = app.send().await.expect("CreateUserPoolClient");
    let app = app.user_pool_client().expect("a client");
    PoolIds {
        pool_id,
        client_id: app.client_id().expect("a client id").to_owned(),
        client_secret: app.client_secret().map(str::to_owned),
    }
}

/// A confirmed user with [`PASSWORD`] and exactly these attributes; returns the internal user
/// name (a UUID in a pool with e-mail addresses as user names).
pub async fn create_user(
    admin: &Client,
    pool_id: &str,
    name: &str,
    attributes: &[(&str, &str)],
) -> String {
    let mut create = admin
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(name)
        .message_action(MessageActionType::Suppress);
    for (k, v) in attributes {
        create = create.user_attributes(attribute(k, v));
    }
    let out = create.send().await.expect("AdminCreateUser");
    admin
        .admin_set_user_password()
        .user_pool_id(pool_id)
        .username(name)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
    out.user()
        .and_then(|u| u.username())
        .expect("a user name")
        .to_owned()
}

/// A running emulator with one pool and one app client.
#[derive(Debug)]
pub struct TestPool {
    /// The emulator.
    pub emulator: Emulator,
    /// An admin client for it ([`admin_client`]).
    pub admin: Client,
    /// The pool.
    pub pool_id: String,
    /// Its app client.
    pub client_id: String,
    /// The app client's secret, with [`PoolSetup::secret`].
    pub client_secret: Option<String>,
}

impl TestPool {
    /// Starts an emulator ([`PoolSetup::emulator_config`]) and provisions the pool in it.
    pub async fn start(setup: PoolSetup) -> TestPool {
        let emulator = Emulator::start(setup.emulator_config())
            .await
            .expect("the emulator starts");
        Self::provision(emulator, &setup).await
    }

    /// Provisions the pool in a running emulator (its own configuration stands).
    pub async fn provision(emulator: Emulator, setup: &PoolSetup) -> TestPool {
        let admin = admin_client(&emulator.endpoint());
        let ids = create_pool(&admin, setup).await;
        Self::assemble(emulator, admin, ids)
    }

    /// A pool that exists already in a running emulator: seeded, or kept in its state file.
    pub fn attach(emulator: Emulator, ids: PoolIds) -> TestPool {
        let admin = admin_client(&emulator.endpoint());
        Self::assemble(emulator, admin, ids)
    }

    fn assemble(emulator: Emulator, admin: Client, ids: PoolIds) -> TestPool {
        TestPool {
            emulator,
            admin,
            pool_id: ids.pool_id,
            client_id: ids.client_id,
            client_secret: ids.client_secret,
        }
    }

    /// The emulator's `http://host:port`.
    pub fn endpoint(&self) -> String {
        self.emulator.endpoint()
    }

    /// A confirmed user with [`PASSWORD`], the phone number of [`PHONE`] (for SMS MFA) and
    /// `extra`; returns the internal user name.
    pub async fn user(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut attributes = PHONE.to_vec();
        attributes.extend_from_slice(extra);
        self.user_with(name, &attributes).await
    }

    /// A confirmed user with [`PASSWORD`] and exactly these attributes.
    pub async fn user_with(&self, name: &str, attributes: &[(&str, &str)]) -> String {
        create_user(&self.admin, &self.pool_id, name, attributes).await
    }

    /// The codes sent to `username` (typed or internal name), oldest first: SMS and e-mail
    /// codes share the emulator's outbox.
    pub fn sms_codes(&self, username: &str) -> Vec<String> {
        self.emulator
            .sms_outbox(Some(username))
            .into_iter()
            .map(|m| m.code)
            .collect()
    }

    /// How many calls of `operation` reached the emulator (faulted ones included).
    pub fn calls(&self, operation: &str) -> u64 {
        self.emulator.app().call_count(operation)
    }

    /// The newest code sent to `username` (typed or internal name).
    pub fn last_sms_code(&self, username: &str) -> String {
        self.sms_codes(username)
            .pop()
            .unwrap_or_else(|| panic!("no SMS was sent to {username}"))
    }

    /// The devices the server lists for a user (AdminListDevices): (key, remembered status).
    pub async fn server_devices(&self, username: &str) -> Vec<(String, Option<String>)> {
        let out = self
            .admin
            .admin_list_devices()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .expect("AdminListDevices");
        out.devices()
            .iter()
            .map(|d| {
                let status = d
                    .device_attributes()
                    .iter()
                    .find(|a| a.name() == "dev:device_remembered_status")
                    .and_then(|a| a.value())
                    .map(str::to_owned);
                (d.device_key().unwrap_or_default().to_owned(), status)
            })
            .collect()
    }

    /// Every device the server holds for the user, in any state: (key, confirmed, remembered).
    pub fn all_devices(&self, username: &str) -> Vec<(String, bool, bool)> {
        self.emulator
            .devices_of(username)
            .into_iter()
            .map(|d| (d.key, d.confirmed, d.remembered))
            .collect()
    }
}
