//! The documented rules the emulator follows (issue 22): REFRESH_TOKEN_AUTH refused with
//! refresh-token rotation, a rotated refresh token keeping the original's expiry, device
//! tracking on the SRP path only, the device attributes of the AWS CLI example, and
//! UsernameConfiguration.CaseSensitive; plus the switches for what the sources leave open.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, DeviceSecretVerifierConfigType, ExplicitAuthFlowsType, FeatureType,
    RefreshTokenRotationType, TimeUnitsType, TokenValidityUnitsType,
};
use base64::Engine;
use cognito_emulator::fidelity::{
    CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS, ROTATION_REFUSAL_MESSAGE, ROTATION_REFUSALS,
};
use cognito_emulator::{Emulator, EmulatorConfig};

use crate::common::{Fixture, PASSWORD, PoolSetup, err, options};

/// REFRESH_TOKEN_AUTH with a refresh token of `f`'s app client.
async fn refresh_token_auth(f: &Fixture, token: &str) -> Result<String, (String, String)> {
    let out = f
        .admin
        .initiate_auth()
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", token)
        .send()
        .await;
    match out {
        Ok(o) => Ok(o
            .authentication_result()
            .and_then(|r| r.access_token())
            .expect("an access token")
            .to_owned()),
        Err(e) => Err(err::<(), _>(Err(e))),
    }
}

/// "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation
/// enabled." (refresh-token guide); the refusal's type is the switch
/// `refresh-token-auth-rotation-refusal`. GetTokensFromRefreshToken still works, and without
/// rotation REFRESH_TOKEN_AUTH does.
#[tokio::test]
async fn refresh_token_auth_is_refused_when_rotation_is_on() {
    for rotation in [None, Some(0)] {
        let f = Fixture::start(PoolSetup {
            rotation,
            devices: None,
            ..options()
        })
        .await;
        f.user_with("rita", &[]).await;
        let result = f.sign_in("rita", None).await;
        let token = result.authentication_result().unwrap().refresh_token();
        let token = token.unwrap().to_owned();
        for kind in ROTATION_REFUSALS {
            f.set_fidelity(serde_json::json!({ "refresh-token-auth-rotation-refusal": kind }))
                .await;
            let out = refresh_token_auth(&f, &token).await;
            if rotation.is_some() {
                assert_eq!(out, Err((kind.into(), ROTATION_REFUSAL_MESSAGE.into())));
            } else {
                assert!(out.is_ok(), "{out:?}");
            }
        }
        let out = f
            .admin
            .get_tokens_from_refresh_token()
            .client_id(&f.client_id)
            .refresh_token(&token)
            .send()
            .await;
        assert!(out.is_ok(), "{out:?}");
    }
}

/// A rotated refresh token keeps the original's expiry (re:Post "Rotated Refresh Token
/// Validity", accepted answer: "measured from when the user initially authenticates - not
/// from when the token is rotated").
#[tokio::test]
async fn a_rotated_refresh_token_keeps_the_original_expiry() {
    let f = Fixture::start(PoolSetup {
        devices: None,
        ..options()
    })
    .await;
    f.user_with("otto", &[]).await;
    let client = f
        .admin
        .create_user_pool_client()
        .user_pool_id(&f.pool_id)
        .client_name("short")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .refresh_token_validity(4)
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .refresh_token(TimeUnitsType::Seconds)
                .build(),
        )
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(60)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let client_id = client.user_pool_client().unwrap().client_id().unwrap();
    let signed_in = f
        .admin
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "otto")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    let original = signed_in.authentication_result().unwrap().refresh_token();
    let rotate = |token: String| {
        f.admin
            .get_tokens_from_refresh_token()
            .client_id(client_id)
            .refresh_token(token)
            .send()
    };
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let rotated = rotate(original.unwrap().to_owned()).await.unwrap();
    let rotated = rotated.authentication_result().unwrap().refresh_token();
    let rotated = rotated.expect("a rotated refresh token").to_owned();
    assert_ne!(Some(rotated.as_str()), original);
    // 4.5 s after the sign-in, 2 s after the rotation: past the original's expiry.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(
        err(rotate(rotated).await),
        (
            "NotAuthorizedException".into(),
            "Invalid Refresh Token".into()
        )
    );
}

/// The names of a DeviceType's attributes, and the attribute map.
fn attributes(
    device: &aws_sdk_cognitoidentityprovider::types::DeviceType,
) -> (Vec<String>, std::collections::BTreeMap<String, String>) {
    let list = device.device_attributes();
    let names = list.iter().map(|a| a.name().to_owned()).collect();
    let map = list
        .iter()
        .map(|a| (a.name().to_owned(), a.value().unwrap_or("").to_owned()))
        .collect();
    (names, map)
}

