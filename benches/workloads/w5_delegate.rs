//! Workload 5: one level of delegation. An outer generator yields every item of an inner one
//! (`0..N`, as in workload 1) through `yield_from!`, or the other crates' equivalent; ns/item. The budget compares agen's delegation with agen yielding
//! the items directly (workload 1's generator, measured again here).

use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_from};
use futures_core::Stream;
use genawaiter::GeneratorState;

use super::w1_sum::{count, count_async_stream, count_genawaiter, Count};
use super::{agen_sizes, drain, triangle, Case, N};

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
pub async fn delegating(n: u64) {
    yield_from!(count(n));
}

pub fn forwarding_async_stream(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for await item in count_async_stream(n) {
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

fn hand() -> u64 {
    drain(pin!(Forward {
        inner: Count::new(black_box(N))
    }))
}

fn agen_direct() -> u64 {
    drain(pin!(count(black_box(N))))
}

fn agen_delegate() -> u64 {
    drain(pin!(delegating(black_box(N))))
}

fn async_stream() -> u64 {
    drain(pin!(forwarding_async_stream(black_box(N))))
}

fn genawaiter_stack() -> u64 {
    let n = black_box(N);
    genawaiter::stack::let_gen_using!(gen, |co| forwarding_genawaiter(co, n));
    drain(Pin::new(gen))
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| forwarding_genawaiter(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
fn delegating_sizes() -> (usize, usize) {
    agen_sizes(&delegating(1))
}

pub fn cases() -> Vec<Case> {
    let case = |implementation, run, size| Case {
        workload: "w5-delegate",
        implementation,
        unit: "item",
        units: N,
        generators: 2,
        run,
        expected: triangle(N),
        size,
        body: None,
    };
    vec![
        case("hand-written", hand, || {
            size_of_val(&Forward {
                inner: Count::new(1),
            })
        }),
        Case {
            generators: 1,
            body: Some(super::w1_sum::count_sizes),
            ..case("agen-direct", agen_direct, || size_of_val(&*pin!(count(1))))
        },
        Case {
            body: Some(delegating_sizes),
            ..case("agen", agen_delegate, || size_of_val(&*pin!(delegating(1))))
        },
        case("async-stream", async_stream, || {
            size_of_val(&*pin!(forwarding_async_stream(1)))
        }),
        case("genawaiter-stack", genawaiter_stack, genawaiter_stack_size),
    ]
}
