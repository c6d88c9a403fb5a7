//! Workload 5: one level of delegation. An outer generator yields every item of an inner one
//! (`0..N`, as in workload 1) through `yield_from!`, or the other crates' equivalent; ns/item.
//! The budget compares agen's delegation with agen yielding the items directly (workload 1's
//! generator, measured again here as `agen-direct`). `w5-delegate` consumes the outer stream
//! fused, `w5-delegate-dyn` through `Pin<&mut dyn Stream>` (the inner one is always polled by
//! the outer, where the optimizer sees both).

use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_from};
use futures_core::Stream;
use futures_util::StreamExt;
use genawaiter::GeneratorState;

use super::w1_sum::{count, count_async_stream, count_genawaiter, Count};
use super::{agen_sizes, triangle, Case, Consumer, Dyn, Fused, N};

/// The floor: a hand-written stream forwarding a hand-written inner stream.
pub struct Forward {
    inner: Count,
}

impl Stream for Forward {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

/// One level of delegation: every item of `count(n)` passes through this generator.
#[async_generator(yield = u64)]
pub async fn delegating<C>(n: u64) {
    yield_from!(count::<C>(n));
}

/// async-stream has no delegation: the outer stream re-yields each item of the inner one.
pub fn forwarding_async_stream<C>(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        let mut inner = pin!(count_async_stream::<C>(n));
        while let Some(item) = inner.next().await {
            yield item;
        }
    }
}

pub async fn forwarding_genawaiter(co: genawaiter::stack::Co<'_, u64>, n: u64) {
    genawaiter::stack::let_gen_using!(inner, |co| count_genawaiter(co, n));
    while let GeneratorState::Yielded(item) = inner.async_resume().await {
        co.yield_(item).await;
    }
}

fn hand<C: Consumer>() -> u64 {
    C::drain(pin!(Forward {
        inner: Count::new(black_box(N))
    }))
}

fn agen_direct<C: Consumer>() -> u64 {
    C::drain(pin!(count::<C>(black_box(N))))
}

fn agen_delegate<C: Consumer>() -> u64 {
    C::drain(pin!(delegating::<C>(black_box(N))))
}

fn async_stream<C: Consumer>() -> u64 {
    C::drain(pin!(forwarding_async_stream::<C>(black_box(N))))
}

fn genawaiter_stack<C: Consumer>() -> u64 {
    let n = black_box(N);
    genawaiter::stack::let_gen_using!(generator, |co| forwarding_genawaiter(co, n));
    C::drain(Pin::new(generator))
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| forwarding_genawaiter(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
fn delegating_sizes() -> (usize, usize) {
    agen_sizes(&delegating::<Fused>(1))
}

pub fn cases() -> Vec<Case> {
    let case = |workload, implementation, run, size| Case {
        workload,
        implementation,
        unit: "item",
        units: N,
        generators: 2,
        run,
        expected: triangle(N),
        size,
        body: None,
        detail: None,
    };
    let hand_size = || {
        size_of_val(&Forward {
            inner: Count::new(1),
        })
    };
    let direct_size = || size_of_val(&*pin!(count::<Fused>(1)));
    let agen_size = || size_of_val(&*pin!(delegating::<Fused>(1)));
    let async_stream_size = || size_of_val(&*pin!(forwarding_async_stream::<Fused>(1)));
    vec![
        case("w5-delegate", "hand-written", hand::<Fused>, hand_size),
        Case {
            generators: 1,
            body: Some(super::w1_sum::count_sizes),
            ..case(
                "w5-delegate",
                "agen-direct",
                agen_direct::<Fused>,
                direct_size,
            )
        },
        Case {
            body: Some(delegating_sizes),
            ..case("w5-delegate", "agen", agen_delegate::<Fused>, agen_size)
        },
        case(
            "w5-delegate",
            "async-stream",
            async_stream::<Fused>,
            async_stream_size,
        ),
        case(
            "w5-delegate",
            "genawaiter-stack",
            genawaiter_stack::<Fused>,
            genawaiter_stack_size,
        ),
        case("w5-delegate-dyn", "hand-written", hand::<Dyn>, hand_size),
        Case {
            generators: 1,
            ..case(
                "w5-delegate-dyn",
                "agen-direct",
                agen_direct::<Dyn>,
                direct_size,
            )
        },
        case("w5-delegate-dyn", "agen", agen_delegate::<Dyn>, agen_size),
        case(
            "w5-delegate-dyn",
            "async-stream",
            async_stream::<Dyn>,
            async_stream_size,
        ),
        case(
            "w5-delegate-dyn",
            "genawaiter-stack",
            genawaiter_stack::<Dyn>,
            genawaiter_stack_size,
        ),
    ]
}
