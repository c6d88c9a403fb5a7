//! A. Lifecycle states and transitions.
//!
//! A8 (two step futures created up front act on the current state): two step futures of one
//! generator cannot coexist, each borrows it mutably (E0499); a step future reads the state on
//! its first poll, which `a1_*` checks by creating futures that are never polled.
//! A9 (`__name__`, `ag_code`, `ag_frame`): agen exposes no such metadata; nothing to test.

use std::pin::pin;
use std::task::Poll;

use agen_runtime::{GenState, Step};

use crate::support::{
    block_on, block_on_counting, current_waker, next, pending_for, poll_once, yield_now, DropCount,
    Log,
};

#[test]
fn a1_creating_a_generator_runs_no_body_code() {
    let log = Log::new();
    let drops = DropCount::new();
    let (l, token) = (log.clone(), drops.token());
    let gen = agen!(<u32, (), ()> |co| {
        let _token = token;
        l.push("body");
        co.yield_(1).await;
    });
    assert!(log.get().is_empty());
    drop(gen);
    assert!(
        log.get().is_empty(),
        "dropping an unstarted generator runs no body code"
    );
    assert_eq!(drops.get(), 1, "the closure's captures are dropped once");
}

#[test]
fn a1_step_futures_do_nothing_until_polled() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            l.push("started");
            co.yield_catching(1).await;
        }));
        drop(g.anext());
        drop(g.asend(7));
        drop(g.athrow("never delivered"));
        drop(g.aclose());
        assert!(log.get().is_empty());
        assert_eq!(g.state(), GenState::Created);
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(log.get(), ["started"]);
    });
}

#[test]
fn a1_unpolled_step_futures_leave_a_suspended_generator_untouched() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            let r = co.yield_catching(1).await;
            l.push(format!("{r:?}"));
            co.yield_catching(2).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        drop(g.anext());
        drop(g.asend(7));
        drop(g.athrow("never delivered"));
        drop(g.aclose());
        assert_eq!(g.state(), GenState::Suspended);
        assert!(log.get().is_empty());
        assert_eq!(g.asend(9).await, Ok(Step::Yielded(2)));
        assert_eq!(log.get(), ["Send(9)"]);
    });
}

#[test]
fn a2_a_fresh_generator_is_created() {
    let g = pin!(agen!(<u32, (), ()> |co| {
        co.yield_(1).await;
    }));
    assert_eq!(g.state(), GenState::Created);
    assert!(!g.is_exhausted());
    assert_eq!(format!("{:?}", *g), "AsyncGen { state: Created, .. }");
}

#[test]
fn a3_after_a_yield_the_generator_is_suspended() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            co.yield_(1).await;
            co.yield_catching(2).await;
            co.yield_(3).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.state(), GenState::Suspended);
        assert_eq!(g.anext().await, Step::Yielded(2));
        assert_eq!(g.state(), GenState::Suspended, "at a catching yield point");
        assert_eq!(g.asend(5).await, Ok(Step::Yielded(3)));
        assert_eq!(g.state(), GenState::Suspended, "after asend");
        assert!(!g.is_exhausted());
    });
}

#[test]
fn a4_a_step_parked_at_an_inner_await_leaves_the_generator_running() {
    let mut g = pin!(agen!(<u32, (), ()> |co| {
        yield_now().await;
        co.yield_(1).await;
        yield_now().await;
    }));
    let mut step = g.anext();
    assert_eq!(poll_once(&mut step), Poll::Pending);
    drop(step);
    assert_eq!(g.state(), GenState::Running);
    assert!(!g.is_exhausted());
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(
        g.state(),
        GenState::Suspended,
        "Running drops back when the step yields"
    );
    let mut step = g.anext();
    assert_eq!(poll_once(&mut step), Poll::Pending);
    drop(step);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(block_on(g.anext()), Step::Returned(()));
    assert_eq!(g.state(), GenState::Closed, "... and when it returns");
}

#[test]
fn a4_inner_awaits_wake_the_callers_waker_and_nothing_else_does() {
    let mut g = pin!(agen!(<u32, (), ()> |co| {
        pending_for(3).await;
        co.yield_(1).await;
        co.yield_(2).await;
        pending_for(2).await;
    }));
    assert_eq!(block_on_counting(g.anext()), (Step::Yielded(1), 3));
    assert_eq!(
        block_on_counting(g.anext()),
        (Step::Yielded(2), 0),
        "a yield needs no wake"
    );
    assert_eq!(block_on_counting(g.anext()), (Step::Returned(()), 2));
}

#[test]
fn a4_a_clone_of_the_bodys_waker_is_the_callers_own_waker() {
    block_on(async {
        let outer = current_waker().await;
        let mut g = pin!(agen!(<bool, (), ()> |co| {
            let inner = current_waker().await;
            co.yield_(inner.will_wake(&outer)).await;
        }));
        assert_eq!(
            g.anext().await,
            Step::Yielded(true),
            "what a future inside the body keeps is the caller's waker, not the body's forwarder"
        );
    });
}

#[test]
fn a5_a_finished_body_is_dropped_and_never_runs_again() {
    block_on(async {
        let log = Log::new();
        let drops = DropCount::new();
        let (l, token) = (log.clone(), drops.token());
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let _token = token;
            co.yield_(1).await;
            l.push("end");
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(drops.get(), 0);
        assert_eq!(g.anext().await, Step::Returned(()));
        assert_eq!(
            drops.get(),
            1,
            "the body's locals are dropped when it finishes"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert!(g.is_exhausted());
        for _ in 0..3 {
            assert_eq!(g.anext().await, Step::Exhausted);
        }
        assert_eq!(log.get(), ["end"]);
        assert_eq!(drops.get(), 1);
    });
}

#[test]
fn a5_a_bare_return_ends_the_body() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
            if l.get().is_empty() {
                return;
            }
            l.push("unreachable");
            co.yield_(2).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(()));
        assert_eq!(g.state(), GenState::Closed);
        assert!(log.get().is_empty());
    });
}

#[test]
fn a6_an_error_returned_by_the_body_closes_the_generator() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), Result<(), &'static str>> |co| {
            co.yield_(1).await;
            Err("bad")?;
            co.yield_(2).await;
            Ok(())
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(Err("bad")));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn a7_the_generator_itself_is_the_stream_with_no_copy_of_its_state() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            for i in 1..=4 {
                co.yield_(i).await;
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(next(&mut g).await, Some(2));
        assert_eq!(g.anext().await, Step::Yielded(3));
        assert_eq!(next(&mut g).await, Some(4));
        assert_eq!(next(&mut g).await, None);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}
