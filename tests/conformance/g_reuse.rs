//! G. Step futures polled again after they completed. `.await` consumes a future, so this takes
//! a hand-written poll; agen's choice is a panic with a clear message (G1–G3), raised before the
//! generator is touched (G4). The futures also report `FusedFuture::is_terminated`.
//!
//! G5 (unawaited step awaitables warn): the step futures are `#[must_use]`, so the warning is
//! the compile-time `unused_must_use` lint; there is nothing to observe at run time.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::task::Poll;

use agen_runtime::{GenState, Resume, Step};
use futures_core::FusedFuture;

use crate::support::{block_on, poll_once, yield_now};

const REUSED: &str = "agen: a step future was polled after it completed";

/// Polls `fut` once more and checks that this panics with agen's reuse message.
fn assert_reuse_panics<F: Future + Unpin>(fut: &mut F) {
    let payload = catch_unwind(AssertUnwindSafe(|| {
        let _ = poll_once(fut);
    }))
    .expect_err("polling a completed step future must panic");
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .expect("a string panic message");
    assert_eq!(message, REUSED);
}

#[test]
fn g1_polling_a_completed_anext_panics_and_g4_leaves_the_generator_unchanged() {
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        co.yield_(1).await;
        yield_now().await;
        co.yield_(2).await;
    }));
    let mut step = g.anext();
    assert_eq!(poll_once(&mut step), Poll::Ready(Step::Yielded(1)));
    assert!(step.is_terminated());
    assert_reuse_panics(&mut step);
    assert_reuse_panics(&mut step);
    drop(step);
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(
        block_on(g.anext()),
        Step::Yielded(2),
        "the next item, nothing skipped"
    );
}

#[test]
fn g1_polling_a_completed_asend_panics_and_g4_leaves_the_generator_unchanged() {
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        let sent = co.yield_(1).await;
        let sent = co.yield_(sent.unwrap_or(0) + 1).await;
        co.yield_(sent.unwrap_or(0) + 1).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut send = g.asend(10);
    assert_eq!(poll_once(&mut send), Poll::Ready(Ok(Step::Yielded(11))));
    assert!(send.is_terminated());
    assert_reuse_panics(&mut send);
    drop(send);
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(block_on(g.asend(20)), Ok(Step::Yielded(21)));
}

#[test]
fn g1_polling_a_rejected_asend_again_panics() {
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        co.yield_(1).await;
    }));
    let mut send = g.asend(10);
    assert!(poll_once(&mut send).is_ready());
    assert!(send.is_terminated());
    assert_reuse_panics(&mut send);
    drop(send);
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
}

#[test]
fn g2_polling_a_completed_aclose_panics_and_g4_leaves_the_generator_unchanged() {
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        if let Resume::Close = co.yield_catching(1).await {
            yield_now().await;
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert!(poll_once(&mut close).is_pending());
    assert_eq!(poll_once(&mut close), Poll::Ready(Ok(Some(()))));
    assert!(close.is_terminated());
    assert_reuse_panics(&mut close);
    drop(close);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(block_on(g.aclose()), Ok(None));

    // An aclose that completed without polling the body (on a closed generator) as well.
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Ready(Ok(None)));
    assert_reuse_panics(&mut close);
}

#[test]
fn g3_polling_a_completed_athrow_panics_even_after_the_body_caught_and_yielded() {
    let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
        let mut item = 1;
        loop {
            if let Resume::Throw(_) = co.yield_catching(item).await {
                yield_now().await;
                item += 1;
            }
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut throw = g.athrow("boom");
    assert!(poll_once(&mut throw).is_pending());
    assert_eq!(poll_once(&mut throw), Poll::Ready(Ok(Step::Yielded(2))));
    assert!(throw.is_terminated());
    // CPython's quirk (G3) would resume the generator here; agen does not.
    assert_reuse_panics(&mut throw);
    drop(throw);
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(
        block_on(g.anext()),
        Step::Yielded(2),
        "no extra resumption happened"
    );
}

#[test]
fn g3_polling_an_uncaught_athrow_again_panics() {
    let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
        co.yield_(1).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut throw = g.athrow("boom");
    assert!(poll_once(&mut throw).is_ready());
    assert_reuse_panics(&mut throw);
    drop(throw);
    assert_eq!(g.state(), GenState::Closed);
}
