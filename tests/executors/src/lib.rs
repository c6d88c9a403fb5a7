//! Helpers for the tests in `tests/`, which run generators under real executors (embassy, tokio,
//! smol / async-io) and check that a future inside a generator body is polled with the
//! consumer's own waker.
//!
//! Nothing here depends on an executor: the tests bring their own timers and runtimes.
//!
//! - [`count_polls`] counts how many times the consumer's future is polled, which is how a
//!   busy loop shows (a body whose futures see a waker that is "new" on every poll wakes the
//!   consumer on every poll).
//! - [`drain_racing`] drains a stream while racing each `next()` against a short timer, so that
//!   the body is polled again and again while it waits for something.
//! - [`CloneCounter`] wraps the consumer's waker in one that counts its clones, which is how
//!   a future that caches its waker (`if !stored.will_wake(cx.waker()) { … clone … }`) shows
//!   that it saw a different waker on each poll.
//! - [`within`] runs a test on its own thread with a time limit, so that a hang or a busy loop
//!   that never ends fails the test instead of blocking CI.

use std::future::{poll_fn, Future};
use std::mem::ManuallyDrop;
use std::panic;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use std::thread;
use std::time::Duration;

use futures_core::Stream;

/// How long a whole scenario may take before its test fails as hung. Every scenario takes a few
/// tens of milliseconds when the generator behaves; a busy loop still ends, when its producer
/// does, since the producers are paced by the consumer's timer, not by its polls.
pub const LIMIT: Duration = Duration::from_millis(1500);

/// How many of the consumer's timer ticks a producer waits for before each item, so that the
/// body is polled at least this many times while it waits for every item.
pub const TICKS_PER_ITEM: usize = 3;

/// Polls `future` to completion and counts its polls: when the future is the whole of a task's
/// work, the number of times the executor polled the task.
pub async fn count_polls<F: Future>(future: F) -> (F::Output, usize) {
    let mut future = pin!(future);
    let mut polls = 0;
    let output = poll_fn(|cx| {
        polls += 1;
        future.as_mut().poll(cx)
    })
    .await;
    (output, polls)
}

