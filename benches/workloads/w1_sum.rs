//! Workload 1: yield `0..N` as `u64` and sum the items (ns/item). `w1-sum` consumes the
//! stream fused, `w1-sum-dyn` through `Pin<&mut dyn Stream>`.

use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_, Step};
use futures_core::Stream;

use super::{agen_sizes, block_on, triangle, Case, Consumer, Dyn, Fused, N};

/// The floor: a hand-written stream.
pub struct Count {
    next: u64,
    end: u64,
}

impl Count {
    pub fn new(n: u64) -> Self {
        Count { next: 0, end: n }
    }
}

impl Stream for Count {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Poll::Ready(Some(item))
        } else {
            Poll::Ready(None)
        }
    }
}

#[async_generator(yield = u64)]
pub async fn count<C>(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

pub fn count_async_stream<C>(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            yield i;
        }
    }
}

pub async fn count_genawaiter(co: genawaiter::stack::Co<'_, u64>, n: u64) {
    for i in 0..n {
        co.yield_(i).await;
    }
}

fn hand<C: Consumer>() -> u64 {
    C::drain(pin!(Count::new(black_box(N))))
}

fn agen<C: Consumer>() -> u64 {
    C::drain(pin!(count::<C>(black_box(N))))
}

/// The same generator driven through its `anext()` step futures instead of `Stream`.
fn agen_anext() -> u64 {
    let mut generator = pin!(count::<Fused>(black_box(N)));
    let mut sum = 0u64;
    loop {
        match block_on(generator.anext()) {
            Step::Yielded(item) => sum = sum.wrapping_add(black_box(item)),
            Step::Returned(()) => return sum,
            Step::Exhausted => unreachable!(),
        }
    }
}

fn async_stream<C: Consumer>() -> u64 {
    C::drain(pin!(count_async_stream::<C>(black_box(N))))
}

fn genawaiter_stack<C: Consumer>() -> u64 {
    let n = black_box(N);
    genawaiter::stack::let_gen_using!(generator, |co| count_genawaiter(co, n));
    C::drain(Pin::new(generator))
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| count_genawaiter(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
pub fn count_sizes() -> (usize, usize) {
    agen_sizes(&count::<Fused>(1))
}

pub fn cases() -> Vec<Case> {
    let case = |workload, implementation, run, size| Case {
        workload,
        implementation,
        unit: "item",
        units: N,
        generators: 1,
        run,
        expected: triangle(N),
        size,
        body: None,
        detail: None,
    };
    let hand_size = || size_of_val(&*pin!(Count::new(1)));
    let agen_size = || size_of_val(&*pin!(count::<Fused>(1)));
    let async_stream_size = || size_of_val(&*pin!(count_async_stream::<Fused>(1)));
    vec![
        case("w1-sum", "hand-written", hand::<Fused>, hand_size),
        Case {
            body: Some(count_sizes),
            ..case("w1-sum", "agen", agen::<Fused>, agen_size)
        },
        Case {
            body: Some(count_sizes),
            ..case("w1-sum", "agen-anext", agen_anext, agen_size)
        },
        case(
            "w1-sum",
            "async-stream",
            async_stream::<Fused>,
            async_stream_size,
        ),
        case(
            "w1-sum",
            "genawaiter-stack",
            genawaiter_stack::<Fused>,
            genawaiter_stack_size,
        ),
        case("w1-sum-dyn", "hand-written", hand::<Dyn>, hand_size),
        case("w1-sum-dyn", "agen", agen::<Dyn>, agen_size),
        case(
            "w1-sum-dyn",
            "async-stream",
            async_stream::<Dyn>,
            async_stream_size,
        ),
        case(
            "w1-sum-dyn",
            "genawaiter-stack",
            genawaiter_stack::<Dyn>,
            genawaiter_stack_size,
        ),
    ]
}
