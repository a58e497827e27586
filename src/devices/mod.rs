//! Device management, on its own: what the server lists (ListDevices, GetDevice), remembering
//! and forgetting (UpdateDeviceStatus, ForgetDevice), what is stored on this machine, and
//! confirming new devices. The client offers these to the app; the sign-in uses the same
//! calls when tokens arrive. Nothing here knows about sign-in steps.

mod confirm;
pub(crate) mod pending;

use std::collections::HashMap;
use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::DeviceRememberedStatusType;

use crate::error::Error;
use crate::ids::{DeviceKey, UserIdForSrp};
use crate::pool::Pool;
use crate::store::record::Lookup;
use crate::store::{DeviceRecord, DeviceState};
use crate::tokens::Tokens;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

pub(crate) use confirm::{NewDevice, confirm_new_device, send_confirm_device};

/// A device's remembered status (`dev:device_remembered_status`): a remembered device's
/// sign-ins skip SMS and TOTP MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RememberedStatus {
    /// Remembered: sign-ins with it skip MFA.
    Remembered,
    /// Confirmed but not remembered: sign-ins with it still ask MFA.
    NotRemembered,
}

impl RememberedStatus {
    /// `Remembered` when `remembered` is true.
    pub fn from_remembered(remembered: bool) -> Self {
        if remembered {
            Self::Remembered
        } else {
            Self::NotRemembered
        }
    }

    /// Whether this is [`RememberedStatus::Remembered`].
    pub fn is_remembered(self) -> bool {
        self == Self::Remembered
    }

    fn to_sdk(self) -> DeviceRememberedStatusType {
        match self {
            Self::Remembered => DeviceRememberedStatusType::Remembered,
            Self::NotRemembered => DeviceRememberedStatusType::NotRemembered,
        }
    }
}

/// A device as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The DeviceKey.
    pub device_key: DeviceKey,
    /// The name given at ConfirmDevice (`device_name` attribute), if any.
    pub name: Option<String>,
    /// Whether the device is remembered (`dev:device_remembered_status`).
    pub remembered: Option<bool>,
    /// When it was last used to sign in.
    pub last_authenticated: Option<SystemTime>,
    /// All of the device's attributes.
    pub attributes: HashMap<String, String>,
}

impl Device {
    fn from_sdk(d: &cip::types::DeviceType) -> Self {
        let attributes: HashMap<String, String> = d
            .device_attributes()
            .iter()
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        // The first `dev:device_remembered_status` with a value; absent or empty: unknown.
        let remembered = d
            .device_attributes()
            .iter()
            .find(|a| a.name() == "dev:device_remembered_status")
            .and_then(|a| a.value())
            .map(|v| v == "remembered");
        Self {
            device_key: DeviceKey::new(d.device_key().unwrap_or_default()),
            name: attributes.get("device_name").cloned(),
            remembered,
            last_authenticated: d
                .device_last_authenticated_date()
                .and_then(|t| SystemTime::try_from(*t).ok()),
            attributes,
        }
    }
}

/// What this client holds locally for a user's device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalDevice {
    /// The DeviceKey.
    pub device_key: DeviceKey,
    /// Whether ConfirmDevice is known to have succeeded (false: pending, see
    /// [`Client::confirm_pending_device`](crate::Client::confirm_pending_device)).
    pub confirmed: bool,
    /// Whether the server held the device as remembered when this client last learnt it.
    pub remembered: bool,
    /// When it was confirmed (seconds since the epoch).
    pub confirmed_at: Option<u64>,
}

impl LocalDevice {
    pub(crate) fn from_record(record: &DeviceRecord) -> Self {
        Self {
            device_key: record.device_key.clone(),
            confirmed: record.state == DeviceState::Confirmed,
            remembered: record.remembered,
            confirmed_at: record.confirmed_at,
        }
    }
}

/// Every device of the signed-in user (all pages of ListDevices).
pub(crate) async fn list(pool: &Pool, tokens: &Tokens) -> Result<Vec<Device>, Error> {
    let trips = RoundTrips::default();
    let mut devices = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let out = with_retry(Retry::Transient, &trips, || {
            let call = pool
                .sdk
                .list_devices()
                .access_token(&tokens.access_token)
                .limit(60)
                .set_pagination_token(page.clone());
            async move { call.send().await.map_err(Failure::from) }
        })
        .await?;
        devices.extend(out.devices().iter().map(Device::from_sdk));
        match out.pagination_token() {
            Some(next) if !next.is_empty() && page.as_deref() != Some(next) => {
                page = Some(next.to_owned());
            }
            _ => return Ok(devices),
        }
    }
}

