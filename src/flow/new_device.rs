//! Tokens arrived: settle the device, then report. A new device (NewDeviceMetadata) is
//! confirmed and either remembered or put to the user; a device that was presented has its
//! record brought in line with what the server holds; unreadable records found at the start
//! are cleaned up.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::AuthenticationResultType;

use super::context::{Challenged, Presenting, Progress, SignIn, UsedDevice};
use super::outcome::{DeviceOutcome, SignedIn};
use super::steps::{RememberDeviceStep, SignInStep};
use crate::devices::{self, NewDevice, RememberedStatus};
use crate::error::Error;
use crate::ids::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use crate::pool::Pool;
use crate::store::DeviceState;
use crate::store::record::{Lookup, now_seconds};
use crate::tokens::Tokens;
use crate::transport::RoundTrips;

/// A new device: settled, or waiting for the user's "remember it?".
enum NewDeviceOutcome {
    Settled(DeviceOutcome),
    AskUser(DeviceKey, DeviceOutcome),
}

/// Settles the device once tokens arrived, and reports. The conversation ends here: the
/// password it may still hold (for a restart that can no longer happen) is dropped first.
pub(super) async fn tokens_arrived(
    conv: Challenged,
    result: &AuthenticationResultType,
) -> Result<SignInStep, Error> {
    let Challenged {
        mut ctx,
        user,
        presenting,
        progress,
    } = conv;
    let mut used = match presenting {
        Presenting::Device { used, password } => {
            drop(password);
            Some(used)
        }
        Presenting::Nothing => None,
    };
    let tokens = Tokens::from_result(result)?;
    clean_up_stale(&mut ctx, &tokens, used.as_ref()).await;

    let device = if let Some(metadata) = result.new_device_metadata() {
        let (Some(key), Some(group)) = (metadata.device_key(), metadata.device_group_key()) else {
            return Err(Error::InvalidServerAnswer(
                "NewDeviceMetadata without DeviceKey or DeviceGroupKey".into(),
            ));
        };
        let (key, group) = (DeviceKey::new(key), DeviceGroupKey::new(group));
        match new_device(&ctx, used, &tokens, &user, &key, &group).await {
            NewDeviceOutcome::Settled(outcome) => outcome,
            NewDeviceOutcome::AskUser(device_key, outcome) => {
                keep_session(&ctx, &user, &tokens, outcome.device_key.as_ref()).await;
                let done = signed_in(&ctx, progress, user, tokens, outcome);
                return Ok(SignInStep::RememberDevice(RememberDeviceStep {
                    pool: Arc::clone(&ctx.pool),
                    trips: RoundTrips::starting_at(done.round_trips),
                    device_key,
                    done,
                }));
            }
        }
    } else if let Some(used) = &mut used {
        presented_device(&ctx, progress, &tokens, used).await
    } else {
        DeviceOutcome::default()
    };
    keep_session(&ctx, &user, &tokens, device.device_key.as_ref()).await;
    Ok(SignInStep::Done(signed_in(
        &ctx, progress, user, tokens, device,
    )))
}

/// Keeps the session when the client keeps sessions (never fails the sign-in).
async fn keep_session(
    ctx: &SignIn,
    user: &UserIdForSrp,
    tokens: &Tokens,
    device_key: Option<&DeviceKey>,
) {
    let pool = &ctx.pool;
    let typed = ctx.typed.as_str();
    pool.sessions
        .keep(&pool.client_id, user, typed, tokens, device_key)
        .await;
}

fn signed_in(
    ctx: &SignIn,
    progress: Progress,
    username: UserIdForSrp,
    tokens: Tokens,
    device: DeviceOutcome,
) -> SignedIn {
    SignedIn {
        username,
        tokens,
        device,
        mfa: progress.mfa,
        round_trips: ctx.trips.get(),
    }
}

