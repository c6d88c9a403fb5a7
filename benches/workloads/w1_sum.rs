//! Workload 1: yield `0..N` as `u64` and sum the items (ns/item).

use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_, Step};
use futures_core::Stream;

use super::{agen_sizes, block_on, drain, triangle, Case, N};

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
pub async fn count(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

pub fn count_async_stream(n: u64) -> impl Stream<Item = u64> {
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

fn hand() -> u64 {
    drain(pin!(Count::new(black_box(N))))
}

fn agen() -> u64 {
    drain(pin!(count(black_box(N))))
}

/// The same generator driven through its `anext()` step futures instead of `Stream`.
fn agen_anext() -> u64 {
    let mut gen = pin!(count(black_box(N)));
    let mut sum = 0u64;
    loop {
        match block_on(gen.anext()) {
            Step::Yielded(item) => sum = sum.wrapping_add(black_box(item)),
            Step::Returned(()) => return sum,
            Step::Exhausted => unreachable!(),
        }
    }
}

fn async_stream() -> u64 {
    drain(pin!(count_async_stream(black_box(N))))
}

fn genawaiter_stack() -> u64 {
    let n = black_box(N);
    genawaiter::stack::let_gen_using!(gen, |co| count_genawaiter(co, n));
    drain(Pin::new(gen))
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| count_genawaiter(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
pub fn count_sizes() -> (usize, usize) {
    agen_sizes(&count(1))
}

pub fn cases() -> Vec<Case> {
    let case = |implementation, run, size| Case {
        workload: "w1-sum",
        implementation,
        unit: "item",
        units: N,
        generators: 1,
        run,
        expected: triangle(N),
        size,
        body: None,
    };
    vec![
        case("hand-written", hand, || size_of_val(&*pin!(Count::new(1)))),
        Case {
            body: Some(count_sizes),
            ..case("agen", agen, || size_of_val(&*pin!(count(1))))
        },
        Case {
            body: Some(count_sizes),
            ..case("agen-anext", agen_anext, || size_of_val(&*pin!(count(1))))
        },
        case("async-stream", async_stream, || {
            size_of_val(&*pin!(count_async_stream(1)))
        }),
        case("genawaiter-stack", genawaiter_stack, genawaiter_stack_size),
    ]
}
