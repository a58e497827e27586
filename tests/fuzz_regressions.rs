//! Replays the fuzz targets' seed corpus (`fuzz/seeds/<target>/`) and every input that once
//! found a bug (`fuzz/regressions/<target>/`) through the same harnesses cargo fuzz runs
//! (`fuzz/src/harness.rs`), so a fixed bug stays fixed without a fuzzer.

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for dir in ["seeds", "regressions"] {
        let dir = root.join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue; // A target without regressions has no directory for them.
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let input = std::fs::read(&path).expect("a readable input");
            eprintln!("replaying {}", path.display());
            run(&input);
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no seeds for {target} under {}",
        root.display()
    );
    eprintln!("{target}: {replayed} inputs");
}

#[test]
fn srp_session() {
    replay("srp_session", harness::srp_session);
}

#[test]
fn server_answers() {
    replay("server_answers", harness::server_answers);
}

#[test]
fn emulator_requests() {
    replay("emulator_requests", harness::emulator_requests);
}
