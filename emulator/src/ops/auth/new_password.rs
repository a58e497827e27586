//! NEW_PASSWORD_REQUIRED: a user created by an administrator (FORCE_CHANGE_PASSWORD) sets a
//! password of their own, and may send attributes with it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::flow::{Answer, Flow};
use crate::error::{ApiError, ApiResult};
use crate::ops::param;
use crate::ops::users::{check_password_policy, set_password};
use crate::store::{Store, User};

/// The challenge's parameters: the user's attributes but `sub`.
pub(super) fn parameters(flow: &Flow, user: &User) -> Value {
    let mut attributes = user.attributes.clone();
    attributes.remove("sub");
    json!({
        "USER_ID_FOR_SRP": flow.username,
        "requiredAttributes": "[]",
        "userAttributes": serde_json::to_string(&attributes).unwrap_or_default(),
    })
}

/// NEW_PASSWORD: checked against the pool's policy (a refused one may be tried again), set, and
/// the user confirmed; `userAttributes.NAME` answers set attributes.
pub(super) fn answer(
    store: &mut Store,
    flow: &mut Flow,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Answer> {
    let password = param(responses, "NEW_PASSWORD")?;
    let pool = store.pool_mut(&flow.pool_id)?;
    if let Err(e) = check_password_policy(pool, password) {
        return Ok(Answer::Retry(e));
    }
    let pool_name = pool.srp_pool_name().to_owned();
    let user = pool
        .users
        .get_mut(&flow.username)
        .ok_or_else(ApiError::user_not_found)?;
    set_password(&pool_name, user, password);
    user.status = "CONFIRMED".into();
    flow.new_password_set = true;
    for (name, value) in responses {
        if let Some(attribute) = name.strip_prefix("userAttributes.") {
            user.attributes.insert(attribute.to_owned(), value.clone());
        }
    }
    Ok(Answer::Passed)
}
