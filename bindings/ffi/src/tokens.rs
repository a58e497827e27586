//! The tokens, as the bindings see them: a copy of the core's (which wipe themselves on drop)
//! that uniffi can hand over.

use std::fmt;
use std::time::SystemTime;

/// Cognito's tokens. Secrets: `toString()` / `description` print them as `[redacted]`; keep
/// the refresh token in encrypted storage.
#[derive(Clone, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Tokens {
    /// The ID token (a JWT with the user's attributes).
    pub id_token: String,
    /// The access token (a JWT for Cognito's user APIs and your own).
    pub access_token: String,
    /// The refresh token, when the call returned one.
    pub refresh_token: Option<String>,
    /// The token type, normally `Bearer`.
    pub token_type: String,
    /// When the ID and access tokens expire.
    pub expires_at: SystemTime,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("id_token", &"[redacted]")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl fmt::Display for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<cognito_device_auth::Tokens> for Tokens {
    fn from(t: cognito_device_auth::Tokens) -> Self {
        Self {
            id_token: t.id_token.clone(),
            access_token: t.access_token.clone(),
            refresh_token: t.refresh_token.clone(),
            token_type: t.token_type.clone(),
            expires_at: t.expires_at,
        }
    }
}

impl From<Tokens> for cognito_device_auth::Tokens {
    fn from(t: Tokens) -> Self {
        Self {
            id_token: t.id_token,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            token_type: t.token_type,
            expires_at: t.expires_at,
        }
    }
}
