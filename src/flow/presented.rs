//! The device a sign-in presents: the stored record looked up by the name typed (then by the
//! internal name), a pending confirmation finished on the way, unreadable records set aside,
//! and the record deleted when the server says the device is gone (docs/protocol.md 5.2).

use super::context::{Attempt, SignIn, StaleDevice, UsedDevice};
use crate::devices::pending;
use crate::error::Error;
use crate::store::DeviceState;
use crate::store::record::Lookup;

/// Deletes the local record of a device the server no longer knows, under the name it was
/// read with.
pub(super) async fn forget_local_device(ctx: &SignIn, used: UsedDevice) -> Result<(), Error> {
    tracing::info!(
        device_key = %used.record.device_key,
        "the server no longer knows this device; deleting the local record"
    );
    ctx.pool
        .records
        .delete(&used.account_user, &used.record.aliases)
        .await?;
    Ok(())
}

/// A remembered device confirmed longer ago than the client trusts devices for
/// ([`ClientConfig::with_device_trust`](crate::ClientConfig::with_device_trust)).
fn trust_expired(ctx: &SignIn, record: &crate::store::DeviceRecord) -> bool {
    let (Some(trust), Some(confirmed_at)) = (ctx.pool.device_trust, record.confirmed_at) else {
        return false;
    };
    let now = ctx.pool.clock.server_seconds();
    record.state == DeviceState::Confirmed
        && i64::try_from(confirmed_at.saturating_add(trust.as_secs())).unwrap_or(i64::MAX) < now
}

/// The device stored for `name` (none when this attempt goes without). Unreadable records are
/// set aside for clean-up once the sign-in has tokens; a store that is locked fails the
/// sign-in (retryable) rather than risk anything.
pub(super) async fn load_device(ctx: &mut SignIn, name: &str) -> Result<Option<UsedDevice>, Error> {
    if ctx.attempt == Attempt::WithoutDevice {
        return Ok(None);
    }
    match ctx.pool.records.find(name).await? {
        Lookup::None => Ok(None),
        Lookup::Found {
            account_user,
            mut record,
        } => {
            if record.state == DeviceState::Pending {
                // Finish the confirmation with the session's access token when this client
                // kept it; either way the device is tried: if its confirmation did reach the
                // server it proves itself, else the server answers "Device does not exist."
                // and the sign-in starts over without it (devices::pending).
                match pending::finish(&ctx.pool, &ctx.trips, name, None).await {
                    Ok(Some(_)) => {
                        if let Lookup::Found { record: now, .. } =
                            ctx.pool.records.find(name).await?
                        {
                            record = now;
                        }
                    }
                    Ok(None) => return Ok(None),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not finish the pending confirmation")
                    }
                }
            }
            if trust_expired(ctx, &record) {
                tracing::info!(
                    device_key = %record.device_key,
                    "the device's trust expired: MFA once, then a new device replaces it"
                );
                if !ctx.stale.iter().any(|s| s.account_user == account_user) {
                    ctx.stale.push(StaleDevice {
                        account_user,
                        device_key: Some(record.device_key.clone()),
                    });
                }
                return Ok(None);
            }
            Ok(Some(UsedDevice {
                account_user,
                record,
            }))
        }
        Lookup::Unreadable {
            account_user,
            reason,
            device_key,
        } => {
            tracing::warn!(%reason, "the stored device record is unreadable; it will be replaced");
            if !ctx.stale.iter().any(|s| s.account_user == account_user) {
                ctx.stale.push(StaleDevice {
                    account_user,
                    device_key,
                });
            }
            Ok(None)
        }
    }
}
