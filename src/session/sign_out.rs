//! Signing out a kept session: what is cleared here at once, what the server is asked, and a
//! report of what it did.

use super::{current, handed_out, refreshed, resolve, valid_for};
use crate::devices;
use crate::error::Error;
use crate::ids::{DeviceKey, UserIdForSrp};
use crate::pool::{Pool, SessionEvent};
use crate::tokens::Tokens;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// Which sessions [`Client::sign_out`](crate::Client::sign_out) ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignOutScope {
    /// This session only: its refresh token is revoked (RevokeToken).
    ThisSession,
    /// Every session of the user on every device (GlobalSignOut).
    Everywhere,
}

/// How to sign out ([`Client::end_session`](crate::Client::end_session)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignOut {
    /// This session (RevokeToken of its refresh token) or every session of the user on every
    /// device (GlobalSignOut).
    pub scope: SignOutScope,
    /// Also forget this device (ForgetDevice, then its local secret): the next sign-in here
    /// answers MFA. Otherwise the device stays remembered and the next sign-in skips MFA.
    pub forget_device: bool,
}

impl SignOut {
    /// This session only; the device stays remembered.
    pub fn this_session() -> Self {
        Self {
            scope: SignOutScope::ThisSession,
            forget_device: false,
        }
    }

    /// Every session of the user (GlobalSignOut); the device stays remembered.
    pub fn everywhere() -> Self {
        Self {
            scope: SignOutScope::Everywhere,
            forget_device: false,
        }
    }

    /// The same, and forget this device too.
    pub fn and_forget_device(mut self) -> Self {
        self.forget_device = true;
        self
    }
}

/// What a sign-out did. The session is always gone from this device when it returns; the
/// server's part may not be done (offline): `server_error` says why, and `retry_with` holds
/// the tokens to finish it later with [`Client::sign_out`](crate::Client::sign_out).
#[derive(Debug)]
pub struct SignOutReport {
    /// Whose session it was (the internal user name).
    pub username: UserIdForSrp,
    /// Why the server's part (ForgetDevice, RevokeToken or GlobalSignOut) is not done.
    pub server_error: Option<Error>,
    /// The device was forgotten on the server (asked for, and done).
    pub device_forgotten: bool,
    /// The tokens to finish the server's part with, when it is not done: RevokeToken or
    /// GlobalSignOut with [`Client::sign_out`](crate::Client::sign_out) (GlobalSignOut needs
    /// the access token still valid), then ForgetDevice of `device_to_forget`.
    pub retry_with: Option<Tokens>,
    /// The device to forget on the server, when that was asked and not done (its local secret
    /// is already deleted): [`Client::forget_device`](crate::Client::forget_device) with it.
    pub device_to_forget: Option<DeviceKey>,
}

impl SignOutReport {
    /// Whether the server did everything asked.
    pub fn server_done(&self) -> bool {
        self.server_error.is_none()
    }
}

/// Signs the session of `name` (`None`: the current one) out.
pub(crate) async fn sign_out(
    pool: &Pool,
    name: Option<&str>,
    how: SignOut,
) -> Result<SignOutReport, Error> {
    let state = &pool.sessions;
    state.config.ok_or_else(super::not_kept)?;
    let username = resolve(state, name).await?;
    let gate = state.gate(&username);
    let mut held = gate.held.lock().await;
    let mut record = current(state, &username, &mut held).await?;
    let mut server_error = None;
    let needs_access = how.scope == SignOutScope::Everywhere || how.forget_device;
    if needs_access && !valid_for(state, &record, 10) {
        match refreshed(pool, &record).await {
            Ok(new) => record = new,
            Err(e) => server_error = Some(e),
        }
    }
    let tokens = handed_out(state, &record, false).tokens;
    // Here first: whatever the server says, this device is signed out now.
    state.entries.delete(&username).await?;
    state.saved(&username);
    *held = None;
    drop(held);
    // The session's own device (from its access token), else the one stored for the user.
    let device = match record.device_key.clone().map(DeviceKey::new) {
        Some(key) => Some(key),
        None => devices::current(pool, &username)
            .await?
            .map(|d| d.device_key),
    };
    let mut device_forgotten = false;
    let mut device_to_forget = None;
    if how.forget_device
        && let Some(key) = device
    {
        if server_error.is_none() {
            match devices::forget(pool, &tokens, &username, Some(&key)).await {
                Ok(()) => device_forgotten = true,
                Err(e) => server_error = Some(e),
            }
        }
        if !device_forgotten {
            devices::forget_locally(pool, &username).await?;
            device_to_forget = Some(key);
        }
    }
    if server_error.is_none()
        && let Err(e) = revoke(pool, &tokens, how.scope).await
    {
        server_error = Some(e);
    }
    let username = UserIdForSrp::new(username);
    state.emit(SessionEvent::SignedOut(username.clone()));
    Ok(SignOutReport {
        retry_with: server_error.is_some().then_some(tokens),
        username,
        server_error,
        device_forgotten,
        device_to_forget,
    })
}

/// The server's part of a sign-out: RevokeToken of the refresh token, or GlobalSignOut.
pub(crate) async fn revoke(pool: &Pool, tokens: &Tokens, scope: SignOutScope) -> Result<(), Error> {
    let trips = RoundTrips::default();
    match scope {
        SignOutScope::Everywhere => {
            with_retry(Retry::Transient, &trips, || {
                let call = pool
                    .sdk
                    .global_sign_out()
                    .access_token(&tokens.access_token);
                async move { call.send().await.map(|_| ()).map_err(Failure::from) }
            })
            .await?;
        }
        SignOutScope::ThisSession => {
            let refresh = tokens.refresh_token.as_deref().ok_or_else(|| {
                Error::Misuse("signing out this session needs its refresh token".into())
            })?;
            with_retry(Retry::Transient, &trips, || {
                let mut call = pool
                    .sdk
                    .revoke_token()
                    .client_id(&pool.client_id)
                    .token(refresh);
                if let Some(secret) = &pool.client_secret {
                    call = call.client_secret(secret.expose());
                }
                async move { call.send().await.map(|_| ()).map_err(Failure::from) }
            })
            .await?;
        }
    }
    Ok(())
}
