//! Kept sessions as the bindings see them: `session()`, `endSession()` and the session events
//! (a Kotlin `Flow` and a Swift `AsyncStream` are built on [`SessionListener`] in the
//! hand-written extensions).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use cognito_device_auth as core;
use cognito_device_auth::{SessionEndReason, SignOutScope};

use super::client::Client;
use super::error::CognitoError;
use super::tokens::Tokens;

/// Tokens of a kept session.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Session {
    /// The internal user name.
    pub username: String,
    /// Tokens valid for at least the margin asked (or the freshest the server gave).
    pub tokens: Tokens,
    /// The DeviceKey the tokens are bound to.
    pub device_key: Option<String>,
    /// Whether the tokens were refreshed for this call (by it or by a call it waited for).
    pub refreshed: bool,
    /// When the session ends (the refresh token's expiry), when the configuration gave the
    /// app client's refresh token validity.
    pub ends_at: Option<SystemTime>,
}

impl From<core::Session> for Session {
    fn from(s: core::Session) -> Self {
        Self {
            username: s.username.to_string(),
            tokens: s.tokens.clone().into(),
            device_key: s.device_key.map(|k| k.to_string()),
            refreshed: s.refreshed,
            ends_at: s.ends_at,
        }
    }
}

/// How to sign out.
#[derive(Debug, Clone, Copy, uniffi::Record)]
pub struct SignOut {
    /// This session (RevokeToken) or every session of the user (GlobalSignOut).
    pub scope: SignOutScope,
    /// Also forget this device (ForgetDevice, then its local secret).
    #[uniffi(default = false)]
    pub forget_device: bool,
}

/// What a sign-out did. The session is gone from this device; the server's part may not be
/// done (offline): `serverError` says why and `retryWith` holds the tokens to finish it with
/// `signOut`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SignOutReport {
    /// Whose session it was (the internal user name).
    pub username: String,
    /// Why the server's part is not done (null / nil: done).
    pub server_error: Option<String>,
    /// Whether trying the server's part again later can succeed.
    pub server_error_retryable: bool,
    /// The device was forgotten on the server.
    pub device_forgotten: bool,
    /// The tokens to finish the server's part with, when it is not done.
    pub retry_with: Option<Tokens>,
    /// The device to forget on the server when that was asked and not done (`forgetDevice`).
    pub device_to_forget: Option<String>,
}

/// Why the server ended a session.
#[uniffi::remote(Enum)]
#[non_exhaustive]
pub enum SessionEndReason {
    /// The refresh token was revoked (sign-out elsewhere, GlobalSignOut, an administrator).
    Revoked,
    /// The refresh token is past its validity.
    Expired,
    /// The refresh token was spent by rotation, and no newer one is in the store.
    RotatedAway,
    /// The user no longer exists.
    UserGone,
    /// The user is disabled.
    UserDisabled,
    /// The device the session is bound to was forgotten: its local secret is deleted too.
    DeviceForgotten,
    /// Cognito refused the refresh token for another reason.
    Refused,
}

/// What happened to a session.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SessionEvent {
    /// A sign-in completed and its session is kept.
    SignedIn { username: String },
    /// The session's tokens were refreshed.
    Refreshed { username: String },
    /// The app signed the user out.
    SignedOut { username: String },
    /// The server ended the session: the user must sign in again.
    Ended {
        username: String,
        reason: SessionEndReason,
    },
}

impl SessionEvent {
    fn from_core(e: core::SessionEvent) -> Option<Self> {
        Some(match e {
            core::SessionEvent::SignedIn(u) => Self::SignedIn {
                username: u.to_string(),
            },
            core::SessionEvent::Refreshed(u) => Self::Refreshed {
                username: u.to_string(),
            },
            core::SessionEvent::SignedOut(u) => Self::SignedOut {
                username: u.to_string(),
            },
            core::SessionEvent::Ended(u, reason) => Self::Ended {
                username: u.to_string(),
                reason,
            },
            _ => return None,
        })
    }
}

/// Receives session events (called on a background thread).
#[uniffi::export(with_foreign)]
pub trait SessionListener: Send + Sync {
    /// One event.
    fn on_event(&self, event: SessionEvent);
}

/// A running observation of session events; `cancel()` ends it.
#[derive(uniffi::Object)]
pub struct SessionObservation {
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[uniffi::export]
impl SessionObservation {
    /// Stops delivering events.
    pub fn cancel(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
    }
}

impl Drop for SessionObservation {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// Tokens of the kept session of `username` (as typed at sign-in, or the internal name;
    /// null / nil: the user who signed in last), valid for at least `minValidity` (null /
    /// nil: the configured margin), refreshed first when they are not. Concurrent callers
    /// share one refresh. Only the server's final answer ends a session (`SessionEnded`);
    /// a network error or a locked keychain is retryable and keeps everything. `NoSession`
    /// when none is kept.
    pub async fn session(
        &self,
        username: Option<String>,
        min_validity: Option<Duration>,
    ) -> Result<Session, CognitoError> {
        let name = username.as_deref();
        let session = match min_validity {
            Some(margin) => self.core().session_valid_for(name, margin).await?,
            None => self.core().session(name).await?,
        };
        Ok(session.into())
    }

    /// Signs the kept session out: cleared on this device at once, then the server asked
    /// (ForgetDevice when asked, then RevokeToken or GlobalSignOut).
    pub async fn end_session(
        &self,
        username: Option<String>,
        how: SignOut,
    ) -> Result<SignOutReport, CognitoError> {
        let how = core::SignOut {
            scope: how.scope,
            forget_device: how.forget_device,
        };
        let report = self.core().end_session(username.as_deref(), how).await?;
        Ok(SignOutReport {
            username: report.username.to_string(),
            server_error_retryable: report
                .server_error
                .as_ref()
                .is_some_and(|e| e.is_retryable()),
            server_error: report.server_error.map(|e| e.to_string()),
            device_forgotten: report.device_forgotten,
            retry_with: report.retry_with.map(Tokens::from),
            device_to_forget: report.device_to_forget.map(|k| k.to_string()),
        })
    }

    /// Delivers every later sign-in, refresh, sign-out and ended session to `listener`,
    /// until the observation is cancelled or dropped.
    pub async fn observe_sessions(
        &self,
        listener: Arc<dyn SessionListener>,
    ) -> Arc<SessionObservation> {
        let mut events = self.core().session_events();
        let task = tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(event) => {
                        if let Some(event) = SessionEvent::from_core(event) {
                            listener.on_event(event);
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        Arc::new(SessionObservation {
            task: Mutex::new(Some(task)),
        })
    }
}
