//! Remembered devices: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH instead of MFA, the
//! device APIs, refresh with DEVICE_KEY.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceRememberedStatusType, UserPoolMfaType,
};

use crate::common::{Answer, DeviceSecrets, Fixture, PASSWORD, PoolSetup, err, options};

fn sms_pool(challenge_required_on_new_device: bool, prompt: bool) -> PoolSetup {
    PoolSetup {
        mfa: UserPoolMfaType::On,
        devices: Some((challenge_required_on_new_device, prompt)),
        ..options()
    }
}

/// Signs in answering SMS MFA from the outbox; returns the final answer.
async fn sign_in_with_sms(
    f: &Fixture,
    typed: &str,
    device: Option<&DeviceSecrets>,
) -> aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput{
    let (init, srp) = f.initiate(typed, device.map(|d| d.key.as_str())).await;
    let init = init.unwrap();
    let internal = init.challenge_parameters().unwrap()["USERNAME"].clone();
    let answer = Answer {
        device_key: device.map(|d| d.key.clone()),
        ..Answer::default()
    };
    let out = f
        .password_verifier(&init, &srp, PASSWORD, answer)
        .await
        .unwrap();
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    let code = f.sms_codes(typed).pop().expect("an SMS code");
    let mut respond = f
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::SmsMfa)
        .challenge_responses("USERNAME", &internal)
        .challenge_responses("SMS_MFA_CODE", code)
        .set_session(out.session().map(str::to_owned));
    if let Some(d) = device {
        respond = respond.challenge_responses("DEVICE_KEY", &d.key);
    }
    let after = respond.send().await.unwrap();
    match (after.challenge_name(), device) {
        (Some(ChallengeNameType::DeviceSrpAuth), Some(d)) => {
            f.device_steps(&internal, after.session(), d).await.unwrap()
        }
        _ => after,
    }
}

#[tokio::test]
async fn new_device_metadata_has_cognito_shapes() {
    let f = Fixture::start(options()).await;
    f.user_with("nick", &[]).await;
    let out = f.sign_in("nick", None).await;
    let metadata = out
        .authentication_result()
        .unwrap()
        .new_device_metadata()
        .expect("NewDeviceMetadata");
    let key = metadata.device_key().unwrap();
    let (region, uuid) = key.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert!(uuid::Uuid::parse_str(uuid).is_ok(), "{key}");
    let group = metadata.device_group_key().unwrap();
    assert!(group.starts_with('-') && group.len() == 10, "{group}");
}

