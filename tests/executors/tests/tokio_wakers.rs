//! Generators under tokio, on the current-thread and the multi-thread runtime: the futures in a
//! body are polled with the consumer's own waker.
//!
//! Every scenario runs as a spawned task (so the consumer's waker is a task's waker, on either
//! runtime) under a time limit. Where the consumer races `next()` against a 1 ms timer, the body
//! is polled again and again while it waits; a producer task sends each item only after the
//! consumer's timer has won [`TICKS_PER_ITEM`] more races.
//!
//! Tokio's `AtomicWaker` (behind `sleep`'s timer entry and the mpsc receiver) clones the waker
//! at every registration whatever it is, and never wakes the one it replaces, so `sleep` and
//! `recv` behave the same with any waker: their tests check the waker they are polled with. A
//! `Notify` waiter and a `JoinHandle` keep their waker across polls while `will_wake` holds, so
//! their tests count the clones of the consumer's waker.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

use agen_executor_tests::{
    current_waker, drain_counting, CloneCounter, Run, WakerProbe, LIMIT, TICKS_PER_ITEM,
};
use agen_runtime::{async_generator, yield_, Step};
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;

/// Items each producer sends.
const ITEMS: usize = 5;

/// Runs `scenario` as a spawned task under the time limit and returns its result; a panic in
/// the task is the test's panic.
async fn spawned<T: Send + 'static>(scenario: impl Future<Output = T> + Send + 'static) -> T {
    match tokio::time::timeout(LIMIT, tokio::spawn(scenario))
        .await
        .expect("the scenario should finish within the time limit")
    {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// The consumer's timer.
fn tick() -> tokio::time::Sleep {
    tokio::time::sleep(Duration::from_millis(1))
}

/// Waits until the consumer's timer has won `TICKS_PER_ITEM * (i + 1)` races.
async fn pace(ticks: &AtomicUsize, i: usize) {
    while ticks.load(Ordering::SeqCst) < TICKS_PER_ITEM * (i + 1) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

// --- The body's context -------------------------------------------------------------------------

/// Yields, once, what the body's own context says about its waker compared with `consumer`:
/// `will_wake`, same data pointer, same vtable.
#[async_generator(yield = (bool, bool, bool))]
async fn compare_wakers(consumer: &Waker) {
    let seen = poll_fn(|cx| {
        let waker = cx.waker();
        Poll::Ready((
            waker.will_wake(consumer),
            waker.data() == consumer.data(),
            ptr::eq(waker.vtable(), consumer.vtable()),
        ))
    })
    .await;
    yield_!(seen);
}

/// The consumer's side of the waker comparison.
async fn body_waker_is_the_consumers() {
    let consumer = current_waker().await;
    let mut gen = pin!(compare_wakers(&consumer));
    assert_eq!(
        gen.anext().await,
        Step::Yielded((true, true, true)),
        "inside a body, cx.waker() should be the consumer's waker: (will_wake, same data, same \
         vtable)"
    );
}

/// Guards that inside a body, `cx.waker()` is the consumer's waker itself (`will_wake` holds,
/// and its data and vtable are the consumer's), on the current-thread runtime.
#[tokio::test(flavor = "current_thread")]
async fn a_bodys_waker_is_the_consumers_waker_current_thread() {
    spawned(body_waker_is_the_consumers()).await;
}

/// Guards that inside a body, `cx.waker()` is the consumer's waker itself (`will_wake` holds,
/// and its data and vtable are the consumer's), on the multi-thread runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bodys_waker_is_the_consumers_waker_multi_thread() {
    spawned(body_waker_is_the_consumers()).await;
}

// --- A future that caches its waker ------------------------------------------------------------

/// How many times [`CachesWaker`] returns `Pending` before it completes.
const PENDING_POLLS: usize = 10;

/// A future that keeps its waker the way channels and `AtomicWaker`s do: it clones `cx.waker()`
/// only when the one it keeps would not wake the same task. It returns `Pending`
/// [`PENDING_POLLS`] times, waking its task each time (a wake that does not complete it, as a
/// notification for another waiter would), and counts its polls and clones.
struct CachesWaker {
    kept: Option<Waker>,
    polls: usize,
    clones: usize,
}

impl Future for CachesWaker {
    type Output = (usize, usize);

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Self::Output> {
        let this = &mut *self;
        this.polls += 1;
        if !this
            .kept
            .as_ref()
            .is_some_and(|kept| kept.will_wake(cx.waker()))
        {
            this.kept = Some(cx.waker().clone());
            this.clones += 1;
        }
        if this.polls > PENDING_POLLS {
            return Poll::Ready((this.polls, this.clones));
        }
        this.kept.as_ref().expect("kept above").wake_by_ref();
        Poll::Pending
    }
}

/// Yields the polls and clones of one [`CachesWaker`].
#[async_generator(yield = (usize, usize))]
async fn caching() {
    let counts = CachesWaker {
        kept: None,
        polls: 0,
        clones: 0,
    }
    .await;
    yield_!(counts);
}

/// Drives [`caching`] and checks its counts.
async fn caching_future_clones_once() {
    let mut gen = pin!(caching());
    assert_eq!(
        gen.anext().await,
        Step::Yielded((PENDING_POLLS + 1, 1)),
        "(polls, clones) of a future that keeps its waker while `will_wake` holds: one clone"
    );
}

/// Guards that a future in a body that keeps its waker while `will_wake` holds clones it once,
/// not at every poll, on the current-thread runtime.
#[tokio::test(flavor = "current_thread")]
async fn a_future_caching_its_waker_in_a_body_clones_it_once_current_thread() {
    spawned(caching_future_clones_once()).await;
}

/// Guards that a future in a body that keeps its waker while `will_wake` holds clones it once,
/// not at every poll, on the multi-thread runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_future_caching_its_waker_in_a_body_clones_it_once_multi_thread() {
    spawned(caching_future_clones_once()).await;
}

// --- Notify and JoinHandle: clones of the consumer's waker ---------------------------------------

/// Yields `0..n`, each after a notification on `notify`.
#[async_generator(yield = usize)]
async fn notified(notify: Arc<Notify>, n: usize) {
    for i in 0..n {
        notify.notified().await;
        yield_!(i);
    }
}

/// Yields the outputs of `handles`, in order.
#[async_generator(yield = usize)]
async fn joined(handles: Vec<JoinHandle<usize>>) {
    for handle in handles {
        yield_!(handle.await.expect("the task should not panic"));
    }
}

/// Drains `stream` polled with a waker whose clones are counted, racing each `next()` against
/// the consumer's timer; returns the items, the counts and the clones.
async fn drain_counting_clones(
    stream: impl Stream<Item = usize> + Unpin,
    ticks: &AtomicUsize,
) -> (Vec<usize>, Run, usize) {
    let counter = CloneCounter::new();
    let (items, run) = drain_counting(counter.wrap_stream(stream), tick, ticks).await;
    (items, run, counter.clones())
}

/// Checks one run: every item, the body polled again while it waited, and at most one clone
/// of the consumer's waker per item (each `Notified` and each `JoinHandle` keeps one).
fn check_clones(what: &str, (items, run, clones): (Vec<usize>, Run, usize)) {
    println!("{what}: {run:?}, {clones} clones of the consumer's waker");
    assert_eq!(items, (0..ITEMS).collect::<Vec<_>>(), "{what}: the items");
    assert!(
        run.ticks >= TICKS_PER_ITEM * ITEMS,
        "{what}: the body should have been polled again while it waited ({run:?})"
    );
    assert!(
        clones <= ITEMS,
        "{what}: the consumer's waker was cloned {clones} times for {ITEMS} items, polled {} \
         times; a future that keeps its waker while `will_wake` holds should clone it once per \
         item",
        run.polls
    );
}

/// One run over a `Notify` paced by the consumer's ticks: the hand-written control, or the
/// generator.
async fn notify_clones(control: bool) -> (Vec<usize>, Run, usize) {
    let ticks = Arc::new(AtomicUsize::new(0));
    let notify = Arc::new(Notify::new());
    let producer = {
        let (ticks, notify) = (ticks.clone(), notify.clone());
        tokio::spawn(async move {
            for i in 0..ITEMS {
                pace(&ticks, i).await;
                notify.notify_one();
            }
        })
    };
    let result = if control {
        let stream = futures_util::stream::unfold(0, |i| {
            let notify = notify.clone();
            async move {
                notify.notified().await;
                Some((i, i + 1))
            }
        })
        .take(ITEMS);
        drain_counting_clones(pin!(stream), &ticks).await
    } else {
        drain_counting_clones(pin!(notified(notify.clone(), ITEMS)), &ticks).await
    };
    producer.await.expect("the producer should not panic");
    result
}

/// The control, then the generator, over a `Notify`.
async fn notify_keeps_the_consumers_waker() {
    check_clones(
        "hand-written stream over Notify (control)",
        notify_clones(true).await,
    );
    check_clones("generator over Notify", notify_clones(false).await);
}

/// Guards that `Notify::notified()` in a body, polled again and again while it waits, keeps the
/// consumer's waker (its `will_wake` check holds) instead of cloning it at every poll, on the
/// current-thread runtime.
#[tokio::test(flavor = "current_thread")]
async fn tokio_notify_in_a_body_keeps_the_consumers_waker_current_thread() {
    spawned(notify_keeps_the_consumers_waker()).await;
}

/// Guards that `Notify::notified()` in a body, polled again and again while it waits, keeps the
/// consumer's waker (its `will_wake` check holds) instead of cloning it at every poll, on the
/// multi-thread runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_notify_in_a_body_keeps_the_consumers_waker_multi_thread() {
    spawned(notify_keeps_the_consumers_waker()).await;
}

