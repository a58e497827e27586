//! `--state FILE` (pools, users, devices and refresh tokens kept across restarts, written
//! atomically after every successful operation) and `--seed FILE` (pools, clients and users
//! created at start).
//!
//! Seed format:
//! ```json
//! {"pools": [{"Id": "us-east-1_Seed00001", "PoolName": "demo", "MfaConfiguration": "OPTIONAL",
//!             "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true},
//!             "Clients": [{"ClientId": "democlient", "ClientName": "app", "GenerateSecret": false}],
//!             "Users": [{"Username": "alice", "Password": "Passw0rd!",
//!                        "Attributes": {"email": "alice@example.com", "phone_number": "+15555550100"}}]}]}
//! ```
//! Every member of CreateUserPool / CreateUserPoolClient is accepted; `Id` and `ClientId`
//! (and `ClientSecret`) fix the generated ids. Pools that already exist (from the state file)
//! are left alone.

use std::path::Path;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::app::App;
use crate::error::ApiError;
use crate::ops::{self, Req};
use crate::store::Store;

static WRITE: Mutex<()> = Mutex::new(());

/// Loads a state file, or an empty store when there is none.
pub fn load(path: &Path) -> std::io::Result<Store> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(std::io::Error::other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Store::default()),
        Err(e) => Err(e),
    }
}

/// Writes the state file atomically (temporary file + rename). Errors are logged, not fatal.
pub fn save(app: &App) {
    let Some(path) = &app.config.state_file else {
        return;
    };
    let _order = WRITE.lock().unwrap_or_else(|p| p.into_inner());
    let text = match serde_json::to_vec_pretty(&*app.store()) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "could not serialise state");
            return;
        }
    };
    let tmp = path.with_extension("tmp");
    if let Err(e) = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path)) {
        tracing::warn!(error = %e, path = %path.display(), "could not write state file");
    }
}

/// Applies a seed file.
pub fn seed(app: &App, path: &Path) -> Result<(), String> {
    let text =
        std::fs::read(path).map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
    let seed: Value =
        serde_json::from_slice(&text).map_err(|e| format!("invalid seed JSON: {e}"))?;
    apply_seed(app, &seed)
}

/// Applies a seed document (the format above).
pub fn apply_seed(app: &App, seed: &Value) -> Result<(), String> {
    let fail = |e: ApiError| e.to_string();
    for pool in seed["pools"].as_array().cloned().unwrap_or_default() {
        if let Some(id) = pool["Id"].as_str()
            && app.store().pools.contains_key(id)
        {
            continue;
        }
        let created = ops::provisioning::create_user_pool(app, Req(&pool)).map_err(fail)?;
        let mut pool_id = created["UserPool"]["Id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some(id) = pool["Id"].as_str() {
            let mut store = app.store();
            if let Some(mut p) = store.pools.remove(&pool_id) {
                p.id = id.to_owned();
                store.pools.insert(id.to_owned(), p);
            }
            pool_id = id.to_owned();
        }
        for client in pool["Clients"].as_array().cloned().unwrap_or_default() {
            let mut request = client.clone();
            request["UserPoolId"] = json!(pool_id);
            if client["ClientSecret"].is_string() {
                request["GenerateSecret"] = json!(true);
            }
            let created =
                ops::provisioning::create_user_pool_client(app, Req(&request)).map_err(fail)?;
            let generated = created["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let mut store = app.store();
            let p = store.pool_mut(&pool_id).map_err(fail)?;
            if let Some(mut c) = p.clients.remove(&generated) {
                if let Some(id) = client["ClientId"].as_str() {
                    c.id = id.to_owned();
                }
                if let Some(secret) = client["ClientSecret"].as_str() {
                    c.secret = Some(secret.to_owned());
                }
                p.clients.insert(c.id.clone(), c);
            }
        }
        for user in pool["Users"].as_array().cloned().unwrap_or_default() {
            let attributes: Vec<Value> = user["Attributes"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| json!({ "Name": k, "Value": v }))
                        .collect()
                })
                .unwrap_or_default();
            let username = user["Username"].as_str().unwrap_or_default();
            ops::users::admin_create_user(
                app,
                Req(&json!({ "UserPoolId": pool_id, "Username": username, "UserAttributes": attributes, "MessageAction": "SUPPRESS" })),
            )
            .map_err(fail)?;
            if let Some(password) = user["Password"].as_str() {
                ops::users::admin_set_user_password(
                    app,
                    Req(&json!({ "UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": true })),
                )
                .map_err(fail)?;
            }
        }
    }
    Ok(())
}
