//! A bounded soak run on loopback: many sign-ins of many users, each on their own device
//! (own store), with remembered devices, refreshes and forgets mixed in and random faults
//! (throttling, internal errors, dropped connections) on every call. Reports sign-ins per
//! second and failures by kind, then checks that every user's final state is consistent: after
//! one clean sign-in, the device the server remembers is exactly the one stored locally.
//!
//! `cargo run --release --example soak [-- USERS SIGN_INS FAULT_RATE WORKERS]`
//! (defaults: 100 users, 1,000 sign-ins, 0.01, 8 workers). Exits non-zero on inconsistency.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_device_auth::store::MemoryStore;
use cognito_device_auth::{Client, ClientConfig, Error, SignInStep, SignedIn};
use cognito_emulator::{Emulator, EmulatorConfig};

#[path = "support/mod.rs"]
mod support;

use support::{PASSWORD, Result, add_user, provision};

struct User {
    name: String,
    client: Client,
    store: Arc<MemoryStore>,
}

#[derive(Default)]
struct Tally {
    sign_ins: u64,
    mfa_asked: u64,
    mfa_skipped: u64,
    refreshes: u64,
    forgets: u64,
    failures: BTreeMap<String, u64>,
}

fn kind(e: &Error) -> String {
    let name = format!("{e:?}");
    name.split(['(', ' ', '{']).next().unwrap_or("?").to_owned()
}

