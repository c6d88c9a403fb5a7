//! Compiled for a bare-metal target (`thumbv7em-none-eabihf`) by `scripts/no-std-check`: a
//! generator and the code that drives it through the whole protocol, with `core` only. There is no
//! allocator here (no `alloc` crate), so nothing in it, nor in `agen-runtime`, can allocate.
#![no_std]
#![forbid(unsafe_code)]

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use agen_runtime::{async_generator, for_await, yield_, yield_catch, yield_from, Resume, Step};

/// The error thrown in to reset the total.
#[derive(Debug, PartialEq)]
pub struct Reset;

/// A running total: `asend(x)` adds `x`, `athrow(Reset)` resets it, `aclose()` returns it.
#[async_generator(yield = u32, send = u32, throw = Reset)]
pub async fn running_total(start: u32) -> u32 {
    let mut total = start;
    loop {
        match yield_catch!(total) {
            Resume::Next => {}
            Resume::Send(x) => total += x,
            Resume::Throw(Reset) => total = 0,
            Resume::Close => return total,
        }
    }
}

/// Counts down from `from`.
#[async_generator(yield = u32)]
pub async fn countdown(from: u32) {
    for n in (1..=from).rev() {
        yield_!(n);
    }
}

/// Delegates to two countdowns.
#[async_generator(yield = u32)]
pub async fn two_countdowns(first: u32, second: u32) {
    yield_from!(countdown(first));
    yield_from!(countdown(second));
}

/// Drives every method once and sums a delegating generator with `for_await!`; returns a
/// checksum, or `None` if a step did not come out as expected.
pub async fn exercise() -> Option<u32> {
    let mut gen = pin!(running_total(1));
    if gen.anext().await != Step::Yielded(1) {
        return None;
    }
    if gen.asend(2).await != Ok(Step::Yielded(3)) {
        return None;
    }
    if gen.athrow(Reset).await != Ok(Step::Yielded(0)) {
        return None;
    }
    if gen.asend(5).await != Ok(Step::Yielded(5)) {
        return None;
    }
    let closed = gen.aclose().await.ok()??;

    let mut sum = 0;
    for_await!(n in two_countdowns(3, 2) {
        sum += n;
    });
    Some(closed * 100 + sum) // 5 * 100 + (3 + 2 + 1) + (2 + 1)
}

/// Polls `exercise()` to completion with a no-op waker: no executor, no allocation. Every await
/// in it is ready at once, so one poll suffices.
pub fn run() -> Option<u32> {
    let mut future = pin!(exercise());
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(result) => result,
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_protocol_runs_without_std() {
        assert_eq!(super::run(), Some(509));
    }
}
