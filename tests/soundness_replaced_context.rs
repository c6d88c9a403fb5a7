//! Attack (the body's context): a future awaited in the body receives `&mut Context` to the very
//! `Context` object the body's `async` block is polled with, and safe code may overwrite it
//! (`*cx = Context::from_waker(w)` for any `w: &'static Waker`, or `mem::swap`). Every later
//! `.await` of that poll, yield points included, is then polled with the replaced context.
//!
//! A runtime that found the poll's exchange through the address of `cx.waker()` would then take
//! the memory behind the replaced waker for the exchange and write the yield point's item there
//! (an earlier version did: undefined behaviour in release builds, reported by Miri with
//! `--release`; `forged_reference` below turned it into a `&'static u64` holding an arbitrary
//! address). Yield points find the exchange through the address of the context object itself,
//! which code in the body can overwrite but not move: each step must complete exactly as if
//! the context had not been replaced, in every build.
//!
//! Each test replaces the context, then reaches one kind of yield point in the same poll:
//! plain, catching, `closed!()`, `yield_from!` of a generator, and `yield_from!` of a stream
//! whose own `poll_next` replaces the context (no user code in the body at all). The context put
//! in points at a leaked `Room`: a waker followed by spare bytes, so that a runtime that trusted
//! it would write into the room rather than into someone else's memory.

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_gen, closed, yield_catch, yield_from, Resume, Step};
use futures_core::Stream;

/// A waker with room behind it: what a runtime that trusts the replaced context writes into
/// (and first drops what it takes to be the transit there: zeroes).
#[repr(C)]
struct Room {
    waker: Waker,
    _room: [u64; 16],
}

/// A `&'static Waker` that is not the body's, a fresh one at each call (tests run in parallel),
/// kept reachable so that nothing leaks.
fn foreign_waker() -> &'static Waker {
    static ROOMS: Mutex<Vec<&'static Room>> = Mutex::new(Vec::new());
    let room: &'static Room = Box::leak(Box::new(Room {
        waker: Waker::noop().clone(),
        _room: [0; 16],
    }));
    ROOMS.lock().unwrap_or_else(|e| e.into_inner()).push(room);
    &room.waker
}

/// Replaces the context the body is being polled with, then completes at once.
async fn replace_the_context() {
    poll_fn(|cx: &mut Context<'_>| {
        *cx = Context::from_waker(foreign_waker());
        Poll::Ready(())
    })
    .await
}

/// Polls `step` once with a no-op waker.
fn poll_once<F: Future>(step: Pin<&mut F>) -> Poll<F::Output> {
    step.poll(&mut Context::from_waker(Waker::noop()))
}

/// The step completed as if the context had not been replaced.
fn assert_sound<T: PartialEq + std::fmt::Debug>(polled: Poll<T>, expected: T) {
    assert_eq!(
        polled,
        Poll::Ready(expected),
        "the yield point did not reach its own generator"
    );
}

#[test]
fn a_plain_yield_point_after_the_body_replaced_its_context() {
    let gen = async_gen! {
        replace_the_context().await;
        yield 7_u64;
    };
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Yielded(7));
}

#[test]
fn a_yield_point_in_the_item_of_another_after_the_context_was_replaced() {
    let gen = async_gen! {
        yield { replace_the_context().await; 8_u64 };
    };
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Yielded(8));
}

#[test]
fn a_catching_yield_point_after_the_body_replaced_its_context() {
    let gen = async_gen! {
        replace_the_context().await;
        if let Resume::Close = yield_catch!(String::from("item")) {
            return;
        }
    };
    let mut gen = pin!(gen);
    assert_sound(
        poll_once(pin!(gen.anext())),
        Step::Yielded(String::from("item")),
    );
}

#[test]
fn closed_after_the_body_replaced_its_context() {
    let gen = async_gen!(yield = u64 => {
        replace_the_context().await;
        closed!()
    });
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Exhausted);
}

#[test]
fn delegation_to_a_generator_after_the_body_replaced_its_context() {
    let gen = async_gen! {
        replace_the_context().await;
        yield_from!(async_gen! { yield 3_u64; });
    };
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Yielded(3));
}

/// A stream that replaces the context it is polled with: `yield_from!` polls it with the body's
/// context, then re-yields its item through a yield point of its own.
struct ReplacesTheContext(u8);

impl Stream for ReplacesTheContext {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        *cx = Context::from_waker(foreign_waker());
        self.0 += 1;
        Poll::Ready((self.0 == 1).then_some(5))
    }
}

#[test]
fn delegation_to_a_stream_that_replaces_the_context() {
    let gen = async_gen! {
        yield_from!(ReplacesTheContext(0));
    };
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Yielded(5));
}

/// The hole, as it was used to forge a reference in safe code: the context is pointed at a
/// waker followed by cells that hold `&'static u64`, then the body yields `[usize; 3]`. A
/// runtime that trusted the waker's address wrote that item over the cells. Now the item comes
/// out of the step and the cells are untouched.
#[test]
fn forged_reference() {
    #[repr(C)]
    struct Fake {
        waker: Waker,
        slots: [Cell<&'static u64>; 4],
    }
    static GOOD: u64 = 42;
    let fake: &'static Fake = Box::leak(Box::new(Fake {
        waker: Waker::noop().clone(),
        slots: [const { Cell::new(&GOOD) }; 4],
    }));
    // Kept reachable, so that nothing leaks.
    static FAKE: AtomicPtr<()> = AtomicPtr::new(std::ptr::null_mut());
    FAKE.store((fake as *const Fake).cast_mut().cast(), Ordering::Relaxed);
    // Safe: exposing a pointer's provenance is a safe operation.
    let _ = (fake as *const Fake).expose_provenance();
    let gen = async_gen! {
        poll_fn(|cx: &mut Context<'_>| {
            *cx = Context::from_waker(&fake.waker);
            Poll::Ready(())
        })
        .await;
        yield [0x8_usize, 0x8, 0x8];
    };
    let mut gen = pin!(gen);
    assert_sound(poll_once(pin!(gen.anext())), Step::Yielded([0x8, 0x8, 0x8]));
    for slot in &fake.slots {
        let reference: &'static u64 = slot.get();
        assert!(std::ptr::eq(reference, &GOOD));
        assert_eq!(*reference, 42);
    }
}
