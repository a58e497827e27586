//! A reduced soak run in every test run (the full one: `cargo run --release --example soak`):
//! 300 sign-ins of 30 users with 2% random faults; the example itself fails when any user's
//! final state is inconsistent.

mod common;

#[test]
fn soak_with_random_faults_ends_consistent() {
    let output = std::process::Command::new(common::example_binary("soak"))
        .args(["30", "300", "0.02", "4"])
        .output()
        .expect("the soak example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "soak failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("300 sign-ins of 30 users"), "{stdout}");
    assert!(
        stdout.contains("final state: all 30 users consistent"),
        "{stdout}"
    );
}
