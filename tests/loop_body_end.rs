//! The body ending from inside a `for_await!` loop closes the loop's generator first, with its
//! async cleanup, as every other early exit of the loop does: `closed!()`, `raise!(e)`, a close
//! or an uncaught throw that `yield_from!` forwarded, and a close or a throw reaching a plain
//! yield point of the loop body (with or without a `try_finally!` around the loop). The loop body
//! is left first (its locals dropped), then the generator is closed, then the body ends as it was
//! going to: closed, or raising the error, through an enclosing `finally` block if there is one.

use std::pin::pin;

use agen_runtime::{
    async_gen, async_generator, closed, for_await, raise, try_finally, yield_, yield_catch,
    yield_from, Resume, Step, ThrowError,
};

#[path = "common/log.rs"]
mod logging;
use logging::{entries, log, note, run, source, yield_now, Log};

/// Yields 0.. at catching yield points; a close awaits (it is pending once) before it logs.
#[async_generator(yield = u32, throw = &'static str)]
async fn slow_cleanup(log: Log) {
    for n in 0.. {
        if let Resume::Close = yield_catch!(n) {
            yield_now().await;
            note(&log, "slow cleanup done");
            return;
        }
    }
}

/// Notes its drop.
struct Noisy(Log, &'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        note(&self.0, format!("{} dropped", self.1));
    }
}

#[test]
fn closed_inside_a_loop_closes_its_generator_first() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        for_await!(for n in source("src", 10, log.clone()) {
            if let Resume::Close = yield_catch!(n) {
                note(&log, "body saw the close");
                closed!();
            }
        });
        note(&log, "after the loop");
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(g.anext().await, Step::Exhausted);
    });
    assert_eq!(entries(&log), ["body saw the close", "src closed"]);
}

#[test]
fn raise_inside_a_loop_closes_its_generator_then_raises() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log) {
        for_await!(for n in slow_cleanup(log.clone()) {
            if let Resume::Throw(error) = yield_catch!(n) {
                note(&log, format!("body caught {error}"));
                raise!(error);
            }
        });
        note(&log, "after the loop");
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.athrow("stop").await, Err(ThrowError::Uncaught("stop")));
        assert_eq!(g.anext().await, Step::Exhausted);
    });
    assert_eq!(entries(&log), ["body caught stop", "slow cleanup done"]);
}

#[test]
fn a_close_at_a_plain_yield_point_in_a_loop_closes_its_generator() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log) {
        for_await!(for n in slow_cleanup(log.clone()) {
            let _local = Noisy(log.clone(), "loop body local");
            yield_!(n * 10);
        });
        note(&log, "after the loop");
    }
    for how in ["close", "throw"] {
        let log = log();
        run(async {
            let mut g = pin!(gen(log.clone()));
            assert_eq!(g.anext().await, Step::Yielded(0));
            assert_eq!(g.anext().await, Step::Yielded(10));
            match how {
                "close" => assert_eq!(g.aclose().await, Ok(None)),
                _ => assert_eq!(g.athrow("stop").await, Err(ThrowError::Uncaught("stop"))),
            }
            assert_eq!(g.anext().await, Step::Exhausted);
        });
        assert_eq!(
            entries(&log),
            [
                "loop body local dropped",
                "loop body local dropped",
                "slow cleanup done"
            ],
            "{how}: the loop body's locals go first, then the generator is closed"
        );
    }
}

#[test]
fn plain_yield_points_in_a_loop_still_resume_with_what_was_sent() {
    #[async_generator(yield = u32, send = u32)]
    async fn gen(log: Log) -> u32 {
        let mut total = 0;
        for_await!(for n in source("src", 3, log.clone()) {
            total += yield_!(n).unwrap_or(100);
        });
        total
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.asend(5).await, Ok(Step::Yielded(1)));
        assert_eq!(g.anext().await, Step::Yielded(2));
        assert_eq!(g.asend(7).await, Ok(Step::Returned(112)));
    });
    assert_eq!(entries(&log), ["src finished"]);
}

#[test]
fn a_close_forwarded_through_yield_from_in_a_loop_closes_the_loops_generator() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn inner(log: Log) {
        if let Resume::Close = yield_catch!(100) {
            note(&log, "inner cleanup");
            return;
        }
        yield_!(101);
    }
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log) {
        for_await!(for _n in slow_cleanup(log.clone()) {
            yield_from!(inner(log.clone()));
        });
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(100));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["inner cleanup", "slow cleanup done"]);

    // A throw the inner does not catch (its yield point is plain): the inner ends, the loop's
    // generator is closed, and the error comes out of the outer.
    let log = logging::log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(100));
        assert_eq!(g.anext().await, Step::Yielded(101));
        assert_eq!(g.athrow("stop").await, Err(ThrowError::Uncaught("stop")));
    });
    assert_eq!(entries(&log), ["slow cleanup done"]);
}

#[test]
fn in_a_try_finally_the_loop_closes_first_then_the_finally_block_runs() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen(log: Log) {
        try_finally! {
            try {
                for_await!(for n in slow_cleanup(log.clone()) {
                    yield_!(n);
                });
            } finally {
                yield_now().await;
                note(&log, "finally");
            }
        }
    }
    for how in ["close", "throw"] {
        let log = log();
        run(async {
            let mut g = pin!(gen(log.clone()));
            assert_eq!(g.anext().await, Step::Yielded(0));
            match how {
                "close" => assert_eq!(g.aclose().await, Ok(None)),
                _ => assert_eq!(g.athrow("stop").await, Err(ThrowError::Uncaught("stop"))),
            }
        });
        assert_eq!(entries(&log), ["slow cleanup done", "finally"], "{how}");
    }
}

