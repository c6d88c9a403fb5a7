//! embassy-sync's `Channel` and `Signal` awaited inside a generator body, under the embassy
//! executor, while the consumer polls the body again and again (it races each `next()` against
//! a timer).
//!
//! Both keep the waker they were last polled with and, polled with a waker for which
//! `will_wake` is false, wake the kept one before keeping the new one: a body whose futures see
//! a waker of their own on every poll wakes the consumer's task on every poll, and the consumer
//! busy-loops. Each test first runs the same consumer on a hand-written stream over the same
//! primitive (`futures_util::stream::unfold`), as the control for the poll bound.

mod embassy_support;

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};

use agen_executor_tests::{drain_counting, Run, TICKS_PER_ITEM};
use agen_runtime::{async_generator, yield_};
use embassy_support::Outcome;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use embassy_sync::signal::Signal;
use embassy_time::Timer;
use futures_core::Stream;
use futures_util::StreamExt;

type Chan = Channel<CriticalSectionRawMutex, u32, 4>;
type Sig = Signal<CriticalSectionRawMutex, u32>;
/// The stream a consumer drains: a generator, or the hand-written control.
type Items = Pin<Box<dyn Stream<Item = u32>>>;

/// Items each producer sends.
const ITEMS: u32 = 5;

/// Yields the first `n` values received from `channel`.
#[async_generator(yield = u32)]
async fn received(channel: &'static Chan, n: u32) {
    for _ in 0..n {
        let value = channel.receive().await;
        yield_!(value);
    }
}

/// Yields the first `n` values signalled on `signal`.
#[async_generator(yield = u32)]
async fn signalled(signal: &'static Sig, n: u32) {
    for _ in 0..n {
        let value = signal.wait().await;
        yield_!(value);
    }
}

/// What a producer feeds.
enum Target {
    Channel(&'static Chan),
    Signal(&'static Sig),
}

/// Sends `0..ITEMS` to `target`, each after the consumer's timer has won
/// [`TICKS_PER_ITEM`] more races: the body is polled that many times, at least, while it waits
/// for each item, however fast or slow the machine.
#[embassy_executor::task(pool_size = 4)]
async fn produce(target: Target, ticks: &'static AtomicUsize) {
    for i in 0..ITEMS {
        while ticks.load(Ordering::SeqCst) < TICKS_PER_ITEM * (i as usize + 1) {
            Timer::after_micros(200).await;
        }
        match target {
            Target::Channel(channel) => channel.send(i).await,
            Target::Signal(signal) => signal.signal(i),
        }
    }
}

/// Drains `stream`, racing each `next()` against a 1 ms embassy timer, and hands in the items
/// and the counts of the task's polls.
#[embassy_executor::task(pool_size = 4)]
async fn consume(
    stream: Items,
    ticks: &'static AtomicUsize,
    outcome: &'static Outcome<(Vec<u32>, Run)>,
) {
    outcome.finish(drain_counting(stream, || Timer::after_millis(1), ticks).await);
}

/// One run on a fresh executor: `setup` makes the primitive and the stream over it; the
/// producer feeds the one while the consumer drains the other.
fn run(setup: fn() -> (Target, Items)) -> (Vec<u32>, Run) {
    embassy_support::run(move |spawner, outcome| {
        let ticks: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        let (target, stream) = setup();
        spawner.spawn(produce(target, ticks).unwrap());
        spawner.spawn(consume(stream, ticks, outcome).unwrap());
    })
}

/// Checks one run: every item in order, and the poll bound.
fn check(what: &str, (items, run): (Vec<u32>, Run)) {
    println!("{what}: {run:?}");
    assert_eq!(items, (0..ITEMS).collect::<Vec<_>>(), "{what}: the items");
    run.assert_no_busy_loop(what, ITEMS as usize);
}

/// Guards that `Channel::receive` inside a body keeps the consumer's waker: polled again and
/// again while it waits, it must not wake the consumer's task each time. The consumer is polled
/// about once per tick of its own timer and once per item, as with a hand-written stream.
#[test]
fn embassy_channel_receive_in_a_body_does_not_busy_loop_the_consumer() {
    check(
        "hand-written stream over Channel::receive (control)",
        run(|| {
            let channel: &'static Chan = Box::leak(Box::new(Channel::new()));
            let stream = futures_util::stream::unfold((), move |()| async move {
                Some((channel.receive().await, ()))
            })
            .take(ITEMS as usize);
            (Target::Channel(channel), Box::pin(stream))
        }),
    );
    check(
        "generator over Channel::receive",
        run(|| {
            let channel: &'static Chan = Box::leak(Box::new(Channel::new()));
            (Target::Channel(channel), Box::pin(received(channel, ITEMS)))
        }),
    );
}

/// Guards that `Signal::wait` inside a body keeps the consumer's waker: polled again and again
/// while it waits, it must not wake the consumer's task each time. The consumer is polled about
/// once per tick of its own timer and once per item, as with a hand-written stream.
#[test]
fn embassy_signal_wait_in_a_body_does_not_busy_loop_the_consumer() {
    check(
        "hand-written stream over Signal::wait (control)",
        run(|| {
            let signal: &'static Sig = Box::leak(Box::new(Signal::new()));
            let stream = futures_util::stream::unfold((), move |()| async move {
                Some((signal.wait().await, ()))
            })
            .take(ITEMS as usize);
            (Target::Signal(signal), Box::pin(stream))
        }),
    );
    check(
        "generator over Signal::wait",
        run(|| {
            let signal: &'static Sig = Box::leak(Box::new(Signal::new()));
            (Target::Signal(signal), Box::pin(signalled(signal, ITEMS)))
        }),
    );
}
