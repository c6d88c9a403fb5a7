//! E. `aclose()`.
//!
//! E8 (a `StopAsyncIteration` raised during close becomes `RuntimeError`): exhaustion is not an
//! error value in agen, so there is nothing to rewrap (H4).
//! E11 (`aclose` while a step is in flight, and calls while a close is in flight): concurrent
//! calls are borrow errors; the interrupted-step and interrupted-close cases are in
//! `f_running.rs` (`e11_*`, `f3_*`, `f8_*`).
//! E12 (the aclose awaitable can be spawned): `Aclose` is `Send` when the generator is, see
//! `auto_traits.rs`; throwing into an aclose awaitable has no Rust counterpart.

use std::pin::pin;
use std::task::Poll;

use agen_runtime::{CloseIgnored, GenState, Resume, SendError, Step, ThrowError};

use crate::support::{block_on, block_on_counting, pending_for, poll_once, DropCount, Log};

#[test]
fn e1_aclose_on_created_closes_without_running_the_body() {
    block_on(async {
        let log = Log::new();
        let drops = DropCount::new();
        let (l, token) = (log.clone(), drops.token());
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let _token = token;
            l.push("body");
            co.yield_catching(1).await;
            l.push("cleanup");
        }));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(g.state(), GenState::Closed);
        assert!(log.get().is_empty(), "no body code, no cleanup");
        assert_eq!(drops.get(), 1);
        assert_eq!(g.anext().await, Step::Exhausted);
        assert_eq!(g.asend(1).await, Err(SendError::Exhausted(1)));
    });
}

#[test]
fn e2_aclose_at_a_plain_yield_drops_the_body_in_place() {
    block_on(async {
        let log = Log::new();
        let drops = DropCount::new();
        let (l, token) = (log.clone(), drops.token());
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let _token = token;
            co.yield_(1).await;
            l.push("after the yield");
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(drops.get(), 0);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(drops.get(), 1, "destructors ran");
        assert!(log.get().is_empty(), "no further body code ran");
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn e2_aclose_at_a_catching_yield_runs_the_async_cleanup_before_completing() {
    let log = Log::new();
    let drops = DropCount::new();
    let (l, token) = (log.clone(), drops.token());
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        let _token = token;
        if let Resume::Close = co.yield_catching(1).await {
            l.push("close");
            pending_for(1).await;
            l.push("cleanup done");
            match co.exit().await {}
        }
        l.push("not closed");
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Pending);
    assert_eq!(log.get(), ["close"], "the cleanup is under way");
    assert_eq!(poll_once(&mut close), Poll::Ready(Ok(None)));
    drop(close);
    assert_eq!(log.get(), ["close", "cleanup done"]);
    assert_eq!(drops.get(), 1);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn e2_the_cleanup_side_effect_is_seen_when_aclose_completes_on_an_executor() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        loop {
            if let Resume::Close = co.yield_catching(1).await {
                pending_for(3).await;
                l.push("cleanup");
                return;
            }
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(block_on_counting(g.aclose()), (Ok(Some(())), 3));
    assert_eq!(log.get(), ["cleanup"]);
}

#[test]
fn e2_dropping_instead_of_aclose_runs_only_the_destructors() {
    let log = Log::new();
    let drops = DropCount::new();
    let (l, token) = (log.clone(), drops.token());
    let mut g = Box::pin(agen!(<u32, u32, ()> |co| {
        let _token = token;
        if let Resume::Close = co.yield_catching(1).await {
            l.push("async cleanup");
        }
    }));
    assert_eq!(block_on(g.as_mut().anext()), Step::Yielded(1));
    drop(g);
    assert_eq!(drops.get(), 1);
    assert!(log.get().is_empty(), "no async drop");
}

#[test]
fn e3_a_body_that_catches_the_close_and_returns_gives_its_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), &'static str> |co| {
            match co.yield_catching(1).await {
                Resume::Close => {
                    pending_for(1).await;
                    "closed cleanly"
                }
                _ => "resumed",
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(Some("closed cleanly")));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(
            g.anext().await,
            Step::Exhausted,
            "the value is not delivered again"
        );
    });
}

#[test]
fn e4_exit_after_a_close_gives_ok_none() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, (), u32> |co| {
            loop {
                if let Resume::Close = co.yield_catching(1).await {
                    l.push("cleanup");
                    match co.exit().await {}
                }
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.get(), ["cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn e4_a_body_that_finishes_normally_after_a_close_gives_its_return_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            co.yield_catching(1).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(Some(())));
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn e5_a_yield_during_close_hands_the_item_back_in_close_ignored() {
    block_on(async {
        let log = Log::new();
        let drops = DropCount::new();
        let (l, token) = (log.clone(), drops.token());
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let _token = token;
            if let Resume::Close = co.yield_catching(1).await {
                l.push("finally");
                co.yield_(2).await;
                l.push("after the ignored close");
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        let error = g.aclose().await.unwrap_err();
        assert_eq!(error, CloseIgnored(2));
        assert_eq!(
            error.to_string(),
            "async generator ignored GeneratorExit: it yielded while being closed"
        );
        assert_eq!(error.into_item(), 2);
        assert_eq!(
            log.get(),
            ["finally"],
            "the code after the yield never runs"
        );
        assert_eq!(drops.get(), 1, "the body was dropped");
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn e6_after_an_ignored_close_the_generator_is_closed_for_every_call() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            loop {
                co.yield_catching(1).await;
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Err(CloseIgnored(1)));
        assert_eq!(g.state(), GenState::Closed);
        assert!(g.is_exhausted());
        assert_eq!(
            g.anext().await,
            Step::Exhausted,
            "unlike CPython, anext does not resume"
        );
        assert_eq!(g.asend(3).await, Err(SendError::Exhausted(3)));
        assert_eq!(g.athrow("e").await, Err(ThrowError::Exhausted("e")));
        assert_eq!(g.aclose().await, Ok(None));
    });
}

#[test]
fn e7_an_error_during_close_comes_back_as_the_return_value_and_closes() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), Result<(), &'static str>> |co| {
            if let Resume::Close = co.yield_catching(1).await {
                pending_for(1).await;
                return Err("cleanup failed");
            }
            Ok(())
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(Some(Err("cleanup failed"))));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn e9_repeated_aclose_is_a_no_op() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            if let Resume::Close = co.yield_catching(1).await {
                l.push("cleanup");
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(Some(())));
        for _ in 0..3 {
            assert_eq!(g.aclose().await, Ok(None));
        }
        assert_eq!(log.get(), ["cleanup"], "the cleanup ran once");
    });
}

#[test]
fn e9_aclose_after_exhaustion_is_a_no_op_and_does_not_repeat_the_return_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), u32> |co| {
            co.yield_(1).await;
            5
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(5));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(g.aclose().await, Ok(None));
    });
}

#[test]
fn e9_aclose_after_an_uncaught_athrow_is_a_no_op() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            co.yield_(1).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.athrow("boom").await, Err(ThrowError::Uncaught("boom")));
        assert_eq!(g.aclose().await, Ok(None));
    });
}

#[test]
fn e10_after_aclose_anext_and_asend_report_exhaustion() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            loop {
                co.yield_(1).await;
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(None));
        for _ in 0..3 {
            assert_eq!(g.anext().await, Step::Exhausted);
            assert_eq!(g.asend(2).await, Err(SendError::Exhausted(2)));
        }
        assert!(g.is_exhausted());
    });
}
