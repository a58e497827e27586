//! What comes after the password: see the module docs of `auth`.

use serde_json::{Value, json};

use super::flow::{Flow, challenge as open_challenge};
use super::{confirmed_device, device_srp, mfa, mfa_setup, new_password, select_mfa};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::ops::tokens::{Grant, issue_for_sign_in};
use crate::store::{Device, Pool, Stage, Store, User};

/// What comes after the password: see the module docs.
pub(super) fn continue_flow(app: &App, store: &mut Store, mut flow: Flow) -> ApiResult<Value> {
    let pool = store.pool(&flow.pool_id)?;
    let user = pool
        .users
        .get(&flow.username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status == "FORCE_CHANGE_PASSWORD" {
        let parameters = new_password::parameters(&flow, user);
        let stage = Stage::NewPasswordRequired;
        return Ok(open_challenge(app, store, &flow, stage, parameters));
    }
    let device = presented_device(app, pool, user, &mut flow)?;
    if !flow.mfa_done
        && !device.replaces_mfa
        && let Some(stage) = mfa::mfa_stage(pool, user)
    {
        let parameters = match &stage {
            Stage::SelectMfaType => select_mfa::parameters(pool, user),
            Stage::MfaSetup { .. } => mfa_setup::parameters(),
            _ => json!({}),
        };
        // SMS and e-mail steps send their code.
        return match stage {
            Stage::SmsMfa { .. } => mfa::sms_challenge(app, store, &flow),
            Stage::EmailOtp { .. } => mfa::email_challenge(app, store, &flow),
            stage => Ok(open_challenge(app, store, &flow, stage, parameters)),
        };
    }
    flow.mfa_done = true;
    // A not_remembered device after MFA: whether DEVICE_SRP_AUTH still follows is not settled
    // (fidelity switch `not-remembered-device-proves`); without it the tokens come at once,
    // bound to the device presented.
    let device_step = device.remembered || app.fidelity().not_remembered_device_proves;
    if flow.device_key.is_some() && device_step {
        return Ok(device_srp::challenge(app, store, &flow));
    }
    issue_for_sign_in(
        app,
        store,
        Grant {
            pool_id: &flow.pool_id,
            client_id: &flow.client_id,
            username: &flow.username,
            device_key: flow.device_key.clone(),
            first_factor: flow.first_factor,
        },
    )
}

/// The device a sign-in presents, as far as the next steps care.
#[derive(Debug, Clone, Copy, Default)]
struct PresentedDevice {
    /// A remembered device that stands in for MFA in this sign-in.
    replaces_mfa: bool,
    /// The device is remembered (whether or not it replaces MFA).
    remembered: bool,
}

/// The device check: a DEVICE_KEY that is unknown, forgotten or another user's is refused; a
/// pool that does not track devices drops it.
fn presented_device(
    app: &App,
    pool: &Pool,
    user: &User,
    flow: &mut Flow,
) -> ApiResult<PresentedDevice> {
    let mut presented = PresentedDevice::default();
    if let (Some(config), Some(key)) = (&pool.device_configuration, &flow.device_key) {
        let device = confirmed_device(pool, key, &flow.username)?;
        presented.remembered = device.remembered;
        presented.replaces_mfa = device.remembered
            && config.challenge_required_on_new_device
            && !mfa_owed_despite_device(app, pool, user, device, flow);
    } else if pool.device_configuration.is_none() {
        // A pool that does not track devices ignores DEVICE_KEY.
        flow.device_key = None;
    }
    Ok(presented)
}

/// Whether a remembered device still owes MFA in this sign-in, under the behaviours no public
/// source settles (the fidelity switches): an e-mail code (the API reference says a
/// remembered device replaces "SMS and TOTP factors"), the sign-in that set a new password,
/// and the first sign-in after MFA was switched on.
fn mfa_owed_despite_device(
    app: &App,
    pool: &Pool,
    user: &User,
    device: &Device,
    flow: &Flow,
) -> bool {
    let fidelity = app.fidelity();
    let email = matches!(mfa::mfa_stage(pool, user), Some(Stage::EmailOtp { .. }));
    (email && !fidelity.remembered_device_skips_email_otp)
        || (flow.new_password_set && fidelity.mfa_after_new_password)
        || (fidelity.mfa_after_mfa_enabled
            && pool.mfa_enabled_at.max(user.mfa_enabled_at) > device.mfa_verified_at)
}
