//! An embassy `Timer` awaited inside a generator body, under the embassy executor.
//!
//! Embassy's timer queue is integrated into the executor's tasks: `Timer` finds the task to wake
//! from the waker it is polled with, by that waker's vtable, and panics on a waker the executor
//! did not make. This is its own test binary because that panic happens while the `std` time
//! driver holds its lock, which poisons the driver for every other embassy test in the process.

mod embassy_support;

use agen_runtime::{async_generator, yield_, Step};
use embassy_support::Outcome;
use embassy_time::Timer;

/// Yields `0..n`, sleeping a millisecond on an embassy timer before each item.
#[async_generator(yield = u32)]
async fn sleepy_count(n: u32) {
    for i in 0..n {
        Timer::after_millis(1).await;
        yield_!(i);
    }
}

#[embassy_executor::task]
async fn drain_sleepy_count(outcome: &'static Outcome<Vec<u32>>) {
    let mut gen = core::pin::pin!(sleepy_count(3));
    let mut items = Vec::new();
    while let Step::Yielded(i) = gen.anext().await {
        items.push(i);
    }
    outcome.finish(items);
}

/// Guards that inside a body, `cx.waker()` is the embassy task's own waker, which embassy's
/// timer queue requires: `Timer::after_millis(1).await` in a body, driven by a task of the
/// embassy executor, completes and the generator yields every item.
#[test]
fn an_embassy_timer_in_a_body_works_under_the_embassy_executor() {
    let items = embassy_support::run(|spawner, outcome| {
        spawner.spawn(drain_sleepy_count(outcome).unwrap());
    });
    assert_eq!(items, [0, 1, 2]);
}
