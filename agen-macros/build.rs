//! Tells the macros whether the compiler rejects bare `yield` in an attribute's item (its
//! feature gate), so that `#[async_generator]` can add the fix to that error: `cfg(agen_gated_yield)`
//! on a stable or beta compiler, unless `RUSTC_BOOTSTRAP` lifts the gate. On a nightly compiler the
//! gate is the user's `#![feature(yield_expr)]`, which a macro cannot see: no hint there.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(agen_gated_yield)");
    println!("cargo::rerun-if-env-changed=RUSTC_BOOTSTRAP");
    println!("cargo::rerun-if-changed=build.rs");
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(output) = Command::new(rustc).arg("--version").output() else {
        return;
    };
    let version = String::from_utf8_lossy(&output.stdout);
    let unstable = version.contains("-nightly") || version.contains("-dev");
    if output.status.success() && !unstable && env::var_os("RUSTC_BOOTSTRAP").is_none() {
        println!("cargo::rustc-cfg=agen_gated_yield");
    }
}
