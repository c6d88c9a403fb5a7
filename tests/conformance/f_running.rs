//! F. "Already running": the Rust analogue is a step future dropped after it returned `Pending`
//! (F8). Two step futures of one generator cannot be alive together (E0499), so F1–F3 are tested
//! in that state: agen keeps the step in flight, `anext` finishes it, `asend` / `athrow` return
//! `Running` with their argument, `aclose` drops the body (or resumes an interrupted close).
//! The exception is an interrupted `athrow`, which closes the generator (documented on
//! `AsyncGen::athrow`).
//!
//! F7 (a body awaiting its own `anext`): the body cannot name its generator mutably (borrowck).

use std::pin::{pin, Pin};
use std::task::Poll;

use agen_runtime::{AsyncGen, Body, GenState, Resume, SendError, Step, ThrowError};
use futures_core::FusedFuture;

use crate::support::{block_on, pending_for, poll_once, yield_now, DropCount, Log};

/// Polls one `anext` once, expects `Pending`, and drops the future: the step stays in flight.
fn interrupt_anext<B: Body>(g: &mut Pin<&mut AsyncGen<B>>) {
    let mut step = g.anext();
    assert!(
        poll_once(&mut step).is_pending(),
        "the step should park at an inner await"
    );
}

/// A body that yields `1`, then awaits once before yielding `2`, logging what it receives.
macro_rules! two_step_body {
    ($log:expr, $drops:expr) => {{
        let (l, token) = ($log.clone(), $drops.token());
        agen!(<u32, u32, &'static str> |co| {
            let _token = token;
            let first = co.yield_catching(1).await;
            l.push(format!("first {first:?}"));
            yield_now().await;
            l.push("awaited");
            let second = co.yield_catching(2).await;
            l.push(format!("second {second:?}"));
        })
    }};
}

#[test]
fn f1_asend_while_a_step_is_interrupted_hands_the_value_back() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    assert_eq!(g.state(), GenState::Running);
    let error = block_on(g.asend(5)).unwrap_err();
    assert_eq!(error, SendError::Running(5));
    assert_eq!(
        error.to_string(),
        "asend(): asynchronous generator is already running"
    );
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(log.get(), ["first Next"], "the body did not move");
}

#[test]
fn f2_athrow_while_a_step_is_interrupted_hands_the_error_back() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    let error = block_on(g.athrow("boom")).unwrap_err();
    assert_eq!(error, ThrowError::Running("boom"));
    assert_eq!(
        error.to_string(),
        "athrow(): asynchronous generator is already running"
    );
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(log.get(), ["first Next"]);
}

#[test]
fn f3_aclose_while_a_step_is_interrupted_drops_the_body() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    assert_eq!(drops.get(), 0);
    assert_eq!(block_on(g.aclose()), Ok(None));
    assert_eq!(drops.get(), 1, "the body's destructors ran");
    assert_eq!(
        log.get(),
        ["first Next"],
        "no body code ran past the inner await"
    );
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(block_on(g.anext()), Step::Exhausted);
}

#[test]
fn f4_a_rejected_value_or_error_never_reaches_the_body() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    assert!(block_on(g.asend(5)).is_err());
    assert!(block_on(g.athrow("boom")).is_err());
    assert_eq!(block_on(g.anext()), Step::Yielded(2));
    assert_eq!(block_on(g.anext()), Step::Returned(()));
    assert_eq!(log.get(), ["first Next", "awaited", "second Next"]);
}

#[test]
fn f5_a_rejected_step_future_is_terminated() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    let mut send = g.asend(5);
    assert!(!send.is_terminated());
    assert_eq!(
        poll_once(&mut send),
        Poll::Ready(Err(SendError::Running(5)))
    );
    assert!(send.is_terminated());
    drop(send);
    let mut throw = g.athrow("boom");
    assert!(!throw.is_terminated());
    assert!(poll_once(&mut throw).is_ready());
    assert!(throw.is_terminated());
}

