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
