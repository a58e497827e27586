//! SECRET_HASH for app clients that have a client secret (docs/protocol.md 3).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::encoding::base64_encode;
use super::secret::ClientSecret;

/// base64(HMAC-SHA256(key = client secret, message = username || client id)).
///
/// `username` is the name the request is about: as typed for InitiateAuth, and the
/// challenge's USERNAME (the internal name) for every challenge response afterwards, the device
/// steps included. Using the alias there gives "Unable to verify secret hash for client".
pub fn secret_hash(client_secret: &ClientSecret, username: &str, client_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(client_secret.expose().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64_encode(&mac.finalize().into_bytes())
}