/// The server issued a new device: confirm and store it, or put it to the user when the pool
/// asks users whether to remember it.
async fn new_device(
    ctx: &SignIn,
    presented: Option<UsedDevice>,
    tokens: &Tokens,
    user: &UserIdForSrp,
    key: &DeviceKey,
    group: &DeviceGroupKey,
) -> NewDeviceOutcome {
    if let Some(old) = presented {
        // The server issued a new device although we presented one: the old one is of no
        // further use; forget it (best effort) so it does not linger in the user's list. It is
        // not this session's device (that is the new one).
        best_effort_forget(&ctx.pool, &ctx.trips, tokens, &old.record.device_key).await;
    }
    let aliases = if ctx.typed.as_str() != user.as_str() {
        vec![ctx.typed.to_string()]
    } else {
        Vec::new()
    };
    let confirmed =
        devices::confirm_new_device(&ctx.pool, &ctx.trips, tokens, user, aliases, key, group).await;
    let mut outcome = DeviceOutcome::default();
    match confirmed {
        NewDevice::Remembered(record) => {
            outcome.device_key = Some(record.device_key);
            outcome.newly_confirmed = true;
            outcome.remembered = true;
        }
        NewDevice::AskUser(record) => {
            outcome.device_key = Some(record.device_key.clone());
            outcome.newly_confirmed = true;
            return NewDeviceOutcome::AskUser(record.device_key, outcome);
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
    NewDeviceOutcome::Settled(outcome)
}

/// The device this sign-in presented: what it did, and its record brought in line with what
/// the server holds.
async fn presented_device(
    ctx: &SignIn,
    progress: Progress,
    tokens: &Tokens,
    used: &mut UsedDevice,
) -> DeviceOutcome {
    let mut outcome = DeviceOutcome {
        device_key: Some(used.record.device_key.clone()),
        proved: progress.device_proved,
        // Skipped means: the device proved itself and no code was asked in this sign-in.
        skipped_mfa: progress.device_proved && progress.mfa.is_none(),
        ..DeviceOutcome::default()
    };
    let mut changed = false;
    if used.record.state != DeviceState::Confirmed {
        // A sign-in with this DEVICE_KEY succeeded (proved or not), and the service refuses
        // unconfirmed keys ("Device does not exist."): an earlier ConfirmDevice did succeed.
        used.record.state = DeviceState::Confirmed;
        used.record.confirmed_at = Some(now_seconds());
        changed = true;
    }
    // Remembered is what the server holds. A skipped MFA agrees with a record that says
    // remembered; anything else (a code asked, a record that says not remembered, a device
    // that was pending) is settled with GetDevice. The sign-in succeeded with this
    // DEVICE_KEY, so the server knows the device.
    let consistent = outcome.skipped_mfa && used.record.remembered && !changed;
    if !consistent {
        let pool = &ctx.pool;
        match devices::server_remembered(pool, &ctx.trips, tokens, &used.record.device_key).await {
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
        ctx.pool.records.find(&used.account_user).await,
        Ok(Lookup::Found { record, .. }) if record.device_key == used.record.device_key
    );
    if changed
        && same
        && let Err(e) = ctx.pool.records.save(&used.record).await
    {
        tracing::warn!(error = %e, "could not update the device record");
    }
    outcome.remembered = used.record.remembered && outcome.warning.is_none();
    outcome
}

/// The app's answer to "remember this device?" (UpdateDeviceStatus). The sign-in is complete
/// either way: a failure is reported in the outcome's warning, never by losing the tokens.
pub(super) async fn answer_remember(
    pool: &Pool,
    trips: &RoundTrips,
    mut done: SignedIn,
    status: RememberedStatus,
) -> SignedIn {
    let Some(device_key) = done.device.device_key.clone() else {
        return done;
    };
    match devices::update_status(pool, trips, &done.tokens, &device_key, status).await {
        Ok(()) => {
            done.device.remembered = status.is_remembered();
            if let Err(e) = devices::store_status(pool, &done.username, &device_key, status).await {
                done.device.warning = Some(format!("the device record could not be updated ({e})"));
            }
        }
        Err(e) => {
            done.device.warning = Some(format!("UpdateDeviceStatus failed: {e}"));
        }
    }
    done.round_trips = trips.get();
    done
}

/// Forgets the devices of unreadable records found at the start, now that there is an access
/// token (docs/protocol.md 5.6: the user simply does MFA once). Never this sign-in's device.
async fn clean_up_stale(ctx: &mut SignIn, tokens: &Tokens, used: Option<&UsedDevice>) {
    for stale in std::mem::take(&mut ctx.stale) {
        if let Some(key) = &stale.device_key
            && devices::forget_on_server(&ctx.pool, &ctx.trips, &tokens.access_token, key)
                .await
                .is_err()
        {
            // Keep the record: the next sign-in tries again.
            continue;
        }
        // Never delete the record this sign-in is using.
        if used.is_some_and(|d| d.account_user == stale.account_user) {
            continue;
        }
        if let Err(e) = ctx.pool.records.delete(&stale.account_user, &[]).await {
            tracing::warn!(error = %e, "could not delete a stale device record");
        }
    }
}

async fn best_effort_forget(pool: &Pool, trips: &RoundTrips, tokens: &Tokens, key: &DeviceKey) {
    if let Err(e) = devices::forget_on_server(pool, trips, &tokens.access_token, key).await {
        tracing::warn!(error = %e, "could not forget the device on the server");
    }
}