/// One run over the `JoinHandle`s of tasks paced by the consumer's ticks: the hand-written
/// control, or the generator.
async fn join_clones(control: bool) -> (Vec<usize>, Run, usize) {
    let ticks = Arc::new(AtomicUsize::new(0));
    let handles: Vec<JoinHandle<usize>> = (0..ITEMS)
        .map(|i| {
            let ticks = ticks.clone();
            tokio::spawn(async move {
                pace(&ticks, i).await;
                i
            })
        })
        .collect();
    if control {
        let stream = futures_util::stream::unfold(handles.into_iter(), |mut handles| async move {
            let handle = handles.next()?;
            Some((handle.await.expect("the task should not panic"), handles))
        });
        drain_counting_clones(pin!(stream), &ticks).await
    } else {
        drain_counting_clones(pin!(joined(handles)), &ticks).await
    }
}

/// The control, then the generator, over `JoinHandle`s.
async fn join_handle_keeps_the_consumers_waker() {
    check_clones(
        "hand-written stream over JoinHandles (control)",
        join_clones(true).await,
    );
    check_clones("generator over JoinHandles", join_clones(false).await);
}

/// Guards that a `JoinHandle` awaited in a body, polled again and again while its task runs,
/// keeps the consumer's waker (its `will_wake` check holds) instead of swapping in a clone at
/// every poll, on the current-thread runtime.
#[tokio::test(flavor = "current_thread")]
async fn tokio_join_handle_in_a_body_keeps_the_consumers_waker_current_thread() {
    spawned(join_handle_keeps_the_consumers_waker()).await;
}

