//! `try_finally!`: Python's `try: … finally: await cleanup()` around yield points. The `finally`
//! block runs however the `try` block is left (its end, `return`, `?`, `break`, `continue`, a
//! close or a throw at a plain yield point), may await, and then the body goes on as the exit
//! says.

use std::pin::pin;

use agen_runtime::{
    async_gen, async_generator, for_await, try_finally, yield_, yield_catch, CloseIgnored,
    GenState, Resume, Step, ThrowError,
};

#[path = "common/log.rs"]
mod logging;
use logging::{entries, log, note, run, yield_now, Log};

/// Yields 0, 1, 2 at plain yield points in a `try` block whose `finally` awaits, then returns
/// how many it yielded.
#[async_generator(yield = u32, throw = &'static str)]
async fn three(log: Log) -> u32 {
    let count = try_finally! {
        try {
            for n in 0..3 {
                yield_!(n);
            }
            3
        } finally {
            yield_now().await;
            note(&log, "finally");
        }
    };
    note(&log, "after");
    count
}

#[test]
fn the_finally_block_runs_at_the_end_of_the_try_block() {
    let log = log();
    let steps = run(async {
        let mut gen = pin!(three(log.clone()));
        let mut steps = Vec::new();
        loop {
            let step = gen.anext().await;
            let done = !matches!(step, Step::Yielded(_));
            steps.push(step);
            if done {
                break steps;
            }
        }
    });
    assert_eq!(
        steps,
        [
            Step::Yielded(0),
            Step::Yielded(1),
            Step::Yielded(2),
            Step::Returned(3)
        ]
    );
    assert_eq!(entries(&log), ["finally", "after"]);
}

#[test]
fn a_close_at_any_plain_yield_point_of_the_block_runs_the_finally_block_then_closes() {
    for at in 0..3 {
        let log = log();
        run(async {
            let mut gen = pin!(three(log.clone()));
            for n in 0..=at {
                assert_eq!(gen.anext().await, Step::Yielded(n));
            }
            assert_eq!(gen.aclose().await, Ok(None));
            assert_eq!(gen.state(), GenState::Closed);
        });
        // The cleanup ran inside `aclose`; the code after the block did not.
        assert_eq!(entries(&log), ["finally"], "closed at yield point {at}");
    }
}

#[test]
fn a_throw_at_a_plain_yield_point_of_the_block_runs_the_finally_block_then_raises() {
    let log = log();
    run(async {
        let mut gen = pin!(three(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.athrow("boom").await, Err(ThrowError::Uncaught("boom")));
        assert_eq!(gen.state(), GenState::Closed);
    });
    assert_eq!(entries(&log), ["finally"]);
}

#[test]
fn return_in_the_block_runs_the_finally_block_then_returns() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> &'static str {
        try_finally! {
            try {
                yield_!(1);
                if !log.borrow().is_empty() {
                    return "early";
                }
                yield_!(2);
            } finally {
                note(&log, "finally");
            }
        }
        "late"
    }
    let log = log();
    note(&log, "start");
    let steps = run(async {
        let mut gen = pin!(gen(log.clone()));
        [gen.anext().await, gen.anext().await]
    });
    assert_eq!(steps, [Step::Yielded(1), Step::Returned("early")]);
    assert_eq!(entries(&log), ["start", "finally"]);
}

#[test]
fn question_mark_in_the_block_runs_the_finally_block_then_returns_the_error() {
    #[async_generator(yield = u32)]
    async fn parse(
        texts: &'static [&'static str],
        log: Log,
    ) -> Result<(), std::num::ParseIntError> {
        try_finally! {
            try {
                for text in texts {
                    yield_!(text.parse::<u32>()?);
                }
            } finally {
                yield_now().await;
                note(&log, "finally");
            }
        }
        note(&log, "after");
        Ok(())
    }
    let log = log();
    let steps = run(async {
        let mut gen = pin!(parse(&["1", "x"], log.clone()));
        [gen.anext().await, gen.anext().await]
    });
    assert_eq!(steps[0], Step::Yielded(1));
    assert!(matches!(steps[1], Step::Returned(Err(_))));
    assert_eq!(entries(&log), ["finally"]);
}

#[test]
fn break_and_continue_of_an_enclosing_loop_run_the_finally_block() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        'rounds: for round in 0..4 {
            try_finally! {
                try {
                    if round == 1 {
                        continue;
                    }
                    yield_!(round);
                    if round == 2 {
                        break 'rounds;
                    }
                } finally {
                    note(&log, format!("finally {round}"));
                }
            }
            note(&log, format!("end of round {round}"));
        }
        note(&log, "after the loop");
    }
    let log = log();
    let steps = run(async {
        let mut gen = pin!(gen(log.clone()));
        [gen.anext().await, gen.anext().await, gen.anext().await]
    });
    assert_eq!(
        steps,
        [Step::Yielded(0), Step::Yielded(2), Step::Returned(())]
    );
    assert_eq!(
        entries(&log),
        [
            "finally 0",
            "end of round 0",
            "finally 1",
            "finally 2",
            "after the loop"
        ]
    );
}

