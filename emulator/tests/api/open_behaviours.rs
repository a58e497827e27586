//! The behaviours of the audit of issue 22 that were left open: the device steps without a
//! Session (sourced: franken-srp's tests against real pools send none), and the switches for
//! what no public source shows, each value of each.

use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, DeviceRememberedStatusType, DeviceSecretVerifierConfigType,
};
use cognito_emulator::fidelity::{
    CONFIRM_DEVICE_WITHOUT_TRACKING, OTHER_DEVICE_KEY_ANSWERS, UPDATE_UNCONFIRMED_DEVICE,
};
use num_bigint::BigUint;

use crate::common::srp_client::{self, SrpClient};
use crate::common::{Answer, DeviceSecrets, Fixture, PASSWORD, PoolSetup, err, options};

type Outcome = Result<RespondToAuthChallengeOutput, (String, String)>;

fn failure<E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata>(
    e: E,
) -> (String, String) {
    (
        e.code().unwrap_or("").to_owned(),
        e.message().unwrap_or("").to_owned(),
    )
}

/// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER for `device`, neither with a Session; the
/// verifier answer names `answered_key` (the device's own, or another).
async fn device_steps_without_session(
    f: &Fixture,
    username: &str,
    device: &DeviceSecrets,
    answered_key: &str,
) -> Outcome {
    let srp = SrpClient::new();
    let out = f
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .challenge_responses("USERNAME", username)
        .challenge_responses("DEVICE_KEY", &device.key)
        .challenge_responses("SRP_A", srp.a_hex())
        .send()
        .await
        .map_err(failure)?;
    let params = out.challenge_parameters().expect("challenge parameters");
    let key = srp.key(
        &device.group_key,
        &device.key,
        &device.password,
        &params["SALT"],
        &params["SRP_B"],
    );
    let timestamp = srp_client::timestamp(srp_client::now_epoch());
    let block = &params["SECRET_BLOCK"];
    let signature = srp_client::signature(&key, &device.group_key, &device.key, block, &timestamp);
    f.admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .challenge_responses("USERNAME", &params["USERNAME"])
        .challenge_responses("DEVICE_KEY", answered_key)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", block)
        .challenge_responses("TIMESTAMP", timestamp)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
        .send()
        .await
        .map_err(failure)
}

/// The password step of a sign-in presenting `device_key`.
async fn password_step(f: &Fixture, username: &str, device_key: Option<&str>) -> Outcome {
    let (init, srp) = f.initiate(username, device_key).await;
    let init = init.map_err(failure)?;
    let answer = Answer {
        device_key: device_key.map(str::to_owned),
        ..Answer::default()
    };
    f.password_verifier(&init, &srp, PASSWORD, answer)
        .await
        .map_err(failure)
}

/// A sign-in with `device` that must prove it; the device steps send no Session.
async fn sign_in_with_device(f: &Fixture, username: &str, device: &DeviceSecrets) -> Outcome {
    let out = password_step(f, username, Some(&device.key)).await?;
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    device_steps_without_session(f, username, device, &device.key).await
}

/// A user signed in once, with their device confirmed.
async fn user_with_device(f: &Fixture, name: &str) -> (DeviceSecrets, String) {
    f.user_with(name, &[]).await;
    let first = f.sign_in(name, None).await;
    let result = first.authentication_result().expect("tokens");
    let (device, _) = f.confirm_device(result).await;
    (device, result.access_token().unwrap().to_owned())
}

/// The device steps need no Session: the AWS SDK for Android sent DEVICE_SRP_AUTH without one
/// until 2021, and franken-srp sends neither step one (`Session: undefined`) in its tests
/// against real pools ("can reuse the device").
#[tokio::test]
async fn the_device_steps_need_no_session() {
    let f = Fixture::start(options()).await;
    let (device, _) = user_with_device(&f, "sid").await;
    let done = sign_in_with_device(&f, "sid", &device).await.unwrap();
    assert!(done.authentication_result().is_some());
}

/// A DEVICE_PASSWORD_VERIFIER answer that names another device than its DEVICE_SRP_AUTH step
/// is refused, in the words of `other-device-key-at-verifier`.
#[tokio::test]
async fn another_device_key_at_the_verifier_is_refused_under_each_answer() {
    let f = Fixture::start(options()).await;
    let (device, _) = user_with_device(&f, "otis").await;
    for (kind, message) in OTHER_DEVICE_KEY_ANSWERS {
        f.set_fidelity(serde_json::json!({ "other-device-key-at-verifier": kind }))
            .await;
        let out = password_step(&f, "otis", Some(&device.key)).await.unwrap();
        assert_eq!(
            out.challenge_name(),
            Some(&ChallengeNameType::DeviceSrpAuth)
        );
        let other = format!("{}-other", device.key);
        let refused = device_steps_without_session(&f, "otis", &device, &other).await;
        assert_eq!(refused.unwrap_err(), (kind.into(), message.into()));
    }
}