/// ListDevices, GetDevice and AdminGetDevice carry the attributes of the AWS CLI's
/// `list-devices` example, in its order.
#[tokio::test]
async fn devices_carry_the_attributes_of_the_cli_example() {
    let f = Fixture::start(options()).await;
    f.user_with("ivy", &[]).await;
    let result = f.sign_in("ivy", None).await;
    let result = result.authentication_result().unwrap().clone();
    let (device, _) = f.confirm_device(&result).await;
    let access = result.access_token().unwrap();
    let listed = f.admin.list_devices().access_token(access).send().await;
    let listed = listed.unwrap();
    let got = f
        .admin
        .get_device()
        .access_token(access)
        .device_key(&device.key)
        .send()
        .await
        .unwrap();
    let admin = f
        .admin
        .admin_get_device()
        .user_pool_id(&f.pool_id)
        .username("ivy")
        .device_key(&device.key)
        .send()
        .await
        .unwrap();
    let owner = format!("ivy.{}", f.pool_id);
    let region = f.pool_id.split('_').next().unwrap();
    for one in [
        &listed.devices()[0],
        got.device().unwrap(),
        admin.device().unwrap(),
    ] {
        let (names, map) = attributes(one);
        assert_eq!(
            names,
            [
                "device_status",
                "device_name",
                "dev:device_arn",
                "dev:device_owner",
                "last_ip_used",
                "dev:device_remembered_status",
                "dev:device_sdk"
            ]
        );
        assert_eq!(map["dev:device_owner"], owner);
        assert_eq!(
            map["dev:device_arn"],
            format!(
                "arn:aws:cognito-idp:{region}:000000000000:owner/{owner}/device/{}",
                device.key
            )
        );
        assert_eq!(map["last_ip_used"], "127.0.0.1");
        assert_eq!(map["dev:device_sdk"], "aws-sdk");
        assert_eq!(map["dev:device_remembered_status"], "remembered");
    }
}

/// ConfirmDevice of the key `signed_in` carries, with a made-up verifier.
async fn confirm(f: &Fixture, access_token: &str, key: &str) -> Result<bool, (String, String)> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    f.admin
        .confirm_device()
        .access_token(access_token)
        .device_key(key)
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(b64(&[7u8; 384]))
                .salt(b64(&[9u8; 16]))
                .build(),
        )
        .send()
        .await
        .map(|o| o.user_confirmation_necessary())
        .map_err(|e| err::<(), _>(Err(e)))
}

/// Device tracking follows the SRP path: USER_PASSWORD_AUTH gets a device key, and
/// ConfirmDevice refuses it ("Invalid device key given.", amplify-js issue 2087), whatever
/// the USER_AUTH switch; after USER_SRP_AUTH it is confirmed.
#[tokio::test]
async fn a_device_key_from_user_password_auth_cannot_be_confirmed() {
    let f = Fixture::start(options()).await;
    f.user_with("pia", &[]).await;
    for any_factor in [false, true] {
        f.set_fidelity(serde_json::json!({ "user-auth-tracks-any-factor": any_factor }))
            .await;
        let out = f
            .admin
            .initiate_auth()
            .client_id(&f.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "pia")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .unwrap();
        let result = out.authentication_result().unwrap();
        let key = result.new_device_metadata().unwrap().device_key().unwrap();
        assert_eq!(
            confirm(&f, result.access_token().unwrap(), key).await,
            Err((
                "InvalidParameterException".into(),
                "Invalid device key given.".into()
            ))
        );
        let srp = f.sign_in("pia", None).await;
        let result = srp.authentication_result().unwrap();
        let key = result.new_device_metadata().unwrap().device_key().unwrap();
        assert_eq!(
            confirm(&f, result.access_token().unwrap(), key).await,
            Ok(false)
        );
    }
}

/// ConfirmDevice of an unknown or another user's key: the switch `confirm-device-unknown-key`.
#[tokio::test]
async fn confirm_device_of_an_unknown_key_is_a_switch() {
    let f = Fixture::start(options()).await;
    f.user_with("uma", &[]).await;
    f.user_with("vera", &[]).await;
    let uma = f.sign_in("uma", None).await;
    let uma = uma.authentication_result().unwrap();
    let vera = f.sign_in("vera", None).await;
    let vera_key = vera.authentication_result().unwrap().new_device_metadata();
    let vera_key = vera_key.unwrap().device_key().unwrap();
    let unknown = format!("{}_00000000-0000-0000-0000-000000000000", "us-east-1");
    for (kind, message) in CONFIRM_DEVICE_UNKNOWN_KEY_ANSWERS {
        f.set_fidelity(serde_json::json!({ "confirm-device-unknown-key": kind }))
            .await;
        for key in [unknown.as_str(), vera_key] {
            assert_eq!(
                confirm(&f, uma.access_token().unwrap(), key).await,
                Err((kind.into(), message.into()))
            );
        }
    }
}