/// GetDevice (`None`: an answer without the device).
pub(crate) async fn get(
    pool: &Pool,
    trips: &RoundTrips,
    tokens: &Tokens,
    device_key: &DeviceKey,
) -> Result<Option<Device>, Failure> {
    let out = with_retry(Retry::Transient, trips, || {
        let call = pool
            .sdk
            .get_device()
            .access_token(&tokens.access_token)
            .device_key(device_key);
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    Ok(out.device().map(Device::from_sdk))
}

/// GetDevice's `dev:device_remembered_status` for a device that has just proved itself;
/// `None` when the attribute is absent. GetDevice answers ResourceNotFoundException for a
/// device that is not remembered (AWSMobileClientTest.testRememberDevice, against a real
/// pool); for a device that proved itself in this very sign-in that can only mean "not
/// remembered", never "gone".
pub(crate) async fn server_remembered(
    pool: &Pool,
    trips: &RoundTrips,
    tokens: &Tokens,
    device_key: &DeviceKey,
) -> Result<Option<bool>, Error> {
    match get(pool, trips, tokens, device_key).await {
        Ok(device) => Ok(device.and_then(|d| d.remembered)),
        Err(f) if f.is_device_not_found() => Ok(Some(false)),
        Err(f) => Err(f.into()),
    }
}

/// UpdateDeviceStatus (idempotent, so transient faults are retried).
pub(crate) async fn update_status(
    pool: &Pool,
    trips: &RoundTrips,
    tokens: &Tokens,
    device_key: &DeviceKey,
    status: RememberedStatus,
) -> Result<(), Error> {
    with_retry(Retry::Transient, trips, || {
        let call = pool
            .sdk
            .update_device_status()
            .access_token(&tokens.access_token)
            .device_key(device_key)
            .device_remembered_status(status.to_sdk());
        async move { call.send().await.map(|_| ()).map_err(Failure::from) }
    })
    .await
    .map_err(Error::from)
}

/// Writes a remembered status the server now holds into `username`'s record, when the record
/// is of that device.
pub(crate) async fn store_status(
    pool: &Pool,
    username: &str,
    device_key: &DeviceKey,
    status: RememberedStatus,
) -> Result<(), Error> {
    if let Lookup::Found {
        mut record,
        account_user,
    } = pool.records.find(username).await?
        && record.device_key == *device_key
    {
        record.remembered = status.is_remembered();
        record.username = UserIdForSrp::new(account_user);
        pool.records.save(&record).await?;
    }
    Ok(())
}

/// ForgetDevice; a device the server does not know counts as forgotten.
pub(crate) async fn forget_on_server(
    pool: &Pool,
    trips: &RoundTrips,
    access_token: &str,
    device_key: &DeviceKey,
) -> Result<(), Error> {
    let result = with_retry(Retry::Transient, trips, || {
        let call = pool
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

/// Forgets a device on the server: `username`'s stored device when `device_key` is `None` or
/// its key (the local record is deleted too), or another of the user's devices.
pub(crate) async fn forget(
    pool: &Pool,
    tokens: &Tokens,
    username: &str,
    device_key: Option<&DeviceKey>,
) -> Result<(), Error> {
    let local = match pool.records.find(username).await? {
        Lookup::Found {
            account_user,
            record,
        } => Some((account_user, record)),
        _ => None,
    };
    let key = match (device_key, &local) {
        (Some(k), _) => k.clone(),
        (None, Some((_, record))) => record.device_key.clone(),
        (None, None) => {
            return Err(Error::Misuse(format!(
                "no device is stored for {username}: name the device to forget"
            )));
        }
    };
    forget_on_server(pool, &RoundTrips::default(), &tokens.access_token, &key).await?;
    if let Some((account_user, record)) = local
        && record.device_key == key
    {
        pool.records.delete(&account_user, &record.aliases).await?;
    }
    Ok(())
}

/// Deletes `username`'s local record when it holds `key` (a device the server forgot).
pub(crate) async fn forget_key_locally(
    pool: &Pool,
    username: &str,
    key: &DeviceKey,
) -> Result<(), Error> {
    let _records = pool.record_lock.lock().await;
    if let Lookup::Found {
        account_user,
        record,
    } = pool.records.find(username).await?
        && record.device_key == *key
    {
        pool.records.delete(&account_user, &record.aliases).await?;
    }
    Ok(())
}

/// Removes `username`'s device secret and alias entries from this machine, offline. Returns
/// whether an entry was found.
pub(crate) async fn forget_locally(pool: &Pool, username: &str) -> Result<bool, Error> {
    let _records = pool.record_lock.lock().await;
    let names = [username.to_owned()];
    let (found, internal, device_key) = match pool.records.find(username).await? {
        Lookup::Found {
            account_user,
            record,
        } => {
            let aliases: Vec<String> = record.aliases.iter().chain(&names).cloned().collect();
            pool.records.delete(&account_user, &aliases).await?;
            (true, account_user, Some(record.device_key.clone()))
        }
        Lookup::Unreadable {
            account_user,
            device_key,
            ..
        } => {
            pool.records.delete(&account_user, &names).await?;
            (true, account_user, device_key)
        }
        Lookup::None => {
            pool.records.delete(username, &names).await?;
            (false, username.to_owned(), None)
        }
    };
    // What is kept in memory under either name goes too.
    pool.kept.forget(username, device_key.as_ref());
    pool.kept.forget(&internal, None);
    Ok(found)
}

/// Removes every entry this SDK wrote to the pool's store; returns how many there were.
pub(crate) async fn remove_all_locally(pool: &Pool) -> Result<usize, Error> {
    let _records = pool.record_lock.lock().await;
    let removed = pool.records.remove_all().await?;
    pool.kept.forget_all();
    Ok(removed)
}

/// The device stored for a user (by the name typed at sign-in or the internal name).
pub(crate) async fn current(pool: &Pool, username: &str) -> Result<Option<LocalDevice>, Error> {
    Ok(pool
        .records
        .find(username)
        .await?
        .found()
        .map(|r| LocalDevice::from_record(&r)))
}
