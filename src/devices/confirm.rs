//! Confirming a new device: NewDeviceMetadata -> store the secret -> ConfirmDevice -> mark
//! the record confirmed.
//!
//! Write order (docs/protocol.md 5.6): the secret is stored as *pending* before ConfirmDevice,
//! so a crash after ConfirmDevice never leaves a confirmed device whose secret we lack. A
//! pending record is finished later ([`super::pending`]) or tried as the device at the next
//! sign-in. The device of a live session is never forgotten: ForgetDevice would make that
//! session's refresh token unusable.

use aws_sdk_cognitoidentityprovider::types::DeviceSecretVerifierConfigType;

use super::{RememberedStatus, update_status};
use crate::error::Error;
use crate::ids::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use crate::pool::Pool;
use crate::srp::{DeviceSecretVerifierConfig, NewDeviceSecret};
use crate::store::record::now_seconds;
use crate::store::{DeviceRecord, DeviceState};
use crate::tokens::Tokens;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// How confirming a new device ended.
pub(crate) enum NewDevice {
    /// Confirmed, and the server remembers it (no user confirmation necessary).
    Remembered(DeviceRecord),
    /// Confirmed; the pool asks the user whether to remember it.
    AskUser(DeviceRecord),
    /// The device could not be confirmed and stored. `pending`: its secret is stored and the
    /// confirmation can be finished later with the access token.
    Failed {
        device_key: Option<DeviceKey>,
        pending: bool,
        warning: String,
    },
}

/// Stores the secret (pending), confirms the device, marks the record confirmed. What cannot
/// be finished now stays pending, with the access token kept in memory to finish it later.
pub(crate) async fn confirm_new_device(
    pool: &Pool,
    trips: &RoundTrips,
    tokens: &Tokens,
    user: &UserIdForSrp,
    aliases: Vec<String>,
    device_key: &DeviceKey,
    device_group_key: &DeviceGroupKey,
) -> NewDevice {
    let secret = match NewDeviceSecret::generate(device_key, device_group_key) {
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
        username: user.clone(),
        aliases,
        ..DeviceRecord::pending(device_key, device_group_key, secret.password.clone())
    };
    // 1. The secret first: without it a confirmed device could never prove itself.
    let stored = pool.records.save(&record).await;
    // 2. ConfirmDevice, retried on transient faults (same verifier: idempotent). Also when
    // the secret could not be stored: the session's refresh token is bound to this device and
    // works only once it is confirmed.
    let confirmed = send_confirm_device(
        pool,
        trips,
        &tokens.access_token,
        device_key,
        &secret.verifier,
    )
    .await
    .map_err(Error::from);
    if let Err(e) = stored {
        return unstored(pool, trips, tokens, &record, confirmed, e).await;
    }
    let ask_user = match confirmed {
        Ok(ask_user) => ask_user,
        Err(e) => {
            return pending(
                pool,
                tokens,
                device_key,
                format!(
                    "ConfirmDevice failed ({e}): the device is not yet confirmed. Its secret is \
                     kept; the next refresh or sign-in confirms it with this session's access \
                     token while that is valid (until it expires), or call \
                     confirm_pending_device. Until then refresh fails with \
                     \"Invalid Refresh Token\" where the pool binds refresh tokens to devices"
                ),
            );
        }
    };
    // 3. Confirmed: mark the record. A failed write leaves the record pending (secret kept,
    // the server holds its verifier): finishing it later re-sends ConfirmDevice and writes again.
    record.state = DeviceState::Confirmed;
    record.remembered = !ask_user;
    record.confirmed_at = Some(now_seconds());
    if let Err(e) = pool.records.save(&record).await {
        return pending(
            pool,
            tokens,
            device_key,
            format!(
                "the device was confirmed but its record could not be updated ({e}); the next \
                 refresh or sign-in finishes it"
            ),
        );
    }
    if ask_user {
        NewDevice::AskUser(record)
    } else {
        NewDevice::Remembered(record)
    }
}

/// The record stays pending: the session's access token is kept in memory to finish the
/// confirmation later ([`super::pending`]).
fn pending(pool: &Pool, tokens: &Tokens, device_key: &DeviceKey, warning: String) -> NewDevice {
    pool.kept.keep_token(device_key, tokens);
    NewDevice::Failed {
        device_key: Some(device_key.clone()),
        pending: true,
        warning,
    }
}

/// The secret could not be stored: the device can never prove itself. When ConfirmDevice
/// succeeded, its key is kept in memory for this session's refresh, and it is marked not
/// remembered so it does not stand as remembered without a secret.
async fn unstored(
    pool: &Pool,
    trips: &RoundTrips,
    tokens: &Tokens,
    record: &DeviceRecord,
    confirmed: Result<bool, Error>,
    e: crate::store::StoreError,
) -> NewDevice {
    let warning = match confirmed {
        Ok(ask_user) => {
            let mut names = vec![record.username.as_str()];
            names.extend(record.aliases.iter().map(String::as_str));
            pool.kept.keep_unstored(&names, &record.device_key);
            if !ask_user
                && let Err(e) = update_status(
                    pool,
                    trips,
                    tokens,
                    &record.device_key,
                    RememberedStatus::NotRemembered,
                )
                .await
            {
                tracing::warn!(error = %e, "could not mark the device not remembered");
            }
            format!(
                "the device secret could not be stored ({e}); the device is confirmed for this \
                 session's refresh but not remembered: the next sign-in asks MFA"
            )
        }
        Err(f) => format!(
            "the device secret could not be stored ({e}) and ConfirmDevice failed ({f}): this \
             session cannot be refreshed; the next sign-in asks MFA"
        ),
    };
    NewDevice::Failed {
        device_key: None,
        pending: false,
        warning,
    }
}

/// ConfirmDevice with `verifier`; returns UserConfirmationNecessary.
pub(crate) async fn send_confirm_device(
    pool: &Pool,
    trips: &RoundTrips,
    access_token: &str,
    device_key: &DeviceKey,
    verifier: &DeviceSecretVerifierConfig,
) -> Result<bool, Failure> {
    with_retry(Retry::Transient, trips, || {
        let call = pool
            .sdk
            .confirm_device()
            .access_token(access_token)
            .device_key(device_key)
            .device_name(&pool.device_name)
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