#[test]
fn a_yield_in_the_finally_block_of_a_close_makes_aclose_fail_with_the_item() {
    #[async_generator(yield = u32)]
    async fn stubborn() {
        try_finally! {
            try {
                yield_!(1);
            } finally {
                yield_!(99);
            }
        }
    }
    run(async {
        let mut gen = pin!(stubborn());
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.aclose().await, Err(CloseIgnored(99)));
        assert_eq!(gen.state(), GenState::Closed);
    });
}

#[test]
fn nested_blocks_run_their_finally_blocks_from_the_inside_out() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        try_finally! {
            try {
                yield_!(1);
                try_finally! {
                    try {
                        yield_!(2);
                    } finally {
                        yield_now().await;
                        note(&log, "inner finally");
                    }
                }
                yield_!(3);
            } finally {
                note(&log, "outer finally");
            }
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(gen(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.anext().await, Step::Yielded(2));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["inner finally", "outer finally"]);
}

#[test]
fn return_from_a_for_await_in_the_block_closes_the_loop_generator_then_runs_the_finally_block() {
    #[async_generator(yield = u32)]
    async fn source(log: Log) {
        for n in 0.. {
            if let Resume::Close = yield_catch!(n) {
                note(&log, "source closed");
                return;
            }
        }
    }
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> u32 {
        try_finally! {
            try {
                for_await!(for n in source(log.clone()) {
                    if n == 2 {
                        return n;
                    }
                    yield_!(n);
                });
            } finally {
                note(&log, "finally");
            }
        }
        0
    }
    let log = log();
    let steps = run(async {
        let mut gen = pin!(gen(log.clone()));
        [gen.anext().await, gen.anext().await, gen.anext().await]
    });
    assert_eq!(
        steps,
        [Step::Yielded(0), Step::Yielded(1), Step::Returned(2)]
    );
    assert_eq!(entries(&log), ["source closed", "finally"]);
}

#[test]
fn a_catching_yield_point_in_the_block_keeps_its_resumption() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        try_finally! {
            try {
                if let Resume::Close = yield_catch!(1) {
                    note(&log, "caught the close");
                }
            } finally {
                note(&log, "finally");
            }
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(gen(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        // The body caught the close itself, then finished: the block ended normally.
        assert_eq!(gen.aclose().await, Ok(Some(())));
    });
    assert_eq!(entries(&log), ["caught the close", "finally"]);
}

#[test]
fn bare_yield_in_async_gen_and_a_sent_value() {
    let log = log();
    let l = log.clone();
    let gen = async_gen!(yield = u32, send = u32 => {
        try_finally! {
            try {
                let sent = yield 1;
                yield sent.unwrap_or(0);
            } finally {
                note(&l, "finally");
            }
        }
    });
    run(async {
        let mut gen = pin!(gen);
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.asend(7).await, Ok(Step::Yielded(7)));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["finally"]);
}

#[test]
fn closed_and_raise_in_the_block_run_the_finally_block_first() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log, how: &'static str) {
        try_finally! {
            try {
                if let Resume::Throw(error) = yield_catch!(1) {
                    if how == "raise" {
                        agen_runtime::raise!(error);
                    }
                }
                agen_runtime::closed!();
            } finally {
                yield_now().await;
                note(&log, format!("finally before {how}"));
            }
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(gen(log.clone(), "raise"));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.athrow("e").await, Err(ThrowError::Uncaught("e")));
    });
    run(async {
        let mut gen = pin!(gen(log.clone(), "closed"));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.anext().await, Step::Exhausted);
    });
    assert_eq!(
        entries(&log),
        ["finally before raise", "finally before closed"]
    );
}

#[test]
fn a_throw_through_nested_blocks_runs_both_finally_blocks_then_raises() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log) {
        try_finally! {
            try {
                try_finally! {
                    try {
                        yield_!(1);
                    } finally {
                        note(&log, "inner finally");
                    }
                }
            } finally {
                yield_now().await;
                note(&log, "outer finally");
            }
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(gen(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.athrow("e").await, Err(ThrowError::Uncaught("e")));
    });
    assert_eq!(entries(&log), ["inner finally", "outer finally"]);
}