#[test]
fn f6_the_interrupted_step_is_unaffected_by_rejected_calls() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    for _ in 0..2 {
        assert_eq!(block_on(g.asend(5)), Err(SendError::Running(5)));
        assert_eq!(block_on(g.athrow("e")), Err(ThrowError::Running("e")));
    }
    assert_eq!(block_on(g.anext()), Step::Yielded(2));
    assert_eq!(g.state(), GenState::Suspended, "not running any more");
    assert_eq!(block_on(g.asend(7)), Ok(Step::Returned(())));
    assert_eq!(log.get(), ["first Next", "awaited", "second Send(7)"]);
    assert_eq!(drops.get(), 1);
}

#[test]
fn f8_anext_finishes_an_interrupted_anext_and_returns_its_item() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    interrupt_anext(&mut g);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(log.get(), ["first Next"]);
    assert_eq!(
        block_on(g.anext()),
        Step::Yielded(2),
        "the item is not lost"
    );
    assert_eq!(
        log.get(),
        ["first Next", "awaited"],
        "the body was resumed once"
    );
    assert_eq!(g.state(), GenState::Suspended);
}

#[test]
fn f8_an_interrupted_first_step_is_finished_by_anext() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        l.push("start");
        pending_for(2).await;
        co.yield_(1).await;
    }));
    interrupt_anext(&mut g);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(block_on(g.asend(3)), Err(SendError::Running(3)));
    interrupt_anext(&mut g);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(log.get(), ["start"], "the body was started once");
}

#[test]
fn f8_anext_finishes_an_interrupted_asend() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        let sent = co.yield_(1).await;
        l.push(format!("got {sent:?}"));
        yield_now().await;
        co.yield_(sent.unwrap_or(0) * 10).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut send = g.asend(4);
    assert!(poll_once(&mut send).is_pending());
    drop(send);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(
        block_on(g.anext()),
        Step::Yielded(40),
        "the sent value was delivered once"
    );
    assert_eq!(log.get(), ["got Some(4)"]);
}

#[test]
fn f8_an_athrow_dropped_mid_step_closes_the_generator() {
    // agen's documented exception to "the step stays in flight": an interrupted athrow closes,
    // since only its future could hand the thrown error back.
    let log = Log::new();
    let drops = DropCount::new();
    let (l, token) = (log.clone(), drops.token());
    let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
        let _token = token;
        if let Resume::Throw(error) = co.yield_catching(1).await {
            l.push(format!("caught {error}"));
            yield_now().await;
            l.push("handler resumed");
            co.yield_catching(2).await;
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut throw = g.athrow("boom");
    assert!(poll_once(&mut throw).is_pending());
    assert_eq!(drops.get(), 0);
    drop(throw);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(drops.get(), 1, "the body was dropped");
    assert_eq!(block_on(g.anext()), Step::Exhausted);
    assert_eq!(
        block_on(g.athrow("again")),
        Err(ThrowError::Exhausted("again"))
    );
    assert_eq!(block_on(g.aclose()), Ok(None));
    assert_eq!(log.get(), ["caught boom"]);
}

#[test]
fn f8_aclose_on_an_interrupted_step_drops_the_body() {
    let log = Log::new();
    let drops = DropCount::new();
    let (l, token) = (log.clone(), drops.token());
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        let _token = token;
        yield_now().await;
        l.push("resumed");
        if let Resume::Close = co.yield_catching(1).await {
            l.push("cleanup");
        }
    }));
    interrupt_anext(&mut g);
    assert_eq!(block_on(g.aclose()), Ok(None));
    assert_eq!(drops.get(), 1);
    assert!(
        log.get().is_empty(),
        "the body was dropped where it was parked"
    );
    assert_eq!(g.state(), GenState::Closed);
}

/// A body at a catching yield point that, on `Close`, awaits `pending_for(2)` then exits.
macro_rules! slow_cleanup_body {
    ($log:expr, $drops:expr) => {{
        let (l, token) = ($log.clone(), $drops.token());
        agen!(<u32, u32, &'static str> |co| {
            let _token = token;
            loop {
                if let Resume::Close = co.yield_catching(1).await {
                    l.push("cleanup start");
                    pending_for(2).await;
                    l.push("cleanup done");
                    match co.exit().await {}
                }
            }
        })
    }};
}

