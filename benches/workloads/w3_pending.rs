//! Workload 3: before each item the body awaits a ready future, and before every 16th item a
//! future that is `Pending` once (it wakes its waker, as a real I/O future would). The consumer
//! sees `N / 16` `Pending`s and polls again. ns/item. `w3-pending` consumes the stream fused,
//! `w3-pending-dyn` through `Pin<&mut dyn Stream>`; both poll with a no-op waker (workload 6 has
//! a real one).

use std::future::{ready, Future};
use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_};
use futures_core::Stream;

use super::{agen_sizes, triangle, Case, Consumer, Dyn, Fused, PendOnce, N, PENDING_SHIFT};

/// Every how many items the body suspends for real.
const EVERY: u64 = 16;

/// The floor: the hand-written state machine of the same body.
pub struct Awaiting {
    next: u64,
    end: u64,
    /// The `PendOnce` of the current item, when it has one.
    pend: Option<PendOnce>,
}

impl Awaiting {
    pub fn new(n: u64) -> Self {
        Awaiting {
            next: 0,
            end: n,
            pend: None,
        }
    }
}

impl Stream for Awaiting {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        let this = &mut *self;
        if this.next >= this.end {
            return Poll::Ready(None);
        }
        if this.next % EVERY == 0 {
            let pend = this.pend.get_or_insert_with(PendOnce::new);
            if Pin::new(pend).poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pend = None;
        }
        let Poll::Ready(item) = pin!(ready(this.next)).poll(cx) else {
            unreachable!()
        };
        this.next += 1;
        Poll::Ready(Some(item))
    }
}

#[async_generator(yield = u64)]
pub async fn awaiting<C>(n: u64) {
    for i in 0..n {
        if i % EVERY == 0 {
            PendOnce::new().await;
        }
        let item = ready(i).await;
        yield_!(item);
    }
}

pub fn awaiting_async_stream<C>(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            if i % EVERY == 0 {
                PendOnce::new().await;
            }
            let item = ready(i).await;
            yield item;
        }
    }
}

pub async fn awaiting_genawaiter(co: genawaiter::stack::Co<'_, u64>, n: u64) {
    for i in 0..n {
        if i % EVERY == 0 {
            PendOnce::new().await;
        }
        let item = ready(i).await;
        co.yield_(item).await;
    }
}

fn hand<C: Consumer>() -> u64 {
    C::drain(pin!(Awaiting::new(black_box(N))))
}

fn agen<C: Consumer>() -> u64 {
    C::drain(pin!(awaiting::<C>(black_box(N))))
}

fn async_stream<C: Consumer>() -> u64 {
    C::drain(pin!(awaiting_async_stream::<C>(black_box(N))))
}

/// genawaiter's `Stream` (`async_resume`) passes the consumer's context to the body, so a real
/// `Pending` works.
fn genawaiter_stack<C: Consumer>() -> u64 {
    let n = black_box(N);
    genawaiter::stack::let_gen_using!(generator, |co| awaiting_genawaiter(co, n));
    C::drain(Pin::new(generator))
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(|co| awaiting_genawaiter(co, 1))
}

/// The sizes of the agen generator and of its body future, for the size report.
fn awaiting_sizes() -> (usize, usize) {
    agen_sizes(&awaiting::<Fused>(1))
}

pub fn cases() -> Vec<Case> {
    let pendings = N.div_ceil(EVERY);
    let case = |workload, implementation, run, size| Case {
        workload,
        implementation,
        unit: "item",
        units: N,
        generators: 1,
        run,
        expected: triangle(N).wrapping_add(pendings << PENDING_SHIFT),
        size,
        body: None,
        detail: None,
    };
    let hand_size = || size_of_val(&Awaiting::new(1));
    let agen_size = || size_of_val(&*pin!(awaiting::<Fused>(1)));
    let async_stream_size = || size_of_val(&*pin!(awaiting_async_stream::<Fused>(1)));
    vec![
        case("w3-pending", "hand-written", hand::<Fused>, hand_size),
        Case {
            body: Some(awaiting_sizes),
            ..case("w3-pending", "agen", agen::<Fused>, agen_size)
        },
        case(
            "w3-pending",
            "async-stream",
            async_stream::<Fused>,
            async_stream_size,
        ),
        case(
            "w3-pending",
            "genawaiter-stack",
            genawaiter_stack::<Fused>,
            genawaiter_stack_size,
        ),
        case("w3-pending-dyn", "hand-written", hand::<Dyn>, hand_size),
        case("w3-pending-dyn", "agen", agen::<Dyn>, agen_size),
        case(
            "w3-pending-dyn",
            "async-stream",
            async_stream::<Dyn>,
            async_stream_size,
        ),
        case(
            "w3-pending-dyn",
            "genawaiter-stack",
            genawaiter_stack::<Dyn>,
            genawaiter_stack_size,
        ),
    ]
}
