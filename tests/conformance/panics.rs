//! A panic in the body is Rust's uncaught exception (A6, B7, C5, D4, E7): it propagates to the
//! caller of the step; afterwards the generator is closed, every call reports it, and each local
//! of the body has been dropped exactly once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};

use agen_runtime::{AsyncGen, Body, GenState, Resume, SendError, Step, ThrowError};
use futures_core::FusedStream;

use crate::support::{block_on, next, yield_now, DropCount, Log};

/// Runs `f`, expecting it to panic; returns the panic message.
fn panic_message<T>(f: impl FnOnce() -> T) -> String {
    let payload = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => payload,
    };
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .expect("a string panic message")
}

/// Every call on a generator closed by a panic reports it, again and again.
fn assert_closed_for_every_call<B>(g: &mut Pin<&mut AsyncGen<B>>)
where
    B: Body<Send = u32, Throw = &'static str>,
    B::Yield: std::fmt::Debug + PartialEq,
    B::Return: std::fmt::Debug + PartialEq,
{
    assert_eq!(g.state(), GenState::Closed);
    assert!(g.is_exhausted());
    for _ in 0..2 {
        assert_eq!(block_on(g.anext()), Step::Exhausted);
        assert_eq!(block_on(g.asend(1)), Err(SendError::Exhausted(1)));
        assert_eq!(block_on(g.athrow("e")), Err(ThrowError::Exhausted("e")));
        assert_eq!(block_on(g.aclose()), Ok(None));
    }
}

#[test]
fn a6_a_panic_during_anext_propagates_and_closes_the_generator() {
    let drops = DropCount::new();
    let (early, late) = (drops.token(), drops.clone());
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _early = early;
        co.yield_(1).await;
        let _late = late.token();
        yield_now().await;
        panic!("body panicked");
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(panic_message(|| block_on(g.anext())), "body panicked");
    assert_eq!(drops.get(), 2, "both locals dropped once");
    assert_closed_for_every_call(&mut g);
    assert_eq!(drops.get(), 2, "and never again");
}

#[test]
fn a6_a_panic_before_the_first_yield_propagates_and_closes() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        if drops.get() == 0 {
            panic!("at start");
        }
        co.yield_(1).await;
    }));
    assert_eq!(panic_message(|| block_on(g.anext())), "at start");
    assert_closed_for_every_call(&mut g);
}

#[test]
fn b7_a_panic_during_asend_propagates_and_closes() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        let sent = co.yield_(1).await;
        assert_ne!(sent, Some(0), "zero sent");
        co.yield_(2).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let message = panic_message(|| block_on(g.asend(0)));
    assert!(message.contains("zero sent"), "{message}");
    assert_eq!(drops.get(), 1);
    assert_closed_for_every_call(&mut g);
    assert_eq!(drops.get(), 1);
}

#[test]
fn d8_a_panic_in_an_athrow_handler_propagates_and_closes() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        if let Resume::Throw(error) = co.yield_catching(1).await {
            yield_now().await;
            panic!("handler failed on {error}");
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(
        panic_message(|| block_on(g.athrow("boom"))),
        "handler failed on boom"
    );
    assert_eq!(drops.get(), 1);
    assert_closed_for_every_call(&mut g);
}

#[test]
fn e7_a_panic_during_close_cleanup_propagates_and_closes() {
    let drops = DropCount::new();
    let log = Log::new();
    let (token, l) = (drops.token(), log.clone());
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        if let Resume::Close = co.yield_catching(1).await {
            l.push("cleanup");
            yield_now().await;
            panic!("cleanup failed");
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(panic_message(|| block_on(g.aclose())), "cleanup failed");
    assert_eq!(log.get(), ["cleanup"]);
    assert_eq!(drops.get(), 1);
    assert_closed_for_every_call(&mut g);
}

/// Panics when dropped.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("destructor panicked");
    }
}