async fn sign_in(emulator: &Emulator, user: &User) -> std::result::Result<SignedIn, Error> {
    match user.client.sign_in(&user.name, PASSWORD).await? {
        SignInStep::Done(done) => Ok(done),
        SignInStep::SmsCode(sms) => {
            let code = emulator
                .sms_outbox(Some(&user.name))
                .last()
                .map(|m| m.code.clone())
                .unwrap_or_default();
            match sms.submit(&code).await? {
                SignInStep::Done(done) => Ok(done),
                other => Err(Error::InvalidStepAnswer(format!(
                    "unexpected {}",
                    other.name()
                ))),
            }
        }
        other => Err(Error::InvalidStepAnswer(format!(
            "unexpected {}",
            other.name()
        ))),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let users: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let sign_ins: usize = args.next().map_or(Ok(1_000), |a| a.parse())?;
    let fault_rate: f64 = args.next().map_or(Ok(0.01), |a| a.parse())?;
    let workers: usize = args.next().map_or(Ok(8), |a| a.parse())?;

    let emulator = Arc::new(Emulator::start(EmulatorConfig::default()).await?);
    let endpoint = emulator.endpoint();
    let (pool_id, client_id) = provision(&emulator).await?;
    let mut all = Vec::new();
    for i in 0..users {
        let name = format!("soak{i:03}");
        add_user(&emulator, &pool_id, &name).await?;
        let store = Arc::new(MemoryStore::new());
        let client = Client::new(
            ClientConfig::new(&pool_id, &client_id)
                .with_endpoint(&endpoint)
                .with_store(store.clone())
                .with_timeout(Duration::from_secs(5)),
        )?;
        all.push(Arc::new(User {
            name,
            client,
            store,
        }));
    }
    // Random faults on every call, split evenly between the three kinds.
    for fault in ["throttle", "internal", "reset"] {
        let body = format!(
            r#"{{"operation":"*","kind":"{fault}","count":1000000,"probability":{}}}"#,
            fault_rate / 3.0
        );
        support::http(&endpoint, "POST", "/_emulator/faults", &body).await?;
    }

    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        // Each worker owns a slice of the users: one user never signs in twice at once.
        let mine: Vec<Arc<User>> = all.iter().skip(w).step_by(workers).cloned().collect();
        let count = sign_ins / workers + usize::from(w < sign_ins % workers);
        let emulator = Arc::clone(&emulator);
        let tally = Arc::clone(&tally);
        tasks.push(tokio::spawn(async move {
            let mut seed = 0x9e37_79b9_u64.wrapping_mul(w as u64 + 1);
            let mut next = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            for i in 0..count {
                if mine.is_empty() {
                    break;
                }
                let user = &mine[(next() as usize + i) % mine.len()];
                let result = sign_in(&emulator, user).await;
                let record = |update: &dyn Fn(&mut Tally)| {
                    update(&mut tally.lock().unwrap_or_else(|p| p.into_inner()));
                };
                let failed = |t: &mut Tally, what: &str, e: &Error| {
                    *t.failures
                        .entry(format!("{what}: {}", kind(e)))
                        .or_default() += 1;
                };
                let done = match result {
                    Ok(done) => done,
                    Err(e) => {
                        record(&|t| {
                            t.sign_ins += 1;
                            failed(t, "sign-in", &e);
                        });
                        continue;
                    }
                };
                record(&|t| {
                    t.sign_ins += 1;
                    if done.device.skipped_mfa {
                        t.mfa_skipped += 1;
                    } else {
                        t.mfa_asked += 1;
                    }
                });
                let roll = next() % 100;
                if roll < 10 {
                    let refresh = done.tokens.refresh_token.clone().unwrap_or_default();
                    let r = user.client.refresh(&done.username, &refresh).await;
                    record(&|t| {
                        t.refreshes += 1;
                        if let Err(e) = &r {
                            failed(t, "refresh", e);
                        }
                    });
                } else if roll < 15 {
                    let r = user
                        .client
                        .forget_device(&done.tokens, &user.name, None)
                        .await;
                    record(&|t| {
                        t.forgets += 1;
                        if let Err(e) = &r {
                            failed(t, "forget", e);
                        }
                    });
                }
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed();
    let t = std::mem::take(&mut *tally.lock().unwrap_or_else(|p| p.into_inner()));
    println!(
        "{} sign-ins of {users} users in {:.2} s: {:.1} sign-ins/s ({} with MFA, {} on a remembered device), {} refreshes, {} forgets, fault rate {fault_rate} per call",
        t.sign_ins,
        elapsed.as_secs_f64(),
        t.sign_ins as f64 / elapsed.as_secs_f64(),
        t.mfa_asked,
        t.mfa_skipped,
        t.refreshes,
        t.forgets
    );
    let failed: u64 = t.failures.values().sum();
    println!("failures: {failed}");
    for (what, n) in &t.failures {
        println!("  {what}: {n}");
    }

    // Final state: faults off, one clean sign-in each, then local store vs the server.
    support::http(&endpoint, "DELETE", "/_emulator/faults", "").await?;
    let admin = support::admin(&endpoint);
    let mut inconsistent = Vec::new();
    for user in &all {
        let done = match sign_in(&emulator, user).await {
            Ok(done) => done,
            Err(e) => {
                inconsistent.push(format!("{}: clean sign-in failed: {e}", user.name));
                continue;
            }
        };
        let local = user.client.current_device(&user.name).await?;
        let server = admin
            .admin_list_devices()
            .user_pool_id(&pool_id)
            .username(&done.username)
            .send()
            .await?;
        let remembered: Vec<String> = server
            .devices()
            .iter()
            .filter(|d| {
                d.device_attributes().iter().any(|a| {
                    a.name() == "dev:device_remembered_status" && a.value() == Some("remembered")
                })
            })
            .filter_map(|d| d.device_key().map(str::to_owned))
            .collect();
        let local_key = local
            .filter(|l| l.confirmed && l.remembered)
            .map(|l| l.device_key);
        // One device record per user, besides the store's index of entries.
        let items: Vec<String> = user
            .store
            .accounts()
            .into_iter()
            .filter(|a| a != cognito_device_auth::store::accounts::INDEX_ACCOUNT)
            .collect();
        let ok = local_key
            .as_ref()
            .is_some_and(|key| remembered == [key.clone()])
            && items.len() == 1;
        if !ok {
            inconsistent.push(format!(
                "{}: local {local_key:?}, server remembers {remembered:?}, {} local items {items:?}",
                user.name,
                items.len()
            ));
        }
    }
    if inconsistent.is_empty() {
        println!(
            "final state: all {} users consistent (the device stored locally is remembered on the server and skips MFA)",
            all.len()
        );
        Ok(())
    } else {
        for line in &inconsistent {
            println!("INCONSISTENT {line}");
        }
        Err(format!("{} users inconsistent", inconsistent.len()).into())
    }
}
