//! NEW_PASSWORD_REQUIRED: the first sign-in with a temporary password sets the user's own
//! password (and the attributes the pool requires). When a device is presented, the new
//! password replaces the one kept for a restart before the answer goes out (a restart without
//! the device within that very answer must send it, docs/protocol.md 5.2), and the old one
//! comes back if the server refuses it (`answers.rs`).

use std::collections::HashMap;

use super::context::json_list;
use crate::srp::Password;

/// The attributes the pool requires that the user has not set, without the
/// `userAttributes.` prefix.
pub(super) fn required_attributes(parameters: &HashMap<String, String>) -> Vec<String> {
    json_list(parameters.get("requiredAttributes"))
        .into_iter()
        .map(|a| a.trim_start_matches("userAttributes.").to_owned())
        .collect()
}

/// The NEW_PASSWORD_REQUIRED answer: the new password and the attributes.
pub(super) fn responses(
    new_password: &Password,
    attributes: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut responses =
        HashMap::from([("NEW_PASSWORD".to_owned(), new_password.expose().to_owned())]);
    for (name, value) in attributes {
        responses.insert(format!("userAttributes.{name}"), value.clone());
    }
    responses
}
