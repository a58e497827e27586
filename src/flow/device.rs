//! The device half of a sign-in's end: NewDeviceMetadata -> store the secret -> ConfirmDevice
//! -> remember or ask; the clean-up of pending and unreadable records; the device calls the
//! client also offers on their own.
//!
//! Write order (docs/protocol.md 5.6, issue "nothing is lost"): the secret is stored as *pending*
//! before ConfirmDevice, so a crash after ConfirmDevice never leaves a confirmed device whose
//! secret we lack. A pending record is finished later (ConfirmDevice again, with the stored
//! password) or tried as the device at the next sign-in; the device of a live session is
//! never forgotten, since ForgetDevice makes that session's refresh token unusable.

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
    // Tokens: nothing can restart this sign-in any more, so nothing sends the password again.
    flow.wipe_password();
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
            // It is not this session's device (that is the new one).
            best_effort_forget(&flow.inner, &flow.trips, &tokens, &old.record.device_key).await;
        }
        let aliases = if flow.typed != username {
            vec![flow.typed.clone()]
        } else {
            Vec::new()
        };
        match confirm_new_device(
            &flow.inner,
            &flow.trips,
            &tokens,
            &username,
            aliases,
            key,
            group,
        )
        .await
        {
            NewDevice::Remembered(record) => {
                outcome.device_key = Some(record.device_key);
                outcome.newly_confirmed = true;
                outcome.remembered = true;
            }
            NewDevice::AskUser(record) => {
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
            NewDevice::Failed {
                device_key,
                pending,
                warning,
            } => {
                tracing::warn!(%warning, "the new device could not be remembered");
                outcome.device_key = device_key;
                outcome.pending_confirmation = pending;
                outcome.warning = Some(warning);
            }
        }
    } else if let Some(used) = &mut flow.device {
        outcome.device_key = Some(used.record.device_key.clone());
        outcome.proved = flow.device_proved;
        // Skipped means: the device proved itself and no code was asked in this sign-in.
        outcome.skipped_mfa = flow.device_proved && flow.mfa.is_none();
        let mut changed = false;
        if used.record.state != DeviceState::Confirmed {
            // A sign-in with this DEVICE_KEY succeeded (proved or not), and the service refuses
            // unconfirmed keys ("Device does not exist."): an earlier ConfirmDevice did succeed.
            used.record.state = DeviceState::Confirmed;
            used.record.confirmed_at = confirmed_now();
            changed = true;
        }
        // Remembered is what the server holds. A skipped MFA agrees with a record that says
        // remembered; anything else (a code asked, a record that says not remembered, a device
        // that was pending) is settled with GetDevice. The sign-in succeeded with this
        // DEVICE_KEY, so the server knows the device.
        let consistent = outcome.skipped_mfa && used.record.remembered && !changed;
        if !consistent {
            match server_remembered(&flow.inner, &flow.trips, &tokens, &used.record.device_key)
                .await
            {
                Ok(Some(remembered)) if remembered != used.record.remembered => {
                    used.record.remembered = remembered;
                    changed = true;
                }
                Ok(_) => {}
                Err(e) => {
                    // Not known: never claim remembered without the server saying so.
                    outcome.warning = Some(format!(
                        "could not read the device's remembered status from the server ({e})"
                    ));
                }
            }
        }
        // Write only over the record this sign-in read: the app may have forgotten or replaced
        // the device while the sign-in waited for a code.
        let same = matches!(
            flow.inner.records.find(&used.account_user).await,
            Ok(crate::store::record::Lookup::Found { record, .. })
                if record.device_key == used.record.device_key
        );
        if changed
            && same
            && let Err(e) = flow.inner.records.save(&used.record).await
        {
            tracing::warn!(error = %e, "could not update the device record");
        }
        outcome.remembered = used.record.remembered && outcome.warning.is_none();
    }
    Ok(SignInStep::Done(SignedIn {
        username,
        tokens,
        device: outcome,
        mfa: flow.mfa.clone(),
        round_trips: flow.trips.get(),
    }))
}

/// GetDevice's `dev:device_remembered_status` for a device that has just proved itself;
/// `None` when the attribute is absent. GetDevice answers ResourceNotFoundException for a
/// device that is not remembered (AWSMobileClientTest.testRememberDevice, against a real
/// pool); for a device that proved itself in this very sign-in that can only mean "not
/// remembered", never "gone".
pub(crate) async fn server_remembered(
    inner: &Inner,
    trips: &RoundTrips,
    tokens: &Tokens,
    device_key: &str,
) -> Result<Option<bool>, Error> {
    let sent = with_retry(Retry::Transient, trips, || {
        let call = inner
            .sdk
            .get_device()
            .access_token(&tokens.access_token)
            .device_key(device_key);
        async move { call.send().await.map_err(Failure::from) }
    })
    .await;
    let out = match sent {
        Ok(out) => out,
        Err(f) if f.is_device_not_found() => return Ok(Some(false)),
        Err(f) => return Err(f.into()),
    };
    Ok(out.device().and_then(|d| {
        d.device_attributes()
            .iter()
            .find(|a| a.name() == "dev:device_remembered_status")
            .and_then(|a| a.value())
            .map(|v| v == "remembered")
    }))
}

