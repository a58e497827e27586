//! Many sign-ins at once: no lost updates.

use std::time::Instant;

use crate::common::{Fixture, options};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_sign_ins_and_device_confirmations() {
    let f = std::sync::Arc::new(Fixture::start(options()).await);
    let mut names = Vec::new();
    for i in 0..10 {
        let name = format!("user{i}");
        f.user_with(&name, &[]).await;
        names.push(name);
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let f = f.clone();
            let name = names[i % names.len()].clone();
            tokio::spawn(async move {
                let out = f.sign_in(&name, None).await;
                let result = out.authentication_result().expect("tokens").clone();
                let (device, _) = f.confirm_device(&result).await;
                // And straight back in with the new device (DEVICE_SRP_AUTH).
                let again = f.sign_in(&name, Some(&device)).await;
                assert!(again.authentication_result().is_some());
                (name, device.key)
            })
        })
        .collect();
    let results = futures::future::join_all(tasks).await;
    let elapsed = started.elapsed();
    let results: Vec<(String, String)> = results.into_iter().map(|r| r.expect("task")).collect();
    eprintln!(
        "50 users x (SRP sign-in + ConfirmDevice + device sign-in) in {:.2}s: {:.1} SRP sign-ins/s",
        elapsed.as_secs_f64(),
        100.0 / elapsed.as_secs_f64()
    );
    // Every device landed: each user has exactly the devices its sign-ins confirmed.
    for name in &names {
        let listed = f
            .admin
            .admin_list_devices()
            .user_pool_id(&f.pool_id)
            .username(name)
            .limit(60)
            .send()
            .await
            .unwrap();
        let mut listed: Vec<String> = listed
            .devices()
            .iter()
            .filter_map(|d| d.device_key().map(str::to_owned))
            .collect();
        let mut expected: Vec<String> = results
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, k)| k.clone())
            .collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected, "{name}");
    }
}