#[test]
fn e2_a_panicking_destructor_during_aclose_propagates_and_leaves_the_generator_closed() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        let _bomb = PanicOnDrop;
        co.yield_(1).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(
        panic_message(|| block_on(g.aclose())),
        "destructor panicked"
    );
    assert_eq!(drops.get(), 1, "the other local was still dropped, once");
    assert_closed_for_every_call(&mut g);
    assert_eq!(drops.get(), 1);
}

#[test]
fn c5_a_panic_while_streaming_ends_the_stream() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        co.yield_(1).await;
        panic!("stream body panicked");
    }));
    assert_eq!(block_on(next(&mut g)), Some(1));
    assert!(!g.is_terminated());
    assert_eq!(
        panic_message(|| block_on(next(&mut g))),
        "stream body panicked"
    );
    assert!(g.is_terminated());
    assert_eq!(block_on(next(&mut g)), None);
    assert_eq!(drops.get(), 1);
}

#[test]
fn a6_dropping_a_generator_closed_by_a_panic_drops_nothing_twice() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = Box::pin(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        co.yield_(1).await;
        panic!("late");
    }));
    assert_eq!(block_on(g.as_mut().anext()), Step::Yielded(1));
    assert_eq!(panic_message(|| block_on(g.as_mut().anext())), "late");
    assert_eq!(drops.get(), 1);
    drop(g);
    assert_eq!(drops.get(), 1);
}

#[test]
fn d4_raise_outside_an_athrow_step_panics_and_closes() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        co.yield_(1).await;
        match co.raise("stray").await {}
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert!(panic_message(|| block_on(g.anext()))
        .starts_with("agen: a generator body raised an error outside an athrow step"));
    assert_eq!(drops.get(), 1);
    assert_closed_for_every_call(&mut g);
}

#[test]
fn e7_raise_during_a_close_panics_and_closes() {
    let drops = DropCount::new();
    let token = drops.token();
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = token;
        if let Resume::Close = co.yield_catching(1).await {
            match co.raise("during close").await {}
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert!(panic_message(|| block_on(g.aclose()))
        .starts_with("agen: a generator body raised an error outside an athrow step"));
    assert_eq!(drops.get(), 1);
    assert_closed_for_every_call(&mut g);
}

/// Counts drops in a static, so that a double drop is observable without corrupting memory.
struct StaticToken(&'static std::sync::atomic::AtomicUsize);

impl Drop for StaticToken {
    fn drop(&mut self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a6_a_step_future_polled_again_after_its_poll_panicked_does_not_touch_the_dropped_body() {
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        co.yield_(1).await;
        panic!("body panicked");
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut send = g.asend(5);
    assert_eq!(
        panic_message(|| crate::support::poll_once(&mut send)),
        "body panicked"
    );
    // The step has ended (in a panic); polling it again must not resume the dropped body.
    assert_eq!(
        panic_message(|| crate::support::poll_once(&mut send)),
        "agen: a step future was polled again after its generator finished or panicked"
    );
    drop(send);
    assert_closed_for_every_call(&mut g);
}

#[test]
fn e4_an_aclose_polled_again_after_a_destructor_panicked_drops_nothing_twice() {
    static DROPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut g = pin!(agen!(<u32, u32, &'static str, ()> |co| {
        let _token = StaticToken(&DROPS);
        let _bomb = PanicOnDrop;
        if let Resume::Close = co.yield_catching(1).await {
            match co.exit().await {}
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut close = g.aclose();
    assert_eq!(
        panic_message(|| crate::support::poll_once(&mut close)),
        "destructor panicked"
    );
    assert_eq!(DROPS.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Whatever a second poll does, it must not run the body's destructors again.
    let _ = catch_unwind(AssertUnwindSafe(|| crate::support::poll_once(&mut close)));
    drop(close);
    assert_eq!(
        DROPS.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the body's locals were dropped twice"
    );
    assert_closed_for_every_call(&mut g);
}
