//! Where a `for_await!` loop's early exits drop the body's locals and the pattern binding
//! relative to closing the generator. A plain `for` loop drops them when the exit leaves the
//! body, before the iterator; `for_await!` closed its generator after the loop, so after them.

use std::cell::RefCell;
use std::rc::Rc;

use agen_runtime::{async_generator, for_await, yield_catch, Resume};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

fn entries(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

/// Logs "<name> dropped" when dropped.
struct Noisy(&'static str, Log);

impl Drop for Noisy {
    fn drop(&mut self) {
        push(&self.1, format!("{} dropped", self.0));
    }
}

/// Yields 0..n; a close logs "closed".
#[async_generator(yield = u32)]
async fn numbers(n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            push(&log, "closed");
            return;
        }
    }
}

/// Yields `Noisy` items; a close logs "closed".
#[async_generator(yield = Noisy)]
async fn noisy(log: Log) {
    for name in ["a", "b", "c"] {
        if let Resume::Close = yield_catch!(Noisy(name, log.clone())) {
            push(&log, "closed");
            return;
        }
    }
}

/// The plain `for` loop the order is measured against: the body's local is dropped, then the
/// iterator.
#[test]
// The control: a plain `for` loop that leaves at once, as the loops below do.
#[allow(clippy::never_loop)]
fn a_plain_for_loop_drops_the_bodys_locals_before_the_iterator() {
    struct Iter(Log);
    impl Iterator for Iter {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            Some(1)
        }
    }
    impl Drop for Iter {
        fn drop(&mut self) {
            push(&self.0, "closed");
        }
    }
    let log = log();
    for _ in Iter(log.clone()) {
        let _local = Noisy("local", log.clone());
        break;
    }
    assert_eq!(entries(&log), ["local dropped", "closed"]);
}

#[tokio::test]
async fn break_drops_a_local_of_the_body_before_closing_the_generator() {
    let log = log();
    for_await!(for i in numbers(3, log.clone()) {
        let _local = Noisy("local", log.clone());
        if i == 1 {
            break;
        }
    });
    assert_eq!(entries(&log), ["local dropped", "local dropped", "closed"]);
}

#[tokio::test]
async fn break_drops_the_pattern_binding_before_closing_the_generator() {
    let log = log();
    for_await!(for item in noisy(log.clone()) {
        if item.0 == "b" {
            break;
        }
    });
    assert_eq!(entries(&log), ["a dropped", "b dropped", "closed"]);
}

#[tokio::test]
async fn return_drops_the_pattern_binding_before_closing_the_generator() {
    async fn first_b(log: Log) -> u32 {
        for_await!(for item in noisy(log.clone()) {
            if item.0 == "b" {
                return 2;
            }
        });
        0
    }
    let log = log();
    assert_eq!(first_b(log.clone()).await, 2);
    assert_eq!(entries(&log), ["a dropped", "b dropped", "closed"]);
}

#[tokio::test]
async fn continue_to_an_outer_loop_drops_a_local_before_closing_the_generator() {
    let log = log();
    'outer: for _ in 0..1 {
        for_await!(for _ in numbers(3, log.clone()) {
            let _local = Noisy("local", log.clone());
            continue 'outer;
        });
    }
    assert_eq!(entries(&log), ["local dropped", "closed"]);
}

/// A `RefCell` borrow held in the body, released by the `break` as in a `for` loop, must not be
/// held while the generator's cleanup borrows the same cell.
#[tokio::test]
async fn break_while_the_body_holds_a_borrow_the_cleanup_needs_does_not_panic() {
    let log = log();
    for_await!(for i in numbers(3, log.clone()) {
        let mut held = log.borrow_mut();
        held.push(format!("item {i}"));
        if i == 1 {
            break;
        }
    });
    assert_eq!(entries(&log), ["item 0", "item 1", "closed"]);
}

/// The same with `?`: the error propagates after the borrow is released.
#[tokio::test]
async fn question_mark_while_the_body_holds_a_borrow_the_cleanup_needs_does_not_panic() {
    async fn until_one(log: Log) -> Result<(), u32> {
        for_await!(for i in numbers(3, log.clone()) {
            let mut held = log.borrow_mut();
            held.push(format!("item {i}"));
            if i == 1 {
                Err(i)?
            }
        });
        Ok(())
    }
    let log = log();
    assert_eq!(until_one(log.clone()).await, Err(1));
    assert_eq!(entries(&log), ["item 0", "item 1", "closed"]);
}