/// ConfirmDevice for `device` with a verifier of `password`.
async fn confirm(
    f: &Fixture,
    access_token: &str,
    device: &DeviceSecrets,
    password: &str,
) -> Result<bool, (String, String)> {
    let salt = BigUint::from_bytes_be(&[7u8; 16]);
    let (verifier, salt) =
        srp_client::device_verifier(&device.group_key, &device.key, password, &salt);
    f.admin
        .confirm_device()
        .access_token(access_token)
        .device_key(&device.key)
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(verifier)
                .salt(salt)
                .build(),
        )
        .send()
        .await
        .map(|o| o.user_confirmation_necessary())
        .map_err(failure)
}

/// ConfirmDevice of a device confirmed before, with a verifier of another secret: the new
/// verifier replaces the old (`overwrite`), the first stays (`keep`), or the call is refused
/// (`refuse`). The device proves itself with the secret that is in force.
#[tokio::test]
async fn confirming_a_device_again_under_each_value() {
    let f = Fixture::start(options()).await;
    for value in ["overwrite", "keep", "refuse"] {
        f.set_fidelity(serde_json::json!({ "confirm-device-again": value }))
            .await;
        let user = format!("cora-{value}");
        let (first, token) = user_with_device(&f, &user).await;
        let second = DeviceSecrets {
            password: format!("{}-second", first.password),
            ..first.clone()
        };
        let again = confirm(&f, &token, &first, &second.password).await;
        if value == "refuse" {
            let refusal = ("InvalidParameterException", "Invalid device key given.");
            assert_eq!(again.unwrap_err(), (refusal.0.into(), refusal.1.into()));
        } else {
            assert_eq!(again, Ok(false), "{value}");
        }
        let (works, fails) = if value == "overwrite" {
            (&second, &first)
        } else {
            (&first, &second)
        };
        assert!(
            sign_in_with_device(&f, &user, works).await.is_ok(),
            "{value}"
        );
        let wrong = sign_in_with_device(&f, &user, fails).await.unwrap_err();
        assert_eq!(wrong.1, "Incorrect username or password.", "{value}");
    }
}

/// A DEVICE_KEY in a pool without device tracking: dropped (`ignored`: tokens, no device), or
/// "Device does not exist." after the password step (`device-not-found`).
#[tokio::test]
async fn a_device_key_without_tracking_under_each_value() {
    let f = Fixture::start(PoolSetup {
        devices: None,
        ..options()
    })
    .await;
    f.user_with("tom", &[]).await;
    let key = format!("{}_0b1c2d3e-0000-4000-8000-000000000000", "us-east-1");
    for value in ["ignored", "device-not-found"] {
        f.set_fidelity(serde_json::json!({ "device-key-without-tracking": value }))
            .await;
        let out = password_step(&f, "tom", Some(&key)).await;
        if value == "ignored" {
            let out = out.unwrap();
            let result = out.authentication_result().expect("tokens at once");
            assert!(result.new_device_metadata().is_none());
        } else {
            let refusal = ("ResourceNotFoundException", "Device does not exist.");
            assert_eq!(out.unwrap_err(), (refusal.0.into(), refusal.1.into()));
        }
    }
}

/// ConfirmDevice in a pool without device tracking, in the words of
/// `confirm-device-without-tracking` (InvalidParameterException either way).
#[tokio::test]
async fn confirm_device_without_tracking_under_each_answer() {
    let f = Fixture::start(PoolSetup {
        devices: None,
        ..options()
    })
    .await;
    f.user_with("tina", &[]).await;
    let signed_in = f.sign_in("tina", None).await;
    let token = signed_in.authentication_result().unwrap().access_token();
    let device = DeviceSecrets {
        key: "us-east-1_0b1c2d3e-1111-4000-8000-000000000000".into(),
        group_key: "-group".into(),
        password: "secret".into(),
    };
    for (value, message) in CONFIRM_DEVICE_WITHOUT_TRACKING {
        f.set_fidelity(serde_json::json!({ "confirm-device-without-tracking": value }))
            .await;
        let out = confirm(&f, token.unwrap(), &device, "secret").await;
        assert_eq!(
            out.unwrap_err(),
            ("InvalidParameterException".into(), message.into())
        );
    }
}

