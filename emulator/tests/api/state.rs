//! --state round trip, --seed, and the binary.

use cognito_emulator::{Emulator, EmulatorConfig};

use cognito_emulator::testkit::PoolIds;

use crate::common::{Fixture, PASSWORD, TestPool, options};

#[tokio::test]
async fn state_file_keeps_pools_users_devices_and_refresh_tokens() {
    let dir = std::env::temp_dir().join(format!("cognito-emulator-state-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let config = EmulatorConfig {
        state_file: Some(path.clone()),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config.clone()).await.unwrap();
    let f = Fixture {
        pool: TestPool::provision(emulator, &options()).await,
    };
    f.user_with("alice", &[]).await;
    let first = f
        .sign_in("alice", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let (device, _) = f.confirm_device(&first).await;
    let TestPool {
        emulator,
        pool_id,
        client_id,
        ..
    } = f.pool;
    emulator.stop().await;
    assert!(path.exists());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(PASSWORD), "passwords are never stored");
    assert!(
        !text.contains(&device.password),
        "device passwords are never stored"
    );

    let emulator = Emulator::start(config).await.unwrap();
    let ids = PoolIds {
        pool_id,
        client_id,
        client_secret: None,
    };
    let f = Fixture {
        pool: TestPool::attach(emulator, ids),
    };
    let again = f.sign_in("alice", Some(&device)).await;
    assert!(
        again.authentication_result().is_some(),
        "remembered device survives a restart"
    );
    let refreshed = f
        .admin
        .get_tokens_from_refresh_token()
        .client_id(&f.client_id)
        .refresh_token(first.refresh_token().unwrap())
        .device_key(&device.key)
        .send()
        .await;
    assert!(refreshed.is_ok(), "{refreshed:?}");
    // Tokens signed before the restart still verify (the key is part of the state).
    let user = f
        .admin
        .get_user()
        .access_token(first.access_token().unwrap())
        .send()
        .await;
    assert_eq!(
        user.map(|u| u.username().to_owned()).ok().as_deref(),
        Some("alice")
    );
    f.pool.emulator.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn seed_file_creates_pools_clients_and_users() {
    let dir = std::env::temp_dir().join(format!("cognito-emulator-seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"pools":[{{"Id":"us-east-1_Seed00001","PoolName":"demo","DeviceConfiguration":{{"ChallengeRequiredOnNewDevice":true}},
               "Clients":[{{"ClientId":"seedclient","ClientName":"app"}}],
               "Users":[{{"Username":"alice","Password":"{PASSWORD}","Attributes":{{"email":"alice@example.com"}}}}]}}]}}"#
        ),
    )
    .unwrap();
    let emulator = Emulator::start(EmulatorConfig {
        seed_file: Some(path),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let ids = PoolIds {
        pool_id: "us-east-1_Seed00001".into(),
        client_id: "seedclient".into(),
        client_secret: None,
    };
    let f = Fixture {
        pool: TestPool::attach(emulator, ids),
    };
    let out = f.sign_in("alice", None).await;
    assert!(
        out.authentication_result()
            .unwrap()
            .new_device_metadata()
            .is_some()
    );
    f.pool.emulator.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn binary_prints_its_endpoint_and_serves() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let endpoint = line
        .strip_prefix("cognito-emulator listening on ")
        .expect("endpoint line")
        .to_owned();
    let (status, _) = crate::common::http(&endpoint, "GET", "/_emulator/health", &[], "").await;
    assert_eq!(status, 200);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn seed_at_runtime_with_a_secret_client_and_refresh_token_alias() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emulator
        .seed(&serde_json::json!({"pools": [{
            "Id": "us-east-1_Runtime01", "PoolName": "rt",
            "Clients": [{"ClientId": "rtclient", "ClientName": "app", "ClientSecret": "s3cr3t",
                         "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
            "Users": [{"Username": "bob", "Password": PASSWORD}]
        }]}))
        .unwrap();
    let ids = PoolIds {
        pool_id: "us-east-1_Runtime01".into(),
        client_id: "rtclient".into(),
        client_secret: Some("s3cr3t".into()),
    };
    let f = Fixture {
        pool: TestPool::attach(emulator, ids),
    };
    let result = f
        .sign_in("bob", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let refreshed = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::RefreshToken)
        .auth_parameters("REFRESH_TOKEN", result.refresh_token().unwrap())
        .auth_parameters("SECRET_HASH", f.hash("bob").unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        refreshed
            .authentication_result()
            .unwrap()
            .id_token()
            .is_some()
    );
    f.pool.emulator.stop().await;
}
