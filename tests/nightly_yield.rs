//! Bare `yield` in the attribute form, on a nightly compiler with `#![feature(yield_expr)]`.
//!
//! Runs the tests of the small crate `tests/nightly-yield` with `cargo +nightly test` when a
//! nightly toolchain is installed; prints a note and passes otherwise.
#![cfg(not(miri))]

use std::path::Path;
use std::process::Command;

fn nightly_available() -> bool {
    Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn bare_yield_in_the_attribute_form_compiles_and_runs_on_nightly() {
    if !nightly_available() {
        println!("note: no nightly toolchain installed; skipping the bare `yield` test");
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("nightly-yield/Cargo.toml");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nightly-yield");
    let output = Command::new("cargo")
        .arg("+nightly")
        .arg("test")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        // The variables of the outer (pinned) cargo would select its toolchain.
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo +nightly test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
