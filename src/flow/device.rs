//! The device half of a sign-in's end: NewDeviceMetadata -> store the secret -> ConfirmDevice
//! -> remember or ask; the clean-up of pending and unreadable records; the device calls the
//! client also offers on their own.
//!
//! Write order (PROTOCOL.md 5.6, issue "nothing is lost"): the secret is stored as *pending*
//! before ConfirmDevice, so a crash after ConfirmDevice never leaves a confirmed device whose
//! secret we lack; a pending record found later is forgotten on the server and deleted here,
//! and the user does MFA once.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthenticationResultType, DeviceSecretVerifierConfigType};

use super::engine::Flow;
use super::{DeviceOutcome, FlowRef, RememberDeviceStep, SignInStep, SignedIn};
use crate::client::{Inner, confirmed_now, remembered_status};
use crate::error::Error;
use crate::srp::NewDeviceSecret;
use crate::store::{DeviceRecord, DeviceState};
use crate::tokens::Tokens;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// Tokens arrived: settle the device, then report.
pub(super) async fn finish(
    flow_ref: &FlowRef,
    flow: &mut Flow,
    result: &AuthenticationResultType,
) -> Result<SignInStep, Error> {
    let tokens = Tokens::from_result(result)?;
    let username = flow.username.clone().unwrap_or_else(|| flow.typed.clone());
    clean_up_stale(flow, &tokens).await;

    let mut outcome = DeviceOutcome::default();
    if let Some(metadata) = result.new_device_metadata() {
        let (Some(key), Some(group)) = (metadata.device_key(), metadata.device_group_key()) else {
            return Err(Error::InvalidServerAnswer(
                "NewDeviceMetadata without DeviceKey or DeviceGroupKey".into(),
            ));
        };
        if let Some(old) = flow.device.take() {
            // The server issued a new device although we presented one: the old one is of no
            // further use; forget it (best effort) so it does not linger in the user's list.
            best_effort_forget(&flow.inner, &flow.trips, &tokens, &old.record.device_key).await;
        }
        match confirm_new_device(flow, &tokens, &username, key, group).await {
            Ok(NewDevice::Remembered(record)) => {
                outcome.device_key = Some(record.device_key);
                outcome.newly_confirmed = true;
                outcome.remembered = true;
            }
            Ok(NewDevice::AskUser(record)) => {
                let device_key = record.device_key.clone();
                flow.pending_done = Some(SignedIn {
                    username,
                    tokens,
                    device: DeviceOutcome {
                        device_key: Some(device_key.clone()),
                        newly_confirmed: true,
                        ..DeviceOutcome::default()
                    },
                    mfa: flow.mfa.clone(),
                    round_trips: flow.trips.get(),
                });
                return Ok(SignInStep::RememberDevice(RememberDeviceStep {
                    flow: Arc::clone(flow_ref),
                    device_key,
                }));
            }
            Err(warning) => {
                tracing::warn!(%warning, "the new device could not be remembered");
                outcome.warning = Some(warning);
            }
        }
    } else if let Some(used) = &mut flow.device {
        outcome.device_key = Some(used.record.device_key.clone());
        outcome.skipped_mfa = flow.device_proved;
        if flow.device_proved && !used.record.remembered {
            // The server treated the device as remembered (it asked DEVICE_SRP_AUTH).
            used.record.remembered = true;
            if let Err(e) = flow.inner.records.save(&used.record).await {
                tracing::warn!(error = %e, "could not update the device record");
            }
        }
        outcome.remembered = used.record.remembered;
    }
    Ok(SignInStep::Done(SignedIn {
        username,
        tokens,
        device: outcome,
        mfa: flow.mfa.clone(),
        round_trips: flow.trips.get(),
    }))
}

enum NewDevice {
    Remembered(DeviceRecord),
    AskUser(DeviceRecord),
}

