//! What `Client::prepare` saves: a remembered-device sign-in (4 round trips) through a TCP
//! proxy with a real round-trip time (default 50 ms: 25 ms each way on every chunk, and one
//! round trip for a new connection's handshake), by a client that connects when the sign-in
//! starts (cold) and by one that called `prepare()` while the user typed (prepared).
//!
//! `cargo bench --bench prewarm [-- RTT_MS [RUNS]]` (defaults: 50 ms, 15 runs); prints the
//! median and the spread of each. The emulator speaks plain HTTP: a real endpoint's TLS
//! handshake (one more round trip with TLS 1.3, two with 1.2) would widen the gap.

use std::time::{Duration, Instant};

use cognito_device_auth::{Client, ClientConfig, SignInStep};
use cognito_emulator::testkit::{DelayProxy, PoolSetup, TestPool};

fn median(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    (
        samples[0],
        samples[samples.len() / 2],
        samples[samples.len() - 1],
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; the numbers are the arguments that parse.
    let numbers: Vec<u64> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let rtt = Duration::from_millis(numbers.first().copied().unwrap_or(50));
    let runs = numbers.get(1).copied().unwrap_or(15) as usize;
    let pool = TestPool::start(PoolSetup::default()).await;
    pool.user("alice", &[]).await;
    let upstream = pool
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .expect("the emulator's address");
    let proxy = DelayProxy::start(upstream, rtt / 2).await;
    let store = std::sync::Arc::new(cognito_device_auth::store::MemoryStore::new());
    let client = |store: std::sync::Arc<cognito_device_auth::store::MemoryStore>| {
        Client::new(
            ClientConfig::new(&pool.pool_id, &pool.client_id)
                .with_endpoint(proxy.endpoint())
                .with_store(store)
                .with_device_name("bench"),
        )
        .expect("a client")
    };
    // Remember the device once.
    let first = client(store.clone());
    match first
        .sign_in("alice", "Correct-Horse-9")
        .await
        .expect("sign-in")
    {
        SignInStep::SmsCode(step) => {
            step.submit(&pool.last_sms_code("alice"))
                .await
                .expect("the code")
                .done()
                .expect("signed in");
        }
        other => panic!("expected the SMS step, got {}", other.name()),
    }
    let mut cold = Vec::new();
    let mut prepared = Vec::new();
    for _ in 0..runs {
        for warm in [false, true] {
            let fresh = client(store.clone());
            if warm {
                fresh.prepare().await.expect("prepare");
            }
            let started = Instant::now();
            let step = fresh
                .sign_in("alice", "Correct-Horse-9")
                .await
                .expect("sign-in");
            let elapsed = started.elapsed();
            let done = step.done().expect("a remembered device: no MFA step");
            assert!(done.device.skipped_mfa && done.round_trips == 4);
            if warm {
                prepared.push(elapsed)
            } else {
                cold.push(elapsed)
            }
        }
    }
    println!(
        "remembered-device sign-in (4 round trips), RTT {} ms, {runs} runs each:",
        rtt.as_millis()
    );
    for (name, samples) in [("cold", cold), ("prepared", prepared)] {
        let (min, mid, max) = median(samples);
        println!(
            "  {name:<9} median {}  (min {}, max {})",
            ms(mid),
            ms(min),
            ms(max)
        );
    }
    println!(
        "  connections opened through the proxy: {}",
        proxy.connections()
    );
}