#[tokio::test]
async fn remembered_device_gets_device_srp_auth_instead_of_sms_mfa() {
    let f = Fixture::start(sms_pool(true, false)).await;
    f.user_with("olga", &[("phone_number", "+15555550123")])
        .await;
    let first = sign_in_with_sms(&f, "olga", None).await;
    let result = first.authentication_result().unwrap();
    let (device, necessary) = f.confirm_device(result).await;
    assert!(
        !necessary,
        "DeviceOnlyRememberedOnUserPrompt=false remembers at once"
    );
    let sms_before = f.sms_codes("olga").len();
    let out = f.sign_in("olga", Some(&device)).await;
    let tokens = out
        .authentication_result()
        .expect("signed in with the device, no MFA");
    assert!(tokens.new_device_metadata().is_none());
    assert_eq!(f.sms_codes("olga").len(), sms_before, "no SMS sent");
    let claims: serde_json::Value = {
        let payload = tokens.access_token().unwrap().split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(claims["device_key"], device.key.as_str());
}

#[tokio::test]
async fn device_key_only_in_password_verifier_and_no_session_on_device_steps() {
    let f = Fixture::start(sms_pool(true, false)).await;
    f.user_with("pam", &[("phone_number", "+15555550124")])
        .await;
    let first = sign_in_with_sms(&f, "pam", None).await;
    let (device, _) = f
        .confirm_device(first.authentication_result().unwrap())
        .await;
    let (init, srp) = f.initiate("pam", None).await;
    let out = f
        .password_verifier(
            &init.unwrap(),
            &srp,
            PASSWORD,
            Answer {
                device_key: Some(device.key.clone()),
                ..Answer::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    let done = f.device_steps("pam", None, &device).await.unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn user_prompt_pool_needs_update_device_status_before_mfa_is_skipped() {
    let f = Fixture::start(sms_pool(true, true)).await;
    f.user_with("quinn", &[("phone_number", "+15555550125")])
        .await;
    let first = sign_in_with_sms(&f, "quinn", None).await;
    let access = first
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    let (device, necessary) = f
        .confirm_device(first.authentication_result().unwrap())
        .await;
    assert!(necessary, "DeviceOnlyRememberedOnUserPrompt=true");
    // Not remembered yet: SMS MFA first, then (DEVICE_KEY sent with the MFA answer) the device step.
    let out = sign_in_with_sms(&f, "quinn", Some(&device)).await;
    assert!(out.authentication_result().is_some());
    f.admin
        .update_device_status()
        .access_token(&access)
        .device_key(&device.key)
        .device_remembered_status(DeviceRememberedStatusType::Remembered)
        .send()
        .await
        .unwrap();
    let out = f.sign_in("quinn", Some(&device)).await;
    assert!(
        out.authentication_result().is_some(),
        "remembered now: no MFA"
    );
}

#[tokio::test]
async fn challenge_required_on_new_device_false_keeps_mfa_for_remembered_devices() {
    let f = Fixture::start(sms_pool(false, false)).await;
    f.user_with("rita", &[("phone_number", "+15555550126")])
        .await;
    let first = sign_in_with_sms(&f, "rita", None).await;
    let (device, _) = f
        .confirm_device(first.authentication_result().unwrap())
        .await;
    let out = sign_in_with_sms(&f, "rita", Some(&device)).await;
    assert!(out.authentication_result().is_some());
}

#[tokio::test]
async fn list_get_update_forget_devices_and_admin_forms() {
    let f = Fixture::start(options()).await;
    f.user_with("sam", &[]).await;
    let mut devices = Vec::new();
    let mut access = String::new();
    for _ in 0..3 {
        let out = f.sign_in("sam", None).await;
        let result = out.authentication_result().unwrap();
        access = result.access_token().unwrap().to_owned();
        devices.push(f.confirm_device(result).await.0);
    }
    let page = f
        .admin
        .list_devices()
        .access_token(&access)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.devices().len(), 2);
    let token = page.pagination_token().expect("more pages");
    let rest = f
        .admin
        .list_devices()
        .access_token(&access)
        .limit(2)
        .pagination_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.devices().len(), 1);
    assert!(rest.pagination_token().is_none());
    let got = f
        .admin
        .get_device()
        .access_token(&access)
        .device_key(&devices[0].key)
        .send()
        .await
        .unwrap();
    let attrs = got.device().unwrap().device_attributes();
    assert!(
        attrs
            .iter()
            .any(|a| a.name() == "device_name" && a.value() == Some("test phone"))
    );
    let admin = f
        .admin
        .admin_list_devices()
        .user_pool_id(&f.pool_id)
        .username("sam")
        .send()
        .await
        .unwrap();
    assert_eq!(admin.devices().len(), 3);
    f.admin
        .admin_update_device_status()
        .user_pool_id(&f.pool_id)
        .username("sam")
        .device_key(&devices[1].key)
        .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
        .send()
        .await
        .unwrap();
    let got = f
        .admin
        .admin_get_device()
        .user_pool_id(&f.pool_id)
        .username("sam")
        .device_key(&devices[1].key)
        .send()
        .await
        .unwrap();
    assert!(
        got.device()
            .unwrap()
            .device_attributes()
            .iter()
            .any(|a| a.name() == "dev:device_remembered_status"
                && a.value() == Some("not_remembered"))
    );
    f.admin
        .forget_device()
        .access_token(&access)
        .device_key(&devices[0].key)
        .send()
        .await
        .unwrap();
    f.admin
        .admin_forget_device()
        .user_pool_id(&f.pool_id)
        .username("sam")
        .device_key(&devices[1].key)
        .send()
        .await
        .unwrap();
    let left = f
        .admin
        .admin_list_devices()
        .user_pool_id(&f.pool_id)
        .username("sam")
        .send()
        .await
        .unwrap();
    assert_eq!(left.devices().len(), 1);
    let (code, message) = err(f
        .admin
        .get_device()
        .access_token(&access)
        .device_key(&devices[0].key)
        .send()
        .await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("ResourceNotFoundException", "Device does not exist.")
    );
}

#[tokio::test]
async fn refresh_with_the_confirmed_device_key_and_forget_kills_it() {
    let f = Fixture::start(options()).await;
    f.user_with("tina", &[]).await;
    let first = f
        .sign_in("tina", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let (device, _) = f.confirm_device(&first).await;
    let refresh = |key: Option<String>| {
        let mut call = f
            .admin
            .initiate_auth()
            .client_id(&f.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", first.refresh_token().unwrap());
        if let Some(k) = key {
            call = call.auth_parameters("DEVICE_KEY", k);
        }
        call.send()
    };
    assert!(
        refresh(Some(device.key.clone()))
            .await
            .unwrap()
            .authentication_result()
            .is_some()
    );
    f.admin
        .forget_device()
        .access_token(first.access_token().unwrap())
        .device_key(&device.key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        err(refresh(Some(device.key.clone())).await).0,
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn device_key_sent_after_new_password_required_leads_to_device_srp_auth() {
    let f = Fixture::start(options()).await;
    f.user_with("uwe", &[]).await;
    let first = f
        .sign_in("uwe", None)
        .await
        .authentication_result()
        .unwrap()
        .clone();
    let (device, _) = f.confirm_device(&first).await;
    // An administrator sets a temporary password: the next sign-in must change it.
    f.admin
        .admin_set_user_password()
        .user_pool_id(&f.pool_id)
        .username("uwe")
        .password("Temp-Pass-2")
        .permanent(false)
        .send()
        .await
        .unwrap();
    let (init, srp) = f.initiate("uwe", Some(&device.key)).await;
    let out = f
        .password_verifier(
            &init.unwrap(),
            &srp,
            "Temp-Pass-2",
            Answer {
                device_key: Some(device.key.clone()),
                ..Answer::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let next = f
        .admin
        .respond_to_auth_challenge()
        .client_id(&f.client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .challenge_responses("USERNAME", "uwe")
        .challenge_responses("NEW_PASSWORD", PASSWORD)
        .challenge_responses("DEVICE_KEY", &device.key)
        .set_session(out.session().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert_eq!(
        next.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    let done = f
        .device_steps("uwe", next.session(), &device)
        .await
        .unwrap();
    assert!(
        done.authentication_result()
            .unwrap()
            .new_device_metadata()
            .is_none()
    );
}

#[tokio::test]
async fn admin_initiate_auth_with_admin_user_password_auth() {
    use aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType;
    let f = Fixture::start(PoolSetup {
        flows: vec![
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
        ..options()
    })
    .await;
    f.user_with("vic", &[]).await;
    let out = f
        .admin
        .admin_initiate_auth()
        .user_pool_id(&f.pool_id)
        .client_id(&f.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "vic")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(
        out.authentication_result()
            .unwrap()
            .new_device_metadata()
            .is_some()
    );
}

/// AdminListDevices lists every confirmed device, or only the remembered ones under the switch
/// `admin-list-devices-remembered-only` (no public source settles which).
#[tokio::test]
async fn admin_list_devices_remembered_only_is_a_switch() {
    let f = Fixture::start(options()).await;
    f.user_with("ada", &[]).await;
    let mut devices = Vec::new();
    for _ in 0..2 {
        let out = f.sign_in("ada", None).await;
        devices.push(
            f.confirm_device(out.authentication_result().unwrap())
                .await
                .0,
        );
    }
    f.admin
        .admin_update_device_status()
        .user_pool_id(&f.pool_id)
        .username("ada")
        .device_key(&devices[1].key)
        .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
        .send()
        .await
        .unwrap();
    for (remembered_only, want) in [(false, 2), (true, 1), (false, 2)] {
        f.set_fidelity(
            serde_json::json!({ "admin-list-devices-remembered-only": remembered_only }),
        )
        .await;
        let listed = f
            .admin
            .admin_list_devices()
            .user_pool_id(&f.pool_id)
            .username("ada")
            .send()
            .await
            .unwrap();
        let keys: Vec<&str> = listed
            .devices()
            .iter()
            .filter_map(|d| d.device_key())
            .collect();
        assert_eq!(keys.len(), want, "remembered only: {remembered_only}");
        assert!(keys.contains(&devices[0].key.as_str()));
    }
}

/// One DeviceGroupKey per user by default; a fresh one per device under the switch
/// `device-group-key-per-device`. Either way each device proves itself with the key it was
/// given.
#[tokio::test]
async fn device_group_key_per_device_is_a_switch() {
    let f = Fixture::start(options()).await;
    for per_device in [false, true] {
        f.set_fidelity(serde_json::json!({ "device-group-key-per-device": per_device }))
            .await;
        let user = format!("gk{per_device}");
        f.user_with(&user, &[]).await;
        let mut devices = Vec::new();
        for _ in 0..2 {
            let out = f.sign_in(&user, None).await;
            devices.push(
                f.confirm_device(out.authentication_result().unwrap())
                    .await
                    .0,
            );
        }
        assert_eq!(
            devices[0].group_key != devices[1].group_key,
            per_device,
            "{devices:?}"
        );
        for device in &devices {
            let out = f.sign_in(&user, Some(device)).await;
            let result = out.authentication_result().expect("tokens");
            assert!(result.new_device_metadata().is_none(), "the device proved");
        }
    }
}