/// Guards that a `JoinHandle` awaited in a body, polled again and again while its task runs,
/// keeps the consumer's waker (its `will_wake` check holds) instead of swapping in a clone at
/// every poll, on the multi-thread runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_join_handle_in_a_body_keeps_the_consumers_waker_multi_thread() {
    spawned(join_handle_keeps_the_consumers_waker()).await;
}

// --- sleep and mpsc: the waker they are polled with ---------------------------------------------

/// Yields `0..n`, sleeping 10 ms before each item, the sleep polled through `probe`.
#[async_generator(yield = usize)]
async fn sleepy(probe: &WakerProbe, n: usize) {
    for i in 0..n {
        probe
            .wrap(tokio::time::sleep(Duration::from_millis(10)))
            .await;
        yield_!(i);
    }
}

/// Yields what `rx` receives, each `recv` polled through `probe`.
#[async_generator(yield = usize)]
async fn received(probe: &WakerProbe, mut rx: mpsc::Receiver<usize>) {
    while let Some(i) = probe.wrap(rx.recv()).await {
        yield_!(i);
    }
}

/// Checks what the probe in the body saw: the items arrived, the consumer's timer won at least
/// `min_ticks` races (so it polled the body again while it waited), and the body's future was
/// polled with the consumer's waker every time.
fn check_probe(what: &str, items: Vec<usize>, run: Run, probe: &WakerProbe, min_ticks: usize) {
    println!(
        "{what}: {run:?}, {} polls in the body, {} with another waker",
        probe.polls(),
        probe.mismatches()
    );
    assert_eq!(items, (0..ITEMS).collect::<Vec<_>>(), "{what}: the items");
    assert!(
        run.ticks >= min_ticks && probe.polls() > ITEMS,
        "{what}: the body should have been polled again while it waited ({run:?}, {} polls in \
         the body)",
        probe.polls()
    );
    assert_eq!(
        probe.mismatches(),
        0,
        "{what}: polls of the body's future ({} in all) with a waker for which \
         `will_wake(consumer)` is false",
        probe.polls()
    );
}

