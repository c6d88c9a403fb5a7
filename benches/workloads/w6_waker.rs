//! Workload 6: a body that awaits a waker-caching future under a real waker. Before every 8th
//! item the body waits on its [`Registration`], which stores the waker it is polled with the way
//! tokio's channels and `AtomicWaker` do: it clones `cx.waker()` only when the stored waker would
//! not wake the same task (`will_wake`). The wait is `Pending` once; the other side, simulated,
//! becomes ready at once and wakes the stored waker; the consumer checks the wake and polls again.
//! The consumer's waker is a real `Arc` waker ([`real_waker`](super::real_waker)), so a clone and
//! the drop of the waker it replaces are two atomic reference-count updates.
//!
//! The registration lives in the body, across items, as a channel receiver's would: a body polled
//! with the consumer's own waker clones it once per run, a body polled with a different waker on
//! every poll clones it at every wait. The report shows the count. `w6-waker` consumes the
//! stream fused, `w6-waker-dyn` through `Pin<&mut dyn Stream>`. The budget for this workload is
//! wall-clock (ns/item): no slower than async-stream. genawaiter is not measured here.

use std::future::Future;
use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_generator, yield_};
use futures_core::Stream;

use super::{triangle, Case, Consumer, WokenDyn, WokenFused, N, PENDING_SHIFT, WAKE_SHIFT};

/// Every how many items the body waits.
const EVERY: u64 = 8;

/// Waker clones made by the last registration that was dropped (at the end of each run).
static LAST_CLONES: AtomicU64 = AtomicU64::new(0);

/// A waiter's registration: the waker to wake when the other side is ready, kept across waits.
/// The same type for every implementation.
pub struct Registration {
    waker: Option<Waker>,
    /// The other side has become ready since the last wait began.
    ready: bool,
    /// How many times a wait cloned the waker.
    clones: u64,
}

impl Registration {
    pub fn new() -> Self {
        Registration {
            waker: None,
            ready: false,
            clones: 0,
        }
    }

    /// Waits until the other side is ready: `Pending` once, then `Ready(())`.
    pub fn wait(&mut self) -> Wait<'_> {
        Wait { registration: self }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        LAST_CLONES.store(self.clones, Ordering::Relaxed);
    }
}

/// The future of [`Registration::wait`]. Its state is in the registration, so a hand-written
/// state machine may make a new one for each poll.
pub struct Wait<'a> {
    registration: &'a mut Registration,
}

impl Future for Wait<'_> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self.get_mut().registration;
        if this.ready {
            this.ready = false;
            return Poll::Ready(());
        }
        // Register: keep the stored waker if it wakes the same task, or replace it by a clone.
        let current = match &this.waker {
            Some(stored) => stored.will_wake(cx.waker()),
            None => false,
        };
        if !current {
            this.waker = Some(cx.waker().clone());
            this.clones += 1;
        }
        // The other side becomes ready and wakes the registered waker.
        this.ready = true;
        if let Some(waker) = &this.waker {
            waker.wake_by_ref();
        }
        Poll::Pending
    }
}

/// The floor: the hand-written state machine of the same body.
pub struct Waiting {
    next: u64,
    end: u64,
    registration: Registration,
}

impl Waiting {
    pub fn new(n: u64) -> Self {
        Waiting {
            next: 0,
            end: n,
            registration: Registration::new(),
        }
    }
}

impl Stream for Waiting {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        let this = &mut *self;
        if this.next >= this.end {
            return Poll::Ready(None);
        }
        if this.next % EVERY == 0 && pin!(this.registration.wait()).poll(cx).is_pending() {
            return Poll::Pending;
        }
        let item = this.next;
        this.next += 1;
        Poll::Ready(Some(item))
    }
}

#[async_generator(yield = u64)]
pub async fn waiting<C>(n: u64) {
    let mut registration = Registration::new();
    for i in 0..n {
        if i % EVERY == 0 {
            registration.wait().await;
        }
        yield_!(i);
    }
}

pub fn waiting_async_stream<C>(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        let mut registration = Registration::new();
        for i in 0..n {
            if i % EVERY == 0 {
                registration.wait().await;
            }
            yield i;
        }
    }
}

fn hand<C: Consumer>() -> u64 {
    C::drain(pin!(Waiting::new(black_box(N))))
}

fn agen<C: Consumer>() -> u64 {
    C::drain(pin!(waiting::<C>(black_box(N))))
}

fn async_stream<C: Consumer>() -> u64 {
    C::drain(pin!(waiting_async_stream::<C>(black_box(N))))
}

fn clones() -> String {
    match LAST_CLONES.load(Ordering::Relaxed) {
        1 => "the body cloned the waker once per run".to_string(),
        n => format!("the body cloned the waker {n} times per run"),
    }
}

pub fn cases() -> Vec<Case> {
    // One `Pending` and one wake per wait.
    let waits = N.div_ceil(EVERY);
    let case = |workload, implementation, run, size| Case {
        workload,
        implementation,
        unit: "item",
        units: N,
        generators: 1,
        run,
        expected: triangle(N)
            .wrapping_add(waits << PENDING_SHIFT)
            .wrapping_add(waits << WAKE_SHIFT),
        size,
        body: None,
        detail: Some(clones),
    };
    let hand_size = || size_of_val(&Waiting::new(1));
    let agen_size = || size_of_val(&*pin!(waiting::<WokenFused>(1)));
    let async_stream_size = || size_of_val(&*pin!(waiting_async_stream::<WokenFused>(1)));
    vec![
        case("w6-waker", "hand-written", hand::<WokenFused>, hand_size),
        case("w6-waker", "agen", agen::<WokenFused>, agen_size),
        case(
            "w6-waker",
            "async-stream",
            async_stream::<WokenFused>,
            async_stream_size,
        ),
        case("w6-waker-dyn", "hand-written", hand::<WokenDyn>, hand_size),
        case("w6-waker-dyn", "agen", agen::<WokenDyn>, agen_size),
        case(
            "w6-waker-dyn",
            "async-stream",
            async_stream::<WokenDyn>,
            async_stream_size,
        ),
    ]
}