/// Drains `stream`, racing each `next()` against a fresh `tick()` timer. A tick that wins is
/// counted in `ticks` (which a producer may watch, to pace its items by the consumer's ticks) and
/// the consumer goes round again: the stream's pending `next()` is dropped, and the next one
/// polls the generator's body again where it waits. Returns the items.
pub async fn drain_racing<S, T>(
    mut stream: S,
    mut tick: impl FnMut() -> T,
    ticks: &AtomicUsize,
) -> Vec<S::Item>
where
    S: Stream + Unpin,
    T: Future,
{
    let mut items = Vec::new();
    loop {
        let mut timer = pin!(tick());
        let next = poll_fn(|cx| {
            if let Poll::Ready(item) = Pin::new(&mut stream).poll_next(cx) {
                return Poll::Ready(Some(item));
            }
            timer.as_mut().poll(cx).map(|_| None)
        })
        .await;
        match next {
            Some(Some(item)) => items.push(item),
            Some(None) => return items,
            None => {
                ticks.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// [`drain_racing`], counting the polls of the whole drain: when the drain is the whole of a
/// task's work, the polls of the task. Returns the items and the counts.
pub async fn drain_counting<S, T>(
    stream: S,
    tick: impl FnMut() -> T,
    ticks: &AtomicUsize,
) -> (Vec<S::Item>, Run)
where
    S: Stream + Unpin,
    T: Future,
{
    let (items, polls) = count_polls(drain_racing(stream, tick, ticks)).await;
    let run = Run {
        items: items.len(),
        ticks: ticks.load(Ordering::SeqCst),
        polls,
    };
    (items, run)
}

/// The counts of one consumer run under [`drain_racing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Items the consumer received.
    pub items: usize,
    /// Timer ticks that won the race: polls of the consumer that the timer caused.
    pub ticks: usize,
    /// Polls of the consumer's task in all.
    pub polls: usize,
}

/// Polls of the consumer allowed for each item, beyond the polls its own timer causes.
///
/// What a stream that does not busy-loop costs under [`drain_racing`] is one poll per tick won
/// by the timer (the consumer's own timer woke it), one per item (the producer woke it), the
/// first poll, and at most one spurious wake per item (a timer that lost the race to an item may
/// still wake the task when it expires, as embassy's does). A hand-written stream
/// (`futures_util::stream::unfold` over the same primitive, run first in each test as a
/// control) measures `ticks + items + 1` to `ticks + 2 * items`, and async-stream's `stream!`
/// measures the same. The bound takes 3 per item, plus [`EXTRA_POLLS`]. A body whose futures
/// see a new waker on every poll wakes the consumer on every poll instead: thousands of polls
/// for a handful of items.
pub const POLLS_PER_ITEM: usize = 3;

/// Polls allowed beyond [`POLLS_PER_ITEM`] for each item: the first poll, and the last one that
/// sees the stream end.
pub const EXTRA_POLLS: usize = 2;

impl Run {
    /// Panics unless the consumer was polled at most [`POLLS_PER_ITEM`] times per paced item
    /// beyond its own ticks (plus [`EXTRA_POLLS`]), and unless the body really was polled while
    /// it waited (at least [`TICKS_PER_ITEM`] ticks per paced item), so that the bound is not met
    /// merely because nothing polled the body again. `paced` is the number of items the producer
    /// sent, each after [`TICKS_PER_ITEM`] more ticks.
    pub fn assert_no_busy_loop(&self, what: &str, paced: usize) {
        assert!(
            self.ticks >= TICKS_PER_ITEM * paced,
            "{what}: the consumer's timer should have polled the body again at least \
             {TICKS_PER_ITEM} times per item while it waited ({self:?})"
        );
        let bound = self.ticks + POLLS_PER_ITEM * paced + EXTRA_POLLS;
        assert!(
            self.polls <= bound,
            "{what}: the consumer was polled {} times for {paced} items and {} ticks of its own \
             timer (bound {bound}: the ticks + {POLLS_PER_ITEM} per item + {EXTRA_POLLS}); a \
             future in the body wakes the consumer on every poll ({self:?})",
            self.polls,
            self.ticks,
        );
    }
}

/// Counts the clones of a waker of its own, which wraps the waker of the task that polls it
/// (see [`CloneCounter::wrap`]). A future that caches its waker with a `will_wake` check clones
/// it once and keeps it while it is polled with the same waker; a count that grows with the
/// number of polls means the future saw a different waker on each poll.
#[derive(Clone, Default)]
pub struct CloneCounter {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// The waker of the task that last polled a wrapped future.
    task: Mutex<Option<Waker>>,
    clones: AtomicUsize,
}

impl CloneCounter {
    /// A counter with no clones counted.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times a waker of this counter was cloned.
    pub fn clones(&self) -> usize {
        self.shared.clones.load(Ordering::SeqCst)
    }

    /// `future`, polled with this counter's waker: the same waker (same data, same vtable) at
    /// every poll and for every future or stream wrapped by this counter, which wakes the task
    /// that polled last.
    pub async fn wrap<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        poll_fn(|cx| self.poll_with(cx, |cx| future.as_mut().poll(cx))).await
    }

    /// `stream`, polled with this counter's waker (see [`wrap`](Self::wrap)).
    pub fn wrap_stream<S: Stream + Unpin>(&self, stream: S) -> CountedStream<'_, S> {
        CountedStream {
            counter: self,
            stream,
        }
    }

    /// Calls `poll` with a context whose waker is this counter's, which wakes `cx`'s task.
    fn poll_with<T>(&self, cx: &Context<'_>, poll: impl FnOnce(&mut Context<'_>) -> T) -> T {
        {
            let mut task = self.shared.task.lock().unwrap();
            if !task.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *task = Some(cx.waker().clone());
            }
        }
        // Borrowed, not owned: the `Arc` behind it is `self.shared`, alive for this poll, and
        // `ManuallyDrop` keeps the borrowed reference count untouched.
        // SAFETY: the data is a pointer from `Arc::as_ptr` on a live `Arc<Shared>` and the
        // vtable's functions treat it as such (see `COUNTING`); the waker is never dropped, so it
        // gives back no reference it did not take.
        let waker = ManuallyDrop::new(unsafe {
            Waker::from_raw(RawWaker::new(Arc::as_ptr(&self.shared).cast(), &COUNTING))
        });
        poll(&mut Context::from_waker(&waker))
    }
}