/// The `auth_time` claim of an ID token.
fn auth_time(id_token: &str) -> i64 {
    let payload = id_token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    claims["auth_time"].as_i64().unwrap()
}

/// Tokens from a refresh keep the sign-in's `auth_time` (OIDC Core 12.2), unless the switch
/// `refresh-resets-auth-time` (the bug oidc-client-ts issue 2107 reports) is on.
#[tokio::test]
async fn refresh_keeps_auth_time_unless_the_switch_resets_it() {
    let f = Fixture::start(PoolSetup {
        devices: None,
        ..options()
    })
    .await;
    f.user_with("abe", &[]).await;
    for reset in [false, true] {
        f.set_fidelity(serde_json::json!({ "refresh-resets-auth-time": reset }))
            .await;
        let signed_in = f.sign_in("abe", None).await;
        let signed_in = signed_in.authentication_result().unwrap();
        let first = auth_time(signed_in.id_token().unwrap());
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let refreshed = f
            .admin
            .get_tokens_from_refresh_token()
            .client_id(&f.client_id)
            .refresh_token(signed_in.refresh_token().unwrap())
            .send()
            .await
            .unwrap();
        let id = refreshed.authentication_result().unwrap().id_token();
        assert_eq!(auth_time(id.unwrap()) > first, reset, "reset: {reset}");
    }
}

/// UsernameConfiguration.CaseSensitive: true (the API's default: "This is the default
/// value.") matches the name exactly; false in any case, and refuses a second user whose name
/// differs only in case.
#[tokio::test]
async fn usernames_follow_case_sensitive() {
    for case_sensitive in [None, Some(true), Some(false)] {
        let f = Fixture::start(PoolSetup {
            case_sensitive,
            email_alias: true,
            ..options()
        })
        .await;
        let exact = case_sensitive.unwrap_or(true);
        f.user_with(
            "Dora",
            &[("email", "dora@example.com"), ("email_verified", "true")],
        )
        .await;
        let described = f
            .admin
            .describe_user_pool()
            .user_pool_id(&f.pool_id)
            .send()
            .await
            .unwrap();
        let config = described.user_pool().unwrap().username_configuration();
        assert_eq!(config.map(|c| c.case_sensitive()), Some(exact));
        for typed in ["Dora", "dora@example.com"] {
            assert!(f.initiate(typed, None).await.0.is_ok(), "{typed}");
        }
        for typed in ["dora", "DORA", "Dora@Example.com"] {
            let (out, _) = f.initiate(typed, None).await;
            assert_eq!(out.is_ok(), !exact, "{typed}, case sensitive {exact}");
        }
        let second = f
            .admin
            .admin_create_user()
            .user_pool_id(&f.pool_id)
            .username("dora")
            .send()
            .await;
        if exact {
            assert!(second.is_ok(), "{second:?}");
        } else {
            assert_eq!(err(second).0, "UsernameExistsException");
        }
    }
}

/// A seed file's pool takes UsernameConfiguration as CreateUserPool does: case sensitive
/// unless it says false.
#[tokio::test]
async fn seed_files_honour_case_sensitive() {
    let dir = std::env::temp_dir().join(format!("cognito-emulator-case-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    let user = format!(r#"{{"Username":"Nell","Password":"{PASSWORD}"}}"#);
    let pool = |id: &str, config: &str| {
        format!(
            r#"{{"Id":"{id}","PoolName":"p","Clients":[{{"ClientId":"c{id}","ClientName":"app"}}],"Users":[{user}]{config}}}"#
        )
    };
    let seed = format!(
        r#"{{"pools":[{},{}]}}"#,
        pool("us-east-1_CaseDefault", ""),
        pool(
            "us-east-1_CaseFalse",
            r#","UsernameConfiguration":{"CaseSensitive":false}"#
        )
    );
    std::fs::write(&path, seed).unwrap();
    let emulator = Emulator::start(EmulatorConfig {
        seed_file: Some(path),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let admin = cognito_emulator::testkit::admin_client(&emulator.endpoint());
    for (pool_id, exact) in [
        ("us-east-1_CaseDefault", true),
        ("us-east-1_CaseFalse", false),
    ] {
        let out = admin
            .admin_get_user()
            .user_pool_id(pool_id)
            .username("nell")
            .send()
            .await;
        assert_eq!(out.is_ok(), !exact, "{pool_id}: {out:?}");
        let out = admin
            .admin_get_user()
            .user_pool_id(pool_id)
            .username("Nell")
            .send()
            .await;
        assert!(out.is_ok(), "{pool_id}: {out:?}");
    }
    emulator.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