/// Stores the secret (pending), confirms the device, marks the record confirmed. On failure
/// returns the warning for the app; nothing orphaned is left behind that the next sign-in
/// would not clean up.
async fn confirm_new_device(
    flow: &mut Flow,
    tokens: &Tokens,
    username: &str,
    device_key: &str,
    device_group_key: &str,
) -> Result<NewDevice, String> {
    let secret = NewDeviceSecret::generate(device_group_key, device_key)
        .map_err(|e| format!("could not generate the device secret: {e}"))?;
    let aliases = if flow.typed != username {
        vec![flow.typed.clone()]
    } else {
        Vec::new()
    };
    let mut record = DeviceRecord {
        username: username.to_owned(),
        device_key: device_key.to_owned(),
        device_group_key: device_group_key.to_owned(),
        device_password: secret.password.clone(),
        state: DeviceState::Pending,
        remembered: false,
        confirmed_at: None,
        aliases,
    };
    // 1. The secret first: without it a confirmed device would be useless.
    if let Err(e) = flow.inner.records.save(&record).await {
        return Err(format!("the device secret could not be stored ({e})"));
    }
    // 2. ConfirmDevice, retried on transient faults (same verifier: idempotent).
    let inner = Arc::clone(&flow.inner);
    let confirmed = with_retry(Retry::Transient, &flow.trips, || {
        let call = inner
            .sdk
            .confirm_device()
            .access_token(&tokens.access_token)
            .device_key(device_key)
            .device_name(&inner.device_name)
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .password_verifier(&secret.verifier.password_verifier)
                    .salt(&secret.verifier.salt)
                    .build(),
            );
        async move { call.send().await.map_err(Failure::from) }
    })
    .await;
    let confirmation = match confirmed {
        Ok(out) => out,
        Err(f) => {
            // Maybe confirmed, maybe not: forget it on the server and drop the secret. If
            // either fails, the pending record makes the next sign-in finish the job.
            let failure = Error::from(f).to_string();
            if forget_on_server(&flow.inner, &flow.trips, &tokens.access_token, device_key)
                .await
                .is_ok()
                && let Err(e) = flow.inner.records.delete(username, &record.aliases).await
            {
                tracing::warn!(error = %e, "could not delete the pending device record");
            }
            return Err(format!("ConfirmDevice failed: {failure}"));
        }
    };
    // 3. Confirmed: mark the record. A failed write here leaves a pending record holding a
    // confirmed device: forget the device now (best effort) so none is orphaned.
    let ask_user = confirmation.user_confirmation_necessary();
    record.state = DeviceState::Confirmed;
    record.remembered = !ask_user;
    record.confirmed_at = confirmed_now();
    if let Err(e) = flow.inner.records.save(&record).await {
        best_effort_forget(&flow.inner, &flow.trips, tokens, device_key).await;
        return Err(format!(
            "the device was confirmed but its record could not be updated ({e})"
        ));
    }
    Ok(if ask_user {
        NewDevice::AskUser(record)
    } else {
        NewDevice::Remembered(record)
    })
}

/// The app's answer to "remember this device?".
pub(super) async fn answer_remember(flow: &mut Flow, remember: bool) -> Result<SignInStep, Error> {
    let Some(mut done) = flow.pending_done.take() else {
        return Err(Error::InvalidStepAnswer(
            "this device question was already answered".into(),
        ));
    };
    let device_key = done.device.device_key.clone().unwrap_or_default();
    match update_device_status(
        &flow.inner,
        &flow.trips,
        &done.tokens,
        &device_key,
        remember,
    )
    .await
    {
        Ok(()) => {
            done.device.remembered = remember;
            let username = done.username.clone();
            if let Ok(crate::store::record::Lookup::Found { mut record, .. }) =
                flow.inner.records.find(&username).await
                && record.device_key == device_key
            {
                record.remembered = remember;
                if let Err(e) = flow.inner.records.save(&record).await {
                    done.device.warning =
                        Some(format!("the device record could not be updated ({e})"));
                }
            }
        }
        Err(e) => {
            done.device.warning = Some(format!("UpdateDeviceStatus failed: {e}"));
        }
    }
    done.round_trips = flow.trips.get();
    Ok(SignInStep::Done(done))
}

/// Forgets pending devices and unreadable records found at the start, now that there is an
/// access token (PROTOCOL.md 5.6: the user simply does MFA once).
async fn clean_up_stale(flow: &mut Flow, tokens: &Tokens) {
    for stale in std::mem::take(&mut flow.stale) {
        let forgotten = match &stale.device_key {
            Some(key) => forget_on_server(&flow.inner, &flow.trips, &tokens.access_token, key)
                .await
                .is_ok(),
            None => true,
        };
        if !forgotten {
            // Keep the record: the next sign-in tries again.
            continue;
        }
        // Never delete the record this sign-in is using.
        if flow
            .device
            .as_ref()
            .is_some_and(|d| d.account_user == stale.account_user)
        {
            continue;
        }
        if let Err(e) = flow
            .inner
            .records
            .delete(&stale.account_user, &stale.aliases)
            .await
        {
            tracing::warn!(error = %e, "could not delete a stale device record");
        }
    }
}

/// ForgetDevice; a device the server does not know counts as forgotten.
pub(crate) async fn forget_on_server(
    inner: &Inner,
    trips: &RoundTrips,
    access_token: &str,
    device_key: &str,
) -> Result<(), Error> {
    let result = with_retry(Retry::Transient, trips, || {
        let call = inner
            .sdk
            .forget_device()
            .access_token(access_token)
            .device_key(device_key);
        async move { call.send().await.map(|_| ()).map_err(Failure::from) }
    })
    .await;
    match result {
        Ok(()) => Ok(()),
        Err(f) if f.code() == Some("ResourceNotFoundException") => Ok(()),
        Err(f) => Err(f.into()),
    }
}

async fn best_effort_forget(inner: &Inner, trips: &RoundTrips, tokens: &Tokens, key: &str) {
    if let Err(e) = forget_on_server(inner, trips, &tokens.access_token, key).await {
        tracing::warn!(error = %e, "could not forget the device on the server");
    }
}

/// UpdateDeviceStatus (idempotent, so transient faults are retried).
pub(crate) async fn update_device_status(
    inner: &Inner,
    trips: &RoundTrips,
    tokens: &Tokens,
    device_key: &str,
    remembered: bool,
) -> Result<(), Error> {
    with_retry(Retry::Transient, trips, || {
        let call = inner
            .sdk
            .update_device_status()
            .access_token(&tokens.access_token)
            .device_key(device_key)
            .device_remembered_status(remembered_status(remembered));
        async move { call.send().await.map(|_| ()).map_err(Failure::from) }
    })
    .await
    .map_err(Error::from)
}
