//! The macros' diagnostics (`tests/ui`, each with its `.stderr`) and lint-clean expansions
//! (`tests/ui-pass`). The `.stderr` files are pinned to the toolchain in `rust-toolchain.toml`;
//! regenerate them with `TRYBUILD=overwrite cargo test --test compiletest`.
#![cfg(not(miri))]

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
