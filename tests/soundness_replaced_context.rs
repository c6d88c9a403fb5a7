//! Attack (the body's context): a future awaited in the body receives `&mut Context` to the very
//! `Context` object the body's `async` block is polled with, and safe code may overwrite it
//! (`*cx = Context::from_waker(w)` for any `w: &'static Waker`, or `mem::swap`). Every later
//! `.await` of that poll, yield points included, is then polled with the replaced context, whose
//! waker is not at the address of the poll's exchange.
//!
//! What a sound runtime must do: the yield point still reaches its own generator (the step
//! completes as usual), or the runtime panics. What it must never do is treat the memory behind
//! the replaced waker as the exchange.
//!
//! Each test replaces the context, then reaches one kind of yield point in the same poll:
//! plain, catching, `closed!()`, `yield_from!` of a generator, and `yield_from!` of a stream
//! whose own `poll_next` replaces the context (no user code in the body at all). The context put
//! in points at a leaked `Room`: a waker followed by spare bytes, so that a runtime that trusts
//! it writes into the room rather than into someone else's memory.
//!
//! At the time these tests were written, debug builds panic (the check against the recorded
//! exchange), and release builds write the yield point's transit into the room and return
//! `Pending`: undefined behaviour, reported by
//! `MIRIFLAGS=-Zmiri-permissive-provenance cargo +nightly miri test --release --test
//! soundness_replaced_context`. The ignored test `forged_reference` turns the same write into a
//! `&'static u64` holding an arbitrary address, in safe code (`cargo test --release --test
//! soundness_replaced_context -- --ignored` ends in SIGSEGV).

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
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

/// Polls `step` once: `None` if the runtime panicked (the sound refusal), else what it returned.
fn poll_once<F: Future>(step: Pin<&mut F>) -> Option<Poll<F::Output>> {
    let mut cx = Context::from_waker(Waker::noop());
    match catch_unwind(AssertUnwindSafe(|| step.poll(&mut cx))) {
        Ok(poll) => Some(poll),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            assert!(message.starts_with("agen:"), "unexpected panic: {message}");
            None
        }
    }
}

/// The step either completed as if the context had not been replaced, or the runtime panicked.
fn assert_sound<T: PartialEq + std::fmt::Debug>(polled: Option<Poll<T>>, expected: T) {
    if let Some(poll) = polled {
        assert_eq!(
            poll,
            Poll::Ready(expected),
            "the yield point did not reach its own generator"
        );
    }
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

/// The same hole, used to forge a reference in safe code: the runtime writes the transit of a
/// yield point of `[usize; 3]` over cells that hold `&'static u64`. Release builds only (debug
/// builds panic first); it ends by dereferencing the forged references.
#[test]
#[ignore = "demonstrates undefined behaviour in release builds: forges a &'static u64"]
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
    let step = pin!(gen.anext()).poll(&mut Context::from_waker(Waker::noop()));
    println!("step: {:?}", step.map(|s| s.yielded()));
    for slot in &fake.slots {
        let forged: &'static u64 = slot.get();
        println!("a &'static u64 at {forged:p}: {}", *forged);
    }
}
