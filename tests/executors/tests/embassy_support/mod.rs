//! Running embassy's thread-mode executor inside a test.
//!
//! `Executor::run` never returns; `Executor::run_until` returns once its `done` check, made after
//! each round of polls, says so. Each run gets a fresh executor (leaked: `run_until` wants
//! `&'static mut`) on a thread of its own, under [`agen_executor_tests::within`]'s time limit,
//! and ends when a task hands in its result through an [`Outcome`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use embassy_executor::{Executor, Spawner};

/// Where a task leaves the result of a run, which also ends the run.
pub(crate) struct Outcome<T> {
    value: Mutex<Option<T>>,
    done: AtomicBool,
}

impl<T> Outcome<T> {
    /// Hands in the result: the executor stops after the current round of polls.
    pub(crate) fn finish(&self, value: T) {
        *self.value.lock().unwrap() = Some(value);
        self.done.store(true, Ordering::SeqCst);
    }
}

/// Runs a fresh embassy executor on its own thread, with `start` spawning its tasks, until one of
/// them calls [`Outcome::finish`]; returns the result. A panic in a task fails the test with that
/// panic; a run that does not finish within the time limit fails it as hung.
pub(crate) fn run<T: Send + 'static>(
    start: impl FnOnce(Spawner, &'static Outcome<T>) + Send + 'static,
) -> T {
    agen_executor_tests::within(move || {
        let outcome: &'static Outcome<T> = Box::leak(Box::new(Outcome {
            value: Mutex::new(None),
            done: AtomicBool::new(false),
        }));
        let executor: &'static mut Executor = Box::leak(Box::new(Executor::new()));
        executor.run_until(
            |spawner| start(spawner, outcome),
            || outcome.done.load(Ordering::SeqCst),
        );
        outcome
            .value
            .lock()
            .unwrap()
            .take()
            .expect("the run ends when a task hands in its result")
    })
}