/// UpdateDeviceStatus and AdminUpdateDeviceStatus on a device whose ConfirmDevice never came,
/// under each value of `update-unconfirmed-device`.
#[tokio::test]
async fn the_status_of_an_unconfirmed_device_under_each_value() {
    let f = Fixture::start(options()).await;
    for value in UPDATE_UNCONFIRMED_DEVICE {
        f.set_fidelity(serde_json::json!({ "update-unconfirmed-device": value }))
            .await;
        let user = format!("una-{value}");
        f.user_with(&user, &[]).await;
        let out = f.sign_in(&user, None).await;
        let result = out.authentication_result().unwrap();
        let key = result.new_device_metadata().unwrap().device_key().unwrap();
        let by_user = f
            .admin
            .update_device_status()
            .access_token(result.access_token().unwrap())
            .device_key(key)
            .device_remembered_status(DeviceRememberedStatusType::Remembered)
            .send()
            .await
            .map(|_| ())
            .map_err(failure);
        let by_admin = f
            .admin
            .admin_update_device_status()
            .user_pool_id(&f.pool_id)
            .username(&user)
            .device_key(key)
            .device_remembered_status(DeviceRememberedStatusType::Remembered)
            .send()
            .await
            .map(|_| ())
            .map_err(failure);
        let gone = Err((
            "ResourceNotFoundException".into(),
            "Device does not exist.".into(),
        ));
        let expected = match value {
            "user-call-refuses" => (gone.clone(), Ok(())),
            "both-refuse" => (gone.clone(), gone),
            _ => (Ok(()), Ok(())),
        };
        assert_eq!((by_user, by_admin), expected, "{value}");
    }
}

/// ListDevices: Limit outside 0..=60 in the words of AWS's validation errors; the page size
/// without Limit (`list-devices-default-limit`) and the form of PaginationToken
/// (`list-devices-pagination-token`) under each value; following the token lists the rest.
#[tokio::test]
async fn list_devices_pages_under_each_value() {
    let f = Fixture::start(options()).await;
    f.user_with("lee", &[]).await;
    let mut token = String::new();
    let mut keys = Vec::new();
    for _ in 0..3 {
        let out = f.sign_in("lee", None).await;
        let result = out.authentication_result().unwrap();
        keys.push(f.confirm_device(result).await.0.key);
        token = result.access_token().unwrap().to_owned();
    }
    keys.sort();
    let list = |limit: Option<i32>, page: Option<String>| {
        f.admin
            .list_devices()
            .access_token(&token)
            .set_limit(limit)
            .set_pagination_token(page)
            .send()
    };
    let all = list(None, None).await.unwrap();
    assert_eq!((all.devices().len(), all.pagination_token()), (3, None));
    for (limit, bound) in [
        (61, "less than or equal to 60"),
        (-1, "greater than or equal to 0"),
    ] {
        let message = format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {bound}"
        );
        let refused = err(list(Some(limit), None).await);
        assert_eq!(refused, ("InvalidParameterException".into(), message));
    }
    for form in ["next-device-key", "opaque"] {
        let settings = serde_json::json!({
            "list-devices-default-limit": 2, "list-devices-pagination-token": form
        });
        f.set_fidelity(settings).await;
        let first = list(None, None).await.unwrap();
        assert_eq!(first.devices().len(), 2, "{form}");
        let next = first.pagination_token().expect("a next page").to_owned();
        assert_eq!(next == keys[2], form == "next-device-key", "{form}");
        let rest = list(None, Some(next)).await.unwrap();
        let rest: Vec<_> = rest
            .devices()
            .iter()
            .filter_map(|d| d.device_key())
            .collect();
        assert_eq!(rest, vec![keys[2].as_str()], "{form}");
    }
}

/// A ChallengeName other than the one the Session waits for, under each answer of
/// `wrong-challenge-name-answer`.
#[tokio::test]
async fn a_wrong_challenge_name_under_each_answer() {
    let f = Fixture::start(options()).await;
    let (device, _) = user_with_device(&f, "wes").await;
    let answers = [
        (
            "InvalidParameterException",
            "Invalid challenge name SMS_MFA: the session expects DEVICE_SRP_AUTH",
        ),
        (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired.",
        ),
    ];
    for (kind, message) in answers {
        f.set_fidelity(serde_json::json!({ "wrong-challenge-name-answer": kind }))
            .await;
        let out = password_step(&f, "wes", Some(&device.key)).await.unwrap();
        let wrong = f
            .admin
            .respond_to_auth_challenge()
            .client_id(&f.client_id)
            .challenge_name(ChallengeNameType::SmsMfa)
            .challenge_responses("USERNAME", "wes")
            .challenge_responses("SMS_MFA_CODE", "123456")
            .set_session(out.session().map(str::to_owned))
            .send()
            .await;
        assert_eq!(err(wrong), (kind.into(), message.into()));
    }
}
