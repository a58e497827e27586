//! What the facade's tests share: an emulator in-process with one seeded pool, and a client of
//! it through the facade.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, ClientConfig};
use crate::store::SecretStore;

pub(crate) const PASSWORD: &str = "Correct-Horse-9";

/// Runs `test` on a multi-threaded runtime, with an in-process emulator seeded with `pool` (a
/// seed file's pool object; its first app client is used) and a facade client of it over
/// `store`.
pub(crate) fn with_client<F, Fut>(pool: serde_json::Value, store: Arc<dyn SecretStore>, test: F)
where
    F: FnOnce(cognito_emulator::Emulator, Arc<Client>) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let emulator = cognito_emulator::Emulator::start(Default::default())
            .await
            .expect("the emulator starts");
        let seed = serde_json::json!({ "pools": [pool.clone()] });
        emulator.seed(&seed).expect("seed");
        let client = Client::new(ClientConfig {
            user_pool_id: pool["Id"].as_str().expect("a pool id").into(),
            client_id: pool["Clients"][0]["ClientId"]
                .as_str()
                .expect("a client id")
                .into(),
            client_secret: None,
            endpoint: Some(emulator.endpoint()),
            device_name: None,
            keep_sessions: false,
            session_min_validity: None,
            timeout: Some(Duration::from_secs(5)),
            store: Some(store),
            keychain: None,
        })
        .expect("a client");
        test(emulator, client).await;
    });
}