/// A stream polled with a [`CloneCounter`]'s waker: [`CloneCounter::wrap_stream`].
pub struct CountedStream<'c, S> {
    counter: &'c CloneCounter,
    stream: S,
}

impl<S: Stream + Unpin> Stream for CountedStream<'_, S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        this.counter
            .poll_with(cx, |cx| Pin::new(&mut this.stream).poll_next(cx))
    }
}

/// Checks, at every poll of the futures it wraps, that they are polled with one given waker, or
/// one for which `will_wake` holds: put inside a body, with the consumer's waker, it sees what a
/// future in the body sees.
pub struct WakerProbe {
    expected: Waker,
    polls: AtomicUsize,
    mismatches: AtomicUsize,
}

impl WakerProbe {
    /// A probe expecting `expected`.
    pub fn new(expected: Waker) -> Self {
        WakerProbe {
            expected,
            polls: AtomicUsize::new(0),
            mismatches: AtomicUsize::new(0),
        }
    }

    /// `future`, checked at each poll.
    pub async fn wrap<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        poll_fn(|cx| {
            self.polls.fetch_add(1, Ordering::SeqCst);
            if !cx.waker().will_wake(&self.expected) {
                self.mismatches.fetch_add(1, Ordering::SeqCst);
            }
            future.as_mut().poll(cx)
        })
        .await
    }

    /// Polls of the wrapped futures.
    pub fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }

    /// Polls with a waker for which `will_wake(expected)` was false.
    pub fn mismatches(&self) -> usize {
        self.mismatches.load(Ordering::SeqCst)
    }
}

/// The waker of the task that polls this.
pub async fn current_waker() -> Waker {
    poll_fn(|cx| Poll::Ready(cx.waker().clone())).await
}

/// The counting waker's functions. Its data is a pointer to a `Shared` inside an `Arc`; an owned
/// waker (a clone) holds one reference count of that `Arc`, a borrowed one (in `wrap`) none.
static COUNTING: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// # Safety
/// `data` comes from a waker with the `COUNTING` vtable, whose `Arc<Shared>` is alive.
unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: by the contract, `data` points to the `Shared` of a live `Arc`.
    let shared = unsafe { &*data.cast::<Shared>() };
    shared.clones.fetch_add(1, Ordering::SeqCst);
    // SAFETY: as above; the clone owns the reference count taken here.
    unsafe { Arc::increment_strong_count(data.cast::<Shared>()) };
    RawWaker::new(data, &COUNTING)
}

/// # Safety
/// `data` comes from an owned waker with the `COUNTING` vtable (a clone).
unsafe fn wake(data: *const ()) {
    // SAFETY: an owned counting waker holds one reference count, which this gives back.
    let shared = unsafe { Arc::from_raw(data.cast::<Shared>()) };
    shared.wake_task();
}

/// # Safety
/// As for `clone`.
unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: by the contract, `data` points to the `Shared` of a live `Arc`.
    unsafe { &*data.cast::<Shared>() }.wake_task();
}

/// # Safety
/// As for `wake`.
unsafe fn drop_waker(data: *const ()) {
    // SAFETY: an owned counting waker holds one reference count, which this gives back.
    drop(unsafe { Arc::from_raw(data.cast::<Shared>()) });
}

impl Shared {
    fn wake_task(&self) {
        let task = self.task.lock().unwrap().clone();
        if let Some(task) = task {
            task.wake();
        }
    }
}

/// Runs `test` on a thread of its own and returns what it returns; panics if it does not finish
/// within [`LIMIT`], and passes its panic on if it panics. Used for executors whose `run` or
/// `block_on` would otherwise block the test forever.
pub fn within<T: Send + 'static>(test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, outcome) = mpsc::channel();
    let thread = thread::Builder::new()
        .name("executor".into())
        .spawn(move || {
            let _ = done.send(test());
        })
        .expect("the test thread should start");
    match outcome.recv_timeout(LIMIT) {
        Ok(value) => {
            let _ = thread.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {LIMIT:?}: the executor hangs or busy-loops")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match thread.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the test thread sends its result before it ends"),
        },
    }
}