#[test]
fn nested_loops_are_closed_from_the_inside_out() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        for_await!(for a in source("outer", 10, log.clone()) {
            let _outer_local = Noisy(log.clone(), "outer local");
            for_await!(for b in source("inner", 10, log.clone()) {
                yield_!(a * 10 + b);
            });
        });
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(
        entries(&log),
        ["inner closed", "outer local dropped", "outer closed"]
    );
}

#[test]
fn a_loop_in_an_async_gen_block_closes_its_generator_too() {
    let log = log();
    let g = {
        let log = log.clone();
        async_gen! {
            for_await!(for n in source("src", 10, log.clone()) {
                yield n;
            });
        }
    };
    run(async {
        let mut g = pin!(g);
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["src closed"]);
}

/// A generator the loop only borrows is left suspended where the loop stopped, as an early
/// `break` leaves it: the body's close does not reach it.
#[test]
fn a_borrowed_generator_is_left_suspended() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        let mut src = pin!(source("src", 10, log.clone()));
        for_await!(for n in src.as_mut() {
            yield_!(n);
        });
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert!(entries(&log).is_empty(), "{:?}", entries(&log));
}

/// Outside a generator body a loop has no body to end: it compiles and behaves as before.
#[test]
fn a_loop_outside_a_generator_body_is_unchanged() {
    async fn first_two(log: Log) -> Vec<u32> {
        let mut seen = Vec::new();
        for_await!(for n in source("src", 10, log.clone()) {
            seen.push(n);
            if seen.len() == 2 {
                break;
            }
        });
        seen
    }
    let log = log();
    assert_eq!(run(first_two(log.clone())), [0, 1]);
    assert_eq!(entries(&log), ["src closed"]);
}

/// A loop in another macro's tokens that keeps them in the body's control flow is marked too,
/// whether those tokens parse as statements or only token by token (a syntax of the macro's own,
/// as `tokio::select!`'s branches).
#[test]
fn a_loop_inside_another_macros_tokens_closes_its_generator() {
    macro_rules! inline {
        ($($tokens:tt)*) => { $($tokens)* };
    }
    macro_rules! unless {
        ($cond:expr => $($tokens:tt)*) => { if !$cond { $($tokens)* } };
    }
    #[async_generator(yield = u32)]
    async fn statements(log: Log) {
        inline! {
            let from = 0;
            for_await!(for n in source("statements", 10, log.clone()) {
                yield_!(n + from);
            });
        }
    }
    #[async_generator(yield = u32)]
    async fn own_syntax(log: Log) {
        unless! { false =>
            for_await!(for n in source("own syntax", 10, log.clone()) {
                yield_!(n);
            });
        }
    }
    let log = log();
    run(async {
        let mut g = pin!(statements(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
        let mut g = pin!(own_syntax(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["statements closed", "own syntax closed"]);
}

/// In a closure or an `async` block of the body, which has no yield points and cannot end the
/// body, a loop is any loop: it closes its generator on its own early exits.
#[test]
fn a_loop_in_an_async_block_of_the_body_is_any_loop() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        let first = async {
            for_await!(for n in source("in the block", 10, log.clone()) {
                return n + 1;
            });
            0
        };
        yield_!(first.await);
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["in the block closed"]);
}

/// A loop without yield points cannot end the body, and is left as any loop: a macro may move it
/// into a closure or an `async` block, where it still compiles and closes its generator on its
/// own early exits.
#[test]
fn a_loop_without_yield_points_may_be_moved_into_an_async_block() {
    macro_rules! later {
        ($($tokens:tt)*) => {
            async move { $($tokens)* }
        };
    }
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        let log2 = log.clone();
        let first = later! {
            for_await!(for n in source("moved", 10, log2) {
                return n + 1;
            });
            0
        };
        yield_!(first.await);
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["moved closed"]);
}

/// The listed limit: a loop under a name of its own is not marked, and the body ending from
/// inside it drops the loop's generator without its async cleanup (its sync destructors run).
#[test]
fn a_loop_under_another_name_is_not_marked() {
    use agen_runtime::for_await as each;
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        each!(for n in source("renamed", 10, log.clone()) {
            yield_!(n);
        });
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(None));
    });
    assert!(entries(&log).is_empty(), "{:?}", entries(&log));
}

/// A listed limit: a loop's generator that ignores the close (it yields again at its catching
/// yield point) makes the close panic, as it does for a `break`, when the body ends from inside
/// the loop too: a throw at a plain yield point of the loop body then ends in that panic, and the
/// thrown error is dropped with the body. The outer generator is left closed.
#[test]
fn a_loop_generator_that_ignores_the_close_panics_when_the_body_ends_in_the_loop() {
    #[async_generator(yield = u32, throw = &'static str)]
    async fn stubborn() {
        let mut n = 0;
        loop {
            let _ = yield_catch!(n);
            n += 1;
        }
    }
    #[async_generator(yield = u32, throw = &'static str)]
    async fn gen() {
        for_await!(for n in stubborn() {
            yield_!(n);
        });
    }
    let mut g = Box::pin(gen());
    assert_eq!(run(g.as_mut().anext()), Step::Yielded(0));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(g.as_mut().athrow("stop"))
    }));
    let message = panicked.expect_err("the close the generator ignored panics");
    let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(
        message.contains("yielded while the loop closed it"),
        "{message}"
    );
    assert_eq!(g.state(), agen_runtime::GenState::Closed);
}
