//! Devices whose ConfirmDevice is not known to have succeeded (record state `pending`).
//!
//! The device of a live session is never forgotten: on the real service ForgetDevice makes the
//! refresh tokens bound to it unusable, so the app would hold a session it can never refresh.
//! Instead the secret stays stored and the confirmation is finished later with an access token
//! of that session: the one kept in memory here when the confirmation failed (the next
//! [`Client::refresh`](crate::Client::refresh) or sign-in of this client uses it while it is
//! valid), or one the app hands to
//! [`Client::confirm_pending_device`](crate::Client::confirm_pending_device). ConfirmDevice is
//! sent again with a verifier of the stored password (a fresh salt): any verifier of the same
//! password proves the same secret, so a first confirmation that did succeed is harmless to
//! repeat.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use zeroize::Zeroizing;

use super::device::send_confirm_device;
use crate::client::{Inner, LocalDevice, confirmed_now};
use crate::error::Error;
use crate::srp::NewDeviceSecret;
use crate::store::DeviceState;
use crate::store::record::Lookup;
use crate::tokens::Tokens;
use crate::transport::RoundTrips;

/// Access tokens of sessions whose device is still pending, by DeviceKey. In memory only;
/// wiped when dropped. Also the DeviceKeys of devices whose secret could not be stored at all,
/// by user name: their sessions' refresh tokens are bound to them.
#[derive(Default)]
pub(crate) struct PendingTokens(
    Mutex<HashMap<String, (Zeroizing<String>, SystemTime)>>,
    Mutex<HashMap<String, String>>,
);

impl PendingTokens {
    /// Keeps the key of a device confirmed without a stored secret, under each name.
    pub(crate) fn remember_unstored(&self, names: &[&str], device_key: &str) {
        let mut map = self.1.lock().unwrap_or_else(|p| p.into_inner());
        for name in names {
            map.insert((*name).to_owned(), device_key.to_owned());
        }
    }

    /// The key of a device confirmed without a stored secret, for refresh.
    pub(crate) fn unstored(&self, name: &str) -> Option<String> {
        let map = self.1.lock().unwrap_or_else(|p| p.into_inner());
        map.get(name).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Zeroizing<String>, SystemTime)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A still-valid access token for `device_key`; expired ones are dropped.
    fn get(&self, device_key: &str) -> Option<Zeroizing<String>> {
        let mut map = self.lock();
        map.retain(|_, (_, expires)| *expires > SystemTime::now());
        map.get(device_key).map(|(token, _)| token.clone())
    }

    fn remove(&self, device_key: &str) {
        self.lock().remove(device_key);
    }

    /// Drops what is kept for `name` and its device (a local wipe).
    pub(crate) fn forget(&self, name: &str, device_key: Option<&str>) {
        let unstored = self
            .1
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        for key in device_key.into_iter().chain(unstored.as_deref()) {
            self.remove(key);
        }
    }

    /// Drops everything (a wipe of every local entry).
    pub(crate) fn forget_all(&self) {
        self.lock().clear();
        self.1.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// Keeps the session's access token to finish the device's confirmation later.
pub(crate) fn remember_token(inner: &Inner, device_key: &str, tokens: &Tokens) {
    inner.pending.lock().insert(
        device_key.to_owned(),
        (
            Zeroizing::new(tokens.access_token.clone()),
            tokens.expires_at,
        ),
    );
}

/// Finishes the confirmation of `username`'s pending device with `access_token`, or with the
/// one kept in memory. Returns the device as stored afterwards (still pending when no valid
/// access token is at hand), or `None` when no device is stored or the server no longer knows
/// it (its record is then deleted: the secret proves nothing).
pub(crate) async fn finish(
    inner: &Inner,
    trips: &RoundTrips,
    username: &str,
    access_token: Option<&str>,
) -> Result<Option<LocalDevice>, Error> {
    // One read-modify-write of a record at a time in this client: a sign-in or refresh that
    // replaces the record meanwhile must not be overwritten or deleted by this one.
    let _guard = inner.record_lock.lock().await;
    let Lookup::Found {
        account_user,
        mut record,
    } = inner.records.find(username).await?
    else {
        return Ok(None);
    };
    if record.state == DeviceState::Confirmed {
        return Ok(Some(LocalDevice::from_record(&record)));
    }
    let token = match access_token {
        Some(t) => {
            // Tokens the app hands over must be this user's session on this device.
            let user = crate::tokens::claim(t, "username");
            let device = crate::tokens::claim(t, "device_key");
            if user.as_deref().is_some_and(|u| u != record.username)
                || device.as_deref().is_some_and(|d| d != record.device_key)
            {
                return Err(Error::InvalidStepAnswer(
                    "these tokens are not of the session whose device is pending".into(),
                ));
            }
            Zeroizing::new(t.to_owned())
        }
        None => match inner.pending.get(&record.device_key) {
            Some(t) => t,
            None => return Ok(Some(LocalDevice::from_record(&record))),
        },
    };
    let verifier = NewDeviceSecret::verifier_for(
        &record.device_group_key,
        &record.device_key,
        &record.device_password,
    )?;
    let sent = send_confirm_device(inner, trips, &token, &record.device_key, &verifier).await;
    // The record may not have changed meanwhile (the lock covers this client only).
    match inner.records.find(username).await? {
        Lookup::Found { record: now, .. }
            if now.device_key == record.device_key && now.state == DeviceState::Pending => {}
        other => return Ok(other.found().map(|r| LocalDevice::from_record(&r))),
    }
    match sent {
        Ok(ask_user) => {
            inner.pending.remove(&record.device_key);
            record.state = DeviceState::Confirmed;
            // A pool that asks the user leaves the device not remembered until the app asks
            // (Client::remember_device).
            record.remembered = !ask_user;
            record.confirmed_at = confirmed_now();
            record.username = account_user;
            inner.records.save(&record).await?;
            tracing::info!(device_key = %record.device_key, "pending device confirmed");
            Ok(Some(LocalDevice::from_record(&record)))
        }
        // Only "Device does not exist." deletes: whether the service accepts a second
        // ConfirmDevice for a device it already confirmed is not settled, and a refusal of it
        // must not cost a working secret (the next sign-in tries the device either way).
        Err(f) if f.is_device_not_found() => {
            inner.pending.remove(&record.device_key);
            tracing::info!(
                device_key = %record.device_key,
                "the server no longer knows the pending device; deleting its record"
            );
            inner.records.delete(&account_user, &record.aliases).await?;
            Ok(None)
        }
        Err(f) => Err(f.into()),
    }
}
