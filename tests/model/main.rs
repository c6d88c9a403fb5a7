//! Model-based tests of the protocol: random generator bodies driven by random call sequences,
//! checked call by call against a reference model (`model.rs`), with every value and body local
//! accounted for (`check.rs`).
//!
//! `cargo test --test model` runs 15,000 generated cases (10,000 + 5,000); under Miri 16 + 8.

mod check;
#[path = "../common/handle.rs"]
mod handle;
mod harness;
mod lifecycle;
mod model;
mod regressions;
mod script;
mod strategies;

use proptest::prelude::*;
use proptest::test_runner::Config;

/// `cases` normally; `miri_cases` under Miri, without the failure-persistence file (Miri's
/// isolation forbids the filesystem).
fn config(cases: u32, miri_cases: u32) -> Config {
    if cfg!(miri) {
        Config {
            cases: miri_cases,
            failure_persistence: None,
            ..Config::default()
        }
    } else {
        Config {
            cases,
            ..Config::default()
        }
    }
}

proptest! {
    #![proptest_config(config(10_000, 16))]

    /// Every call's outcome, the body's events, `state()`, `is_exhausted()` and whether the body
    /// is alive equal the model's, after every call; at the end every item was received once,
    /// every value handed in was delivered or handed back, every tracked value dropped once.
    #[test]
    fn the_runtime_follows_the_model(
        script in strategies::script(),
        calls in strategies::calls(),
    ) {
        check::run_case(&script, &calls);
    }
}

proptest! {
    #![proptest_config(config(5_000, 8))]

    /// The same checks on long-lived bodies (catching yield points whose throw handlers await)
    /// under calls that are often interrupted: the interrupted-step and interrupted-close states.
    #[test]
    fn interrupted_steps_follow_the_model(
        script in strategies::lasting_script(),
        calls in strategies::interrupting_calls(),
    ) {
        check::run_case(&script, &calls);
    }
}
