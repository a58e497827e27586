//! Devices whose ConfirmDevice is not known to have succeeded (record state `pending`).
//!
//! The device of a live session is never forgotten: on the real service ForgetDevice makes the
//! refresh tokens bound to it unusable, so the app would hold a session it can never refresh.
//! Instead the secret stays stored and the confirmation is finished later with an access token
//! of that session: the one kept in memory ([`crate::pool::Kept`]) when the confirmation
//! failed (the next [`Client::refresh`](crate::Client::refresh) or sign-in of this client uses
//! it while it is valid), or one the app hands to
//! [`Client::confirm_pending_device`](crate::Client::confirm_pending_device). ConfirmDevice is
//! sent again with a verifier of the stored password (a fresh salt): any verifier of the same
//! password proves the same secret, so a first confirmation that did succeed is harmless to
//! repeat.

use zeroize::Zeroizing;

use super::{LocalDevice, send_confirm_device};
use crate::error::Error;
use crate::ids::UserIdForSrp;
use crate::pool::Pool;
use crate::srp::NewDeviceSecret;
use crate::store::record::{Lookup, now_seconds};
use crate::store::{DeviceRecord, DeviceState};
use crate::transport::RoundTrips;

/// Finishes the confirmation of `username`'s pending device with `access_token`, or with the
/// one kept in memory. Returns the device as stored afterwards (still pending when no valid
/// access token is at hand), or `None` when no device is stored or the server no longer knows
/// it (its record is then deleted: the secret proves nothing).
pub(crate) async fn finish(
    pool: &Pool,
    trips: &RoundTrips,
    username: &str,
    access_token: Option<&str>,
) -> Result<Option<LocalDevice>, Error> {
    // One read-modify-write of a record at a time in this client: a sign-in or refresh that
    // replaces the record meanwhile must not be overwritten or deleted by this one.
    let _guard = pool.record_lock.lock().await;
    let Lookup::Found {
        account_user,
        mut record,
    } = pool.records.find(username).await?
    else {
        return Ok(None);
    };
    if record.state == DeviceState::Confirmed {
        return Ok(Some(LocalDevice::from_record(&record)));
    }
    let token = match access_token {
        Some(t) => {
            check_session(t, &record)?;
            Zeroizing::new(t.to_owned())
        }
        None => match pool.kept.token(&record.device_key) {
            Some(t) => t,
            None => return Ok(Some(LocalDevice::from_record(&record))),
        },
    };
    let verifier = NewDeviceSecret::verifier_for(
        &record.device_key,
        &record.device_group_key,
        &record.device_password,
    )?;
    let sent = send_confirm_device(pool, trips, &token, &record.device_key, &verifier).await;
    // The record may not have changed meanwhile (the lock covers this client only).
    match pool.records.find(username).await? {
        Lookup::Found { record: now, .. }
            if now.device_key == record.device_key && now.state == DeviceState::Pending => {}
        other => return Ok(other.found().map(|r| LocalDevice::from_record(&r))),
    }
    match sent {
        Ok(ask_user) => {
            pool.kept.drop_token(&record.device_key);
            record.state = DeviceState::Confirmed;
            // A pool that asks the user leaves the device not remembered until the app asks
            // (Client::remember_device).
            record.remembered = !ask_user;
            record.confirmed_at = Some(now_seconds());
            record.username = UserIdForSrp::new(account_user);
            pool.records.save(&record).await?;
            tracing::info!(device_key = %record.device_key, "pending device confirmed");
            Ok(Some(LocalDevice::from_record(&record)))
        }
        // Only "Device does not exist." deletes: whether the service accepts a second
        // ConfirmDevice for a device it already confirmed is not settled, and a refusal of it
        // must not cost a working secret (the next sign-in tries the device either way).
        Err(f) if f.is_device_not_found() => {
            pool.kept.drop_token(&record.device_key);
            tracing::info!(
                device_key = %record.device_key,
                "the server no longer knows the pending device; deleting its record"
            );
            pool.records.delete(&account_user, &record.aliases).await?;
            Ok(None)
        }
        Err(f) => Err(f.into()),
    }
}

/// Tokens the app hands over must be this user's session on this device.
fn check_session(access_token: &str, record: &DeviceRecord) -> Result<(), Error> {
    let user = crate::tokens::claim(access_token, "username");
    let device = crate::tokens::claim(access_token, "device_key");
    if user.as_deref().is_some_and(|u| u != record.username)
        || device.as_deref().is_some_and(|d| record.device_key != d)
    {
        return Err(Error::Misuse(
            "these tokens are not of the session whose device is pending".into(),
        ));
    }
    Ok(())
}
