//! Attack (the plain yield point's put hook, shadowed by name, awaiting). A plain yield point
//! expands to
//!
//! ```text
//! Protocol::yield_as(Co::protocol(&co), item, Co::here(&mut co).await, __agen_plain_put!());
//! ```
//!
//! and any code in the body can define its own `__agen_plain_put!` (that is how `try_finally!`
//! changes it). The hook's expansion only has to be of a marker type, and is evaluated after
//! `Co::here(…).await` has produced the slot, a raw pointer into the exchange of the poll under
//! way, and before the slot is used. An `.await` in the hook that is pending suspends the body
//! with the slot held; the next step polls the body with a new exchange, and the slot writes the
//! item into the old one, a dead stack slot of the previous poll.
//!
//! Observed: the item never reaches the consumer (the step goes on as if nothing had been
//! yielded), the write lands in whatever now occupies that stack memory (the second test finds
//! it in a caller's local array), and Miri reports the write as a use of freed memory
//! (`cargo +nightly miri test -p agen-tests --test soundness_put_hook_await`).
//!
//! These tests fail while the hole is open.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_gen, yield_, Step};

/// Pending once, then ready.
struct PendingOnce(bool);

impl Future for PendingOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[test]
fn a_put_hook_that_awaits_loses_the_item_into_the_previous_polls_exchange() {
    let gen = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                PendingOnce(false).await;
                agen_runtime::__private::PlainYield
            }};
        }
        yield_!(1);
    });
    let mut gen = pin!(gen);
    let mut cx = Context::from_waker(Waker::noop());
    let mut step = gen.anext();
    // The body takes the slot, then suspends in the hook.
    assert!(poll_here(&mut step, &mut cx).is_pending());
    // The slot still points into the first poll's exchange. (Polled from deeper in the stack, so
    // that the new exchange is not where the old one was, which would hide the loss.)
    let second = poll_deeper(16, &mut step, &mut cx);
    assert_eq!(second, Poll::Ready(Step::Yielded(1)), "the item was written to a dead exchange");
}

/// Bytes of a local array that the first poll's stack frames occupied (the frames of the step's
/// poll are far smaller than this, in debug and in release builds).
const COVER: usize = 1 << 16;

#[inline(never)]
fn poll_deeper<F: Future + Unpin>(depth: usize, step: &mut F, cx: &mut Context<'_>) -> Poll<F::Output> {
    let mut pad = [depth as u8; 512];
    std::hint::black_box(&mut pad);
    let polled = if depth == 0 {
        Pin::new(step).poll(cx)
    } else {
        poll_deeper(depth - 1, step, cx)
    };
    std::hint::black_box(&pad);
    polled
}

#[inline(never)]
fn poll_under_a_local_array<F: Future + Unpin>(step: &mut F, cx: &mut Context<'_>) -> usize {
    let mut canary = [0xA5_u8; COVER];
    std::hint::black_box(&mut canary);
    let _ = Pin::new(step).poll(cx);
    std::hint::black_box(&canary);
    canary.iter().filter(|&&byte| byte != 0xA5).count()
}

#[inline(never)]
fn poll_here<F: Future + Unpin>(step: &mut F, cx: &mut Context<'_>) -> Poll<F::Output> {
    Pin::new(step).poll(cx)
}

#[test]
#[cfg_attr(miri, ignore = "Miri stops at the first test's write")]
fn a_put_hook_that_awaits_writes_the_item_into_a_callers_local() {
    let gen = async_gen!(yield = u64 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                PendingOnce(false).await;
                agen_runtime::__private::PlainYield
            }};
        }
        yield_!(0x1122_3344_5566_7788);
    });
    let mut gen = pin!(gen);
    let mut cx = Context::from_waker(Waker::noop());
    let mut step = gen.anext();
    assert!(poll_here(&mut step, &mut cx).is_pending());
    // The second poll runs below a local array that now covers the stack memory the first
    // poll's exchange was in.
    let changed = poll_under_a_local_array(&mut step, &mut cx);
    assert_eq!(changed, 0, "the yield point wrote {changed} bytes into the caller's local array");
}
