//! New tokens from a refresh token: GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH on endpoints
//! that predate it), with the DeviceKey the token is bound to (docs/protocol.md 5.3).

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, AuthenticationResultType};

use crate::devices::{self, LocalDevice, NewDevice, pending};
use crate::error::Error;
use crate::ids::{DeviceGroupKey, DeviceKey, UserIdForSrp};
use crate::pool::Pool;
use crate::srp::param;
use crate::store::DeviceState;
use crate::store::record::Lookup;
use crate::tokens::Tokens;
use crate::transport::{Failure, Retry, RoundTrips, with_retry};

/// Refreshes `username`'s session (see [`Client::refresh`](crate::Client::refresh)).
pub(crate) async fn refresh(
    pool: &Pool,
    username: &str,
    refresh_token: &str,
) -> Result<Tokens, Error> {
    refresh_bound(pool, username, refresh_token, None).await
}

/// The same, for a session that knows the DeviceKey its tokens are bound to (`bound`, from
/// the access token's `device_key` claim): no look-up by name can miss it.
pub(crate) async fn refresh_bound(
    pool: &Pool,
    username: &str,
    refresh_token: &str,
    bound: Option<DeviceKey>,
) -> Result<Tokens, Error> {
    let trips = RoundTrips::default();
    let pending = finish_pending(pool, &trips, username).await?;
    // The stored device, pending or confirmed: the token is bound to it.
    let (stored, internal) = match pool.records.find(username).await? {
        Lookup::Found {
            record,
            account_user,
        } => (Some(record.device_key), account_user),
        // A device confirmed in this process whose secret could not be stored.
        _ => (pool.kept.unstored(username), username.to_owned()),
    };
    let device_key = bound.or(stored);
    let internal = UserIdForSrp::new(internal);
    let sent = get_tokens(pool, &trips, refresh_token, device_key.as_ref()).await;
    let result = match sent {
        Ok(result) => result,
        Err(f) if f.is_unknown_operation() => {
            refresh_token_auth(pool, &trips, refresh_token, device_key.as_ref(), &internal).await?
        }
        // The confirmation may have reached the server, so the refresh was tried; it did not.
        Err(f) if pending.is_some() && f.is_refused() => {
            let key = pending.map(|d| d.device_key).unwrap_or_default();
            return Err(Error::DevicePending(format!(
                "Cognito refused the refresh token bound to device {key} ({}); call \
                 confirm_pending_device with this session's tokens while they are valid, \
                 then refresh, or sign in again",
                f.message().unwrap_or("NotAuthorizedException")
            )));
        }
        Err(f) => return Err(f.into()),
    };
    let mut tokens = Tokens::from_result(&result)?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh_token.to_owned());
    }
    new_device(pool, &trips, &result, &tokens, username, internal).await;
    Ok(tokens)
}

/// Finishes a pending confirmation first; returns the device when it is still pending.
async fn finish_pending(
    pool: &Pool,
    trips: &RoundTrips,
    username: &str,
) -> Result<Option<LocalDevice>, Error> {
    match pending::finish(pool, trips, username, None).await {
        Ok(device) => Ok(device.filter(|d| !d.confirmed)),
        // Retry later: refreshing now could only fail for the same reason.
        Err(e) if e.is_retryable() => Err(e),
        Err(e) => {
            tracing::warn!(error = %e, "could not finish the pending device confirmation");
            Ok(pool
                .records
                .find(username)
                .await?
                .found()
                .filter(|r| r.state != DeviceState::Confirmed)
                .map(|r| LocalDevice::from_record(&r)))
        }
    }
}

/// GetTokensFromRefreshToken. Transient failures are retried at once: with refresh token
/// rotation on, the server may already have rotated the token, and the old one works only
/// within the app client's grace period (0 to 60 s).
async fn get_tokens(
    pool: &Pool,
    trips: &RoundTrips,
    refresh_token: &str,
    device_key: Option<&DeviceKey>,
) -> Result<AuthenticationResultType, Failure> {
    let out = with_retry(Retry::Transient, trips, || {
        let mut call = pool
            .sdk
            .get_tokens_from_refresh_token()
            .client_id(&pool.client_id)
            .refresh_token(refresh_token)
            .set_device_key(device_key.map(String::from));
        if let Some(secret) = &pool.client_secret {
            call = call.client_secret(secret.expose());
        }
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    out.authentication_result
        .ok_or_else(|| Failure::BadResponse {
            status: None,
            text: "GetTokensFromRefreshToken without a result".into(),
        })
}

/// The older flow, for an endpoint that predates GetTokensFromRefreshToken. Its SECRET_HASH is
/// over the user's internal name, never the alias typed.
async fn refresh_token_auth(
    pool: &Pool,
    trips: &RoundTrips,
    refresh_token: &str,
    device_key: Option<&DeviceKey>,
    internal: &UserIdForSrp,
) -> Result<AuthenticationResultType, Error> {
    let mut parameters = HashMap::from([("REFRESH_TOKEN".to_owned(), refresh_token.to_owned())]);
    if let Some(key) = device_key {
        parameters.insert(param::DEVICE_KEY.to_owned(), key.to_string());
    }
    if let Some(hash) = pool.secret_hash(internal) {
        parameters.insert(param::SECRET_HASH.to_owned(), hash);
    }
    let out = with_retry(Retry::Transient, trips, || {
        let call = pool
            .sdk
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .set_auth_parameters(Some(parameters.clone()));
        async move { call.send().await.map_err(Failure::from) }
    })
    .await?;
    out.authentication_result
        .ok_or_else(|| Error::InvalidServerAnswer("REFRESH_TOKEN_AUTH without a result".into()))
}

/// A new device issued with the refresh (no confirmed key was sent): confirm and store it, so
/// the next refresh sends it.
async fn new_device(
    pool: &Pool,
    trips: &RoundTrips,
    result: &AuthenticationResultType,
    tokens: &Tokens,
    username: &str,
    internal: UserIdForSrp,
) {
    let Some(metadata) = result.new_device_metadata() else {
        return;
    };
    let (Some(key), Some(group)) = (metadata.device_key(), metadata.device_group_key()) else {
        return;
    };
    let internal = crate::tokens::claim(&tokens.access_token, "username")
        .map(UserIdForSrp::new)
        .unwrap_or(internal);
    let aliases = if internal.as_str() != username {
        vec![username.to_owned()]
    } else {
        Vec::new()
    };
    let _guard = pool.record_lock.lock().await;
    let (key, group) = (DeviceKey::new(key), DeviceGroupKey::new(group));
    if let NewDevice::Failed { warning, .. } =
        devices::confirm_new_device(pool, trips, tokens, &internal, aliases, &key, &group).await
    {
        tracing::warn!(%warning, "the device issued with the refresh could not be confirmed");
    }
}
