//! The tokens a sign-in or a refresh returns.

use std::fmt;
use std::time::{Duration, SystemTime};

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Cognito's tokens. Secrets: wiped on drop, never printed by `Debug`, and not `PartialEq` (a
/// byte-by-byte comparison of secrets leaks through timing).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Tokens {
    /// The ID token (a JWT with the user's attributes).
    pub id_token: String,
    /// The access token (a JWT for Cognito's user APIs and your own).
    pub access_token: String,
    /// The refresh token, when the call returned one (a refresh may not).
    pub refresh_token: Option<String>,
    /// The token type, normally `Bearer`.
    pub token_type: String,
    /// When the ID and access tokens expire.
    #[zeroize(skip)]
    pub expires_at: SystemTime,
}

impl Tokens {
    pub(crate) fn from_result(
        result: &aws_sdk_cognitoidentityprovider::types::AuthenticationResultType,
    ) -> Result<Self, crate::Error> {
        let missing = |what: &str| {
            crate::Error::InvalidServerAnswer(format!("AuthenticationResult without {what}"))
        };
        Ok(Self {
            id_token: result
                .id_token()
                .ok_or_else(|| missing("IdToken"))?
                .to_owned(),
            access_token: result
                .access_token()
                .ok_or_else(|| missing("AccessToken"))?
                .to_owned(),
            refresh_token: result.refresh_token().map(str::to_owned),
            token_type: result.token_type().unwrap_or("Bearer").to_owned(),
            expires_at: SystemTime::now()
                + Duration::from_secs(u64::try_from(result.expires_in()).unwrap_or(0)),
        })
    }

    /// Seconds until the ID and access tokens expire (0 when they have).
    pub fn expires_in(&self) -> Duration {
        self.expires_at
            .duration_since(SystemTime::now())
            .unwrap_or_default()
    }
}

/// A string claim of a JWT's payload, read without checking the signature: for values the
/// client itself needs from a token the server just sent over TLS (the internal `username` of
/// an access token), never for a decision about trust.
pub(crate) fn claim(jwt: &str, name: &str) -> Option<String> {
    payload(jwt)?.get(name)?.as_str().map(str::to_owned)
}

fn payload(jwt: &str) -> Option<serde_json::Value> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A numeric claim of a JWT's payload (`exp`, `iat`), read the same way as [`claim`].
pub(crate) fn claim_i64(jwt: &str, name: &str) -> Option<i64> {
    payload(jwt)?.get(name)?.as_i64()
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
            .field("expires_in", &self.expires_in())
            .finish()
    }
}