#[test]
fn f8_an_interrupted_close_is_resumed_by_the_next_aclose() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(slow_cleanup_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Pending);
    drop(close);
    assert_eq!(g.state(), GenState::Running);
    assert!(g.is_exhausted(), "a close is under way");
    assert_eq!(log.get(), ["cleanup start"]);
    assert_eq!(drops.get(), 0, "the body is still alive");
    assert_eq!(block_on(g.aclose()), Ok(None));
    assert_eq!(
        log.get(),
        ["cleanup start", "cleanup done"],
        "resumed, not restarted"
    );
    assert_eq!(drops.get(), 1);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn f8_anext_on_an_interrupted_close_reports_exhausted() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(slow_cleanup_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Pending);
    drop(close);
    for _ in 0..2 {
        assert_eq!(block_on(g.anext()), Step::Exhausted);
    }
    assert_eq!(
        log.get(),
        ["cleanup start"],
        "anext does not drive the close"
    );
    assert_eq!(block_on(g.aclose()), Ok(None));
    assert_eq!(log.get(), ["cleanup start", "cleanup done"]);
}

#[test]
fn e11_while_a_close_is_interrupted_asend_and_athrow_report_running() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(slow_cleanup_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Pending);
    drop(close);
    assert_eq!(block_on(g.asend(9)), Err(SendError::Running(9)));
    assert_eq!(block_on(g.athrow("e")), Err(ThrowError::Running("e")));
    assert_eq!(g.state(), GenState::Running);
    // A second interrupted aclose goes on from where the first stopped.
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Pending);
    drop(close);
    assert_eq!(log.get(), ["cleanup start"]);
    let mut close = g.aclose();
    assert_eq!(poll_once(&mut close), Poll::Ready(Ok(None)));
    drop(close);
    assert_eq!(log.get(), ["cleanup start", "cleanup done"]);
    assert_eq!(drops.get(), 1);
}

#[test]
fn f8_dropping_a_never_polled_step_future_changes_nothing() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    drop(g.anext());
    drop(g.asend(1));
    drop(g.athrow("e"));
    drop(g.aclose());
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(block_on(g.anext()), Step::Yielded(2));
    assert_eq!(log.get(), ["first Next", "awaited"]);
}

#[test]
fn f8_dropping_a_completed_step_future_changes_nothing() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = pin!(two_step_body!(log, drops));
    let mut step = g.anext();
    assert_eq!(poll_once(&mut step), Poll::Ready(Step::Yielded(1)));
    drop(step);
    assert_eq!(g.state(), GenState::Suspended);
    let mut step = g.anext();
    assert!(poll_once(&mut step).is_pending());
    assert_eq!(poll_once(&mut step), Poll::Ready(Step::Yielded(2)));
    drop(step);
    assert_eq!(g.state(), GenState::Suspended);
    let mut send = g.asend(3);
    assert_eq!(poll_once(&mut send), Poll::Ready(Ok(Step::Returned(()))));
    drop(send);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn f8_dropping_a_generator_with_an_interrupted_step_drops_its_body_once() {
    let (log, drops) = (Log::new(), DropCount::new());
    let mut g = Box::pin(two_step_body!(log, drops));
    assert_eq!(block_on(g.as_mut().anext()), Step::Yielded(1));
    interrupt_anext(&mut g.as_mut());
    drop(g);
    assert_eq!(drops.get(), 1);
    assert_eq!(log.get(), ["first Next"]);
}

#[test]
fn e5_a_resumed_close_that_yields_hands_the_item_back() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, ()> |co| {
        let _token = token;
        if let Resume::Close = co.yield_catching(1).await {
            yield_now().await;
            co.yield_(2).await;
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert!(poll_once(&mut close).is_pending());
    drop(close);
    assert_eq!(block_on(g.aclose()), Err(agen_runtime::CloseIgnored(2)));
    assert_eq!(drops.get(), 1);
    assert_eq!(g.state(), GenState::Closed);
}
