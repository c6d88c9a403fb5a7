//! The macros' diagnostics (`fail/`, each with its `.stderr`) and lint-clean expansions (`pass/`).
//! The `.stderr` files are pinned to the toolchain in `rust-toolchain.toml`; regenerate them with
//! `TRYBUILD=overwrite cargo test -p agen-ui-tests`.
#![cfg(not(miri))]

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("fail/*.rs");
    t.pass("pass/*.rs");
}