/// A generator sleeping in its body, drained by a consumer racing its timer.
async fn sleep_sees_the_consumers_waker() {
    let probe = WakerProbe::new(current_waker().await);
    let ticks = AtomicUsize::new(0);
    let (items, run) = drain_counting(pin!(sleepy(&probe, ITEMS)), tick, &ticks).await;
    // The body's sleeps are timed, not paced by the consumer's ticks: on a loaded machine a tick
    // and a sleep may fire together, and the sleep wins. Each sleep is polled at least twice
    // anyway (pending, then elapsed), and with 10 ms sleeps and 1 ms ticks, some ticks win.
    check_probe("tokio::time::sleep in a body", items, run, &probe, 1);
}

/// Guards that `tokio::time::sleep` in a body, polled again and again while it waits, wakes the
/// consumer and is polled with the consumer's own waker at every poll, on the current-thread
/// runtime.
#[tokio::test(flavor = "current_thread")]
async fn tokio_sleep_in_a_body_is_polled_with_the_consumers_waker_current_thread() {
    spawned(sleep_sees_the_consumers_waker()).await;
}

/// Guards that `tokio::time::sleep` in a body, polled again and again while it waits, wakes the
/// consumer and is polled with the consumer's own waker at every poll, on the multi-thread
/// runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_sleep_in_a_body_is_polled_with_the_consumers_waker_multi_thread() {
    spawned(sleep_sees_the_consumers_waker()).await;
}

/// A generator receiving from an mpsc channel fed at the pace of the consumer's ticks.
async fn mpsc_sees_the_consumers_waker() {
    let probe = WakerProbe::new(current_waker().await);
    let ticks = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel(ITEMS);
    let producer = {
        let ticks = ticks.clone();
        tokio::spawn(async move {
            for i in 0..ITEMS {
                pace(&ticks, i).await;
                tx.send(i).await.expect("the receiver is alive");
            }
        })
    };
    let (items, run) = drain_counting(pin!(received(&probe, rx)), tick, &ticks).await;
    producer.await.expect("the producer should not panic");
    check_probe(
        "tokio::sync::mpsc::Receiver::recv in a body",
        items,
        run,
        &probe,
        TICKS_PER_ITEM * ITEMS,
    );
}

/// Guards that `mpsc::Receiver::recv` in a body, polled again and again while it waits, is woken
/// by the sender and polled with the consumer's own waker at every poll, on the current-thread
/// runtime.
#[tokio::test(flavor = "current_thread")]
async fn tokio_mpsc_recv_in_a_body_is_polled_with_the_consumers_waker_current_thread() {
    spawned(mpsc_sees_the_consumers_waker()).await;
}

/// Guards that `mpsc::Receiver::recv` in a body, polled again and again while it waits, is woken
/// by the sender and polled with the consumer's own waker at every poll, on the multi-thread
/// runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_mpsc_recv_in_a_body_is_polled_with_the_consumers_waker_multi_thread() {
    spawned(mpsc_sees_the_consumers_waker()).await;
}