pub(crate) enum NewDevice {
    Remembered(DeviceRecord),
    AskUser(DeviceRecord),
    /// The device could not be confirmed and stored. `pending`: its secret is stored and the
    /// confirmation can be finished later with the access token.
    Failed {
        device_key: Option<String>,
        pending: bool,
        warning: String,
    },
}

/// Stores the secret (pending), confirms the device, marks the record confirmed. Never forgets
/// the device on the server: it is this session's device, and ForgetDevice would make the
/// session's refresh token unusable. What cannot be finished now stays pending, with the
/// access token kept in memory to finish it later ([`super::pending`]).
pub(crate) async fn confirm_new_device(
    inner: &Inner,
    trips: &RoundTrips,
    tokens: &Tokens,
    username: &str,
    aliases: Vec<String>,
    device_key: &str,
    device_group_key: &str,
) -> NewDevice {
    let secret = match NewDeviceSecret::generate(device_group_key, device_key) {
        Ok(secret) => secret,
        Err(e) => {
            return NewDevice::Failed {
                device_key: None,
                pending: false,
                warning: format!("could not generate the device secret: {e}"),
            };
        }
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
    // 1. The secret first: without it a confirmed device could never prove itself.
    let stored = inner.records.save(&record).await;
    // 2. ConfirmDevice, retried on transient faults (same verifier: idempotent). Also when
    // the secret could not be stored: the session's refresh token is bound to this device and
    // works only once it is confirmed.
    let confirmed = send_confirm_device(
        inner,
        trips,
        &tokens.access_token,
        device_key,
        &secret.verifier,
    )
    .await
    .map_err(Error::from);
    if let Err(e) = stored {
        if confirmed.is_ok() {
            // Refresh must send this key: keep it in memory (it is not a secret).
            let mut names = vec![username];
            names.extend(record.aliases.iter().map(String::as_str));
            inner.pending.remember_unstored(&names, device_key);
        }
        return NewDevice::Failed {
            device_key: None,
            pending: false,
            warning: match confirmed {
                Ok(ask_user) => {
                    if !ask_user {
                        // Without its secret the device can never prove itself: do not let it
                        // stand as remembered.
                        if let Err(e) =
                            update_device_status(inner, trips, tokens, device_key, false).await
                        {
                            tracing::warn!(error = %e, "could not mark the device not remembered");
                        }
                    }
                    format!(
                        "the device secret could not be stored ({e}); the device is confirmed \
                         for this session's refresh but not remembered: the next sign-in asks MFA"
                    )
                }
                Err(f) => format!(
                    "the device secret could not be stored ({e}) and ConfirmDevice failed \
                     ({f}): this session cannot be refreshed; the next sign-in asks MFA"
                ),
            },
        };
    }
    let ask_user = match confirmed {
        Ok(ask_user) => ask_user,
        Err(e) => {
            super::pending::remember_token(inner, device_key, tokens);
            return NewDevice::Failed {
                device_key: Some(device_key.to_owned()),
                pending: true,
                warning: format!(
                    "ConfirmDevice failed ({e}): the device is not yet confirmed. Its secret is \
                     kept; the next refresh or sign-in confirms it with this session's access \
                     token while that is valid (until it expires), or call \
                     confirm_pending_device. Until then refresh fails with \
                     \"Invalid Refresh Token\" where the pool binds refresh tokens to devices"
                ),
            };
        }
    };
    // 3. Confirmed: mark the record. A failed write leaves the record pending (secret kept,
    // the server holds its verifier): finishing it later re-sends ConfirmDevice and writes again.
    record.state = DeviceState::Confirmed;
    record.remembered = !ask_user;
    record.confirmed_at = confirmed_now();
    if let Err(e) = inner.records.save(&record).await {
        super::pending::remember_token(inner, device_key, tokens);
        return NewDevice::Failed {
            device_key: Some(device_key.to_owned()),
            pending: true,
            warning: format!(
                "the device was confirmed but its record could not be updated ({e}); the next \
                 refresh or sign-in finishes it"
            ),
        };
    }
    if ask_user {
        NewDevice::AskUser(record)
    } else {
        NewDevice::Remembered(record)
    }
}

/// ConfirmDevice with `verifier`; returns UserConfirmationNecessary.
pub(crate) async fn send_confirm_device(
    inner: &Inner,
    trips: &RoundTrips,
    access_token: &str,
    device_key: &str,
    verifier: &crate::srp::DeviceSecretVerifierConfig,
) -> Result<bool, Failure> {
    with_retry(Retry::Transient, trips, || {
        let call = inner
            .sdk
            .confirm_device()
            .access_token(access_token)
            .device_key(device_key)
            .device_name(&inner.device_name)
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .password_verifier(&verifier.password_verifier)
                    .salt(&verifier.salt)
                    .build(),
            );
        async move { call.send().await.map_err(Failure::from) }
    })
    .await
    .map(|out| out.user_confirmation_necessary())
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

/// Forgets the devices of unreadable records found at the start, now that there is an access
/// token (docs/protocol.md 5.6: the user simply does MFA once). Never this sign-in's device.
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
        // "Device does not exist.": already forgotten. Any other answer ("User pool client ...
        // does not exist.") forgets nothing and is the caller's error.
        Err(f) if f.is_device_not_found() => Ok(()),
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