#[test]
fn a_close_or_a_throw_forwarded_through_yield_from_in_the_block_runs_the_finally_block() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn inner() {
        loop {
            yield_!(1);
        }
    }
    #[async_generator(yield = u32, throw = &'static str)]
    async fn outer(log: Log) {
        try_finally! {
            try {
                agen_runtime::yield_from!(inner());
            } finally {
                yield_now().await;
                note(&log, "finally");
            }
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(outer(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    run(async {
        let mut gen = pin!(outer(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.athrow("e").await, Err(ThrowError::Uncaught("e")));
    });
    assert_eq!(entries(&log), ["finally", "finally"]);
}

#[test]
fn a_return_from_a_nested_block_runs_both_finally_blocks_from_the_inside_out() {
    #[async_generator(yield = u32)]
    async fn nested(log: Log) -> u32 {
        try_finally! {
            try {
                try_finally! {
                    try {
                        yield_!(1);
                        return 7;
                    } finally {
                        yield_now().await;
                        note(&log, "inner finally");
                    }
                }
                note(&log, "not reached");
            } finally {
                note(&log, "outer finally");
            }
        }
        0
    }
    let log = log();
    run(async {
        let mut steps = pin!(nested(log.clone()));
        assert_eq!(steps.anext().await, Step::Yielded(1));
        assert_eq!(steps.anext().await, Step::Returned(7));
    });
    assert_eq!(entries(&log), ["inner finally", "outer finally"]);
}

#[test]
fn a_question_mark_and_a_labeled_break_from_a_nested_block_run_both_finally_blocks() {
    #[async_generator(yield = u32)]
    async fn nested(log: Log, fail: bool) -> Result<u32, &'static str> {
        'rounds: for round in 0.. {
            try_finally! {
                try {
                    try_finally! {
                        try {
                            if fail {
                                Err::<(), _>("failed")?;
                            }
                            if round == 1 {
                                break 'rounds;
                            }
                        } finally {
                            note(&log, format!("inner {round}"));
                        }
                    }
                } finally {
                    note(&log, format!("outer {round}"));
                }
            }
        }
        Ok(0)
    }
    let log = log();
    assert_eq!(
        run(async { pin!(nested(log.clone(), true)).anext().await }),
        Step::Returned(Err("failed"))
    );
    assert_eq!(entries(&log), ["inner 0", "outer 0"]);
    let log = self::log();
    assert_eq!(
        run(async { pin!(nested(log.clone(), false)).anext().await }),
        Step::Returned(Ok(0))
    );
    assert_eq!(entries(&log), ["inner 0", "outer 0", "inner 1", "outer 1"]);
}

#[test]
fn a_return_from_a_for_await_in_its_first_form_in_the_block_closes_then_runs_the_finally_block() {
    #[async_generator(yield = u32)]
    async fn source(log: Log) {
        for n in 0.. {
            if let Resume::Close = yield_catch!(n) {
                note(&log, "source closed");
                return;
            }
        }
    }
    #[async_generator(yield = u32)]
    async fn first_above(limit: u32, log: Log) -> u32 {
        try_finally! {
            try {
                for_await!(n in source(log.clone()) {
                    if n > limit {
                        return n;
                    }
                });
            } finally {
                note(&log, "finally");
            }
        }
        0
    }
    let log = log();
    assert_eq!(
        run(async { pin!(first_above(2, log.clone())).anext().await }),
        Step::Returned(3)
    );
    assert_eq!(entries(&log), ["source closed", "finally"]);
}

#[test]
fn a_close_at_a_plain_yield_point_of_a_block_inside_a_for_await_loop_runs_the_finally_block() {
    #[async_generator(yield = u32)]
    async fn source(log: Log) {
        for n in 0.. {
            if let Resume::Close = yield_catch!(n) {
                note(&log, "source closed");
                return;
            }
        }
    }
    #[async_generator(yield = u32, throw = &'static str)]
    async fn relay(log: Log) {
        for_await!(for n in source(log.clone()) {
            try_finally! {
                try {
                    yield_!(n);
                } finally {
                    yield_now().await;
                    note(&log, format!("finally {n}"));
                }
            }
        });
    }
    let log = log();
    run(async {
        let mut closed = pin!(relay(log.clone()));
        assert_eq!(closed.anext().await, Step::Yielded(0));
        assert_eq!(closed.anext().await, Step::Yielded(1));
        assert_eq!(closed.aclose().await, Ok(None));
    });
    // The block is inside the loop: after the `finally` block the close ends the body from
    // inside the loop, which closes its generator first.
    assert_eq!(entries(&log), ["finally 0", "finally 1", "source closed"]);
    let log = self::log();
    run(async {
        let mut thrown = pin!(relay(log.clone()));
        assert_eq!(thrown.anext().await, Step::Yielded(0));
        assert_eq!(
            thrown.athrow("stop").await,
            Err(ThrowError::Uncaught("stop"))
        );
    });
    assert_eq!(entries(&log), ["finally 0", "source closed"]);
}
