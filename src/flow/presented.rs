//! The device a sign-in presents: the stored record looked up by the name typed (then by the
//! internal name), a pending confirmation finished on the way, unreadable records set aside,
//! and the record deleted when the server says the device is gone (docs/protocol.md 5.2).

use super::conversation::{Attempt, Conversation, StaleDevice, UsedDevice};
use crate::devices::pending;
use crate::error::Error;
use crate::store::DeviceState;
use crate::store::record::Lookup;

/// Deletes the local record of the device in use, under the name it was read with.
pub(super) async fn forget_local_device(conv: &mut Conversation) -> Result<(), Error> {
    if let Some(used) = conv.device.take() {
        tracing::info!(
            device_key = %used.record.device_key,
            "the server no longer knows this device; deleting the local record"
        );
        conv.pool
            .records
            .delete(&used.account_user, &used.record.aliases)
            .await?;
    }
    Ok(())
}

/// Looks up the device of `name` (unless this attempt goes without). Unreadable records are
/// set aside for clean-up once the sign-in has tokens; a store that is locked fails the
/// sign-in (retryable) rather than risk anything.
pub(super) async fn load_device(conv: &mut Conversation, name: &str) -> Result<(), Error> {
    if conv.attempt == Attempt::WithoutDevice {
        return Ok(());
    }
    match conv.pool.records.find(name).await? {
        Lookup::None => {}
        Lookup::Found {
            account_user,
            mut record,
        } => {
            if record.state == DeviceState::Pending {
                // Finish the confirmation with the session's access token when this client
                // kept it; either way the device is tried: if its confirmation did reach the
                // server it proves itself, else the server answers "Device does not exist."
                // and the sign-in starts over without it (devices::pending).
                match pending::finish(&conv.pool, &conv.trips, name, None).await {
                    Ok(Some(_)) => {
                        if let Lookup::Found { record: now, .. } =
                            conv.pool.records.find(name).await?
                        {
                            record = now;
                        }
                    }
                    Ok(None) => return Ok(()),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not finish the pending confirmation")
                    }
                }
            }
            conv.device = Some(UsedDevice {
                account_user,
                record,
            });
        }
        Lookup::Unreadable {
            account_user,
            reason,
            device_key,
        } => {
            tracing::warn!(%reason, "the stored device record is unreadable; it will be replaced");
            if !conv.stale.iter().any(|s| s.account_user == account_user) {
                conv.stale.push(StaleDevice {
                    account_user,
                    device_key,
                });
            }
        }
    }
    Ok(())
}
