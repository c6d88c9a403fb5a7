//! Attack (the hooks a body's plain yield points go through): the body defines, and
//! `try_finally!` shadows, two macros by name, `__agen_plain_put!` (how a plain yield point puts
//! its item out) and `__agen_plain_resumed!` (what it does with its resumption), and
//! `__agen_end!` (how the body ends early). User code can shadow them too, by the same names.
//! Whatever a shadow does, it must not get the body's handle, nor anything made from it that a
//! later poll could use: it gets a resumption already taken, a marker, the user's own tokens.
//!
//! The shadow below moves the resumption's tokens into an `async` block polled with a context of
//! its own: if those tokens were `Co::resumed(&mut handle).await`, that future would look for the
//! exchange at the address of the wrong context (a panic in debug builds, undefined behaviour in
//! release builds). A shadow of `__agen_plain_put!` can only name a marker type of the runtime's
//! (`tests/ui/fail/soundness-shadowed-put-hook.rs`).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_gen, yield_, Step};

fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Polls `future` to completion with a context of its own, then returns its output.
fn poll_elsewhere<F: Future>(future: F) -> F::Output {
    run(future)
}

#[test]
fn a_shadowed_resumption_hook_gets_a_resumption_not_the_handle() {
    let gen = async_gen!(yield = u32, send = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_resumed {
            ($resume:expr) => {
                poll_elsewhere(async { $resume })
            };
        }
        let first = yield_!(1);
        yield_!(first.unwrap_or(0) + 1);
    });
    run(async {
        let mut gen = pin!(gen);
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.asend(41).await, Ok(Step::Yielded(42)));
        assert_eq!(gen.anext().await, Step::Returned(()));
    });
}

/// Pending once, then ready.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if std::mem::replace(&mut yielded, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::pin::Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

fn message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// A put hook that names the catching marker with the resumption hook left as it is: a throw
/// then reaches what a plain yield point does with its resumption, which panics.
#[test]
fn a_put_hook_that_makes_a_plain_yield_point_catching() {
    let gen = async_gen!(yield = u32, throw = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {
                agen_runtime::__private::CatchingYield
            };
        }
        yield_!(1);
    });
    let mut gen = pin!(gen);
    assert_eq!(run(gen.anext()), Step::Yielded(1));
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(gen.athrow(3))))
        .expect_err("the throw reaches a plain yield point's resumption");
    assert!(message(panic).contains("resumed with a throw"));
    assert_eq!(gen.state(), agen_runtime::GenState::Closed);
}

/// A resumption hook that awaits (pending once) after the resumption was taken: nothing of the
/// exchange is held.
#[test]
fn a_resumption_hook_that_awaits() {
    let gen = async_gen!(yield = u32, send = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_resumed {
            ($resume:expr) => {{
                let resume = $resume;
                yield_now().await;
                resume
            }};
        }
        let first = yield_!(1);
        yield_!(first.unwrap_or(0) + 1);
    });
    let mut gen = pin!(gen);
    assert_eq!(run(gen.anext()), Step::Yielded(1));
    let mut send = gen.asend(41);
    assert!(poll_once(&mut send).is_pending());
    assert_eq!(poll_once(&mut send), Poll::Ready(Ok(Step::Yielded(42))));
}

/// The local macro's `delegate` arm, invoked by name, with a mode expression that awaits and
/// yields before it evaluates to the mode: all of it runs before the delegation exists.
#[test]
fn the_delegate_arm_with_a_mode_that_awaits_and_yields() {
    let gen = async_gen!(yield = u32, return = u32 => {
        let inner = async_gen!(yield = u32, return = u32 => {
            yield 20;
            5
        });
        let ended = yield_point_outside_of_an_async_generator_body! {
            delegate {
                yield_now().await;
                yield_!(10);
                yield_now().await;
                agen_runtime::__private::Catch
            },
            inner
        };
        match ended {
            agen_runtime::Delegated::Returned(value) => value,
            other => panic!("unexpected {other:?}"),
        }
    });
    run(async {
        let mut gen = pin!(gen);
        assert_eq!(gen.anext().await, Step::Yielded(10));
        assert_eq!(gen.anext().await, Step::Yielded(20));
        assert_eq!(gen.anext().await, Step::Returned(5));
    });
}
