//! Workload 2: create a generator of 3 items and drain it, `GENERATORS` times per run
//! (ns/generator).

use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_};
use futures_core::Stream;

use super::{agen_sizes, drain, Case, GENERATORS};

/// The floor: a hand-written stream of `base, base + 1, base + 2`.
pub struct Three {
    base: u64,
    done: u8,
}

impl Stream for Three {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.done < 3 {
            let item = self.base + u64::from(self.done);
            self.done += 1;
            Poll::Ready(Some(item))
        } else {
            Poll::Ready(None)
        }
    }
}

#[async_generator(yield = u64)]
pub async fn three(base: u64) {
    yield_!(base);
    yield_!(base + 1);
    yield_!(base + 2);
}

pub fn three_async_stream(base: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        yield base;
        yield base + 1;
        yield base + 2;
    }
}

pub async fn three_genawaiter_stack(co: genawaiter::stack::Co<'_, u64>, base: u64) {
    co.yield_(base).await;
    co.yield_(base + 1).await;
    co.yield_(base + 2).await;
}

pub async fn three_genawaiter_rc(co: genawaiter::rc::Co<u64>, base: u64) {
    co.yield_(base).await;
    co.yield_(base + 1).await;
    co.yield_(base + 2).await;
}

/// Runs `one(base)` for each generator and sums the checksums.
#[inline(always)]
fn each(one: impl Fn(u64) -> u64) -> u64 {
    let mut sum = 0u64;
    for g in 0..black_box(GENERATORS) {
        sum = sum.wrapping_add(one(black_box(g)));
    }
    sum
}

fn hand() -> u64 {
    each(|base| drain(pin!(Three { base, done: 0 })))
}

fn agen() -> u64 {
    each(|base| drain(pin!(three(base))))
}

fn async_stream() -> u64 {
    each(|base| drain(pin!(three_async_stream(base))))
}

fn genawaiter_stack() -> u64 {
    each(|base| {
        genawaiter::stack::let_gen_using!(gen, |co| three_genawaiter_stack(co, base));
        drain(Pin::new(gen))
    })
}

fn genawaiter_rc() -> u64 {
    each(|base| {
        drain(pin!(genawaiter::rc::Gen::new(|co| three_genawaiter_rc(
            co, base
        ))))
    })
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| three_genawaiter_stack(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
fn three_sizes() -> (usize, usize) {
    agen_sizes(&three(1))
}

pub fn cases() -> Vec<Case> {
    // Each generator yields 3g + 3 for its base g.
    let expected = 3 * super::triangle(GENERATORS) + 3 * GENERATORS;
    let case = |implementation, run, size| Case {
        workload: "w2-create",
        implementation,
        unit: "generator",
        units: GENERATORS,
        generators: GENERATORS,
        run,
        expected,
        size,
        body: None,
    };
    vec![
        case("hand-written", hand, || {
            size_of_val(&Three { base: 0, done: 0 })
        }),
        Case {
            body: Some(three_sizes),
            ..case("agen", agen, || size_of_val(&*pin!(three(1))))
        },
        case("async-stream", async_stream, || {
            size_of_val(&*pin!(three_async_stream(1)))
        }),
        case("genawaiter-stack", genawaiter_stack, genawaiter_stack_size),
        // The handle only: its airlock and future live in two heap blocks.
        case("genawaiter-rc", genawaiter_rc, || {
            size_of_val(&genawaiter::rc::Gen::new(|co| three_genawaiter_rc(co, 1)))
        }),
    ]
}
