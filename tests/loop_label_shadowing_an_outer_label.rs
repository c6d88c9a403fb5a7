//! A `for_await!` loop labeled like an enclosing loop: `break 'label value` in its body names the
//! `for_await!` loop itself (where a value is an error, as in a `for` loop), never the enclosing
//! loop behind it, which would leave without closing the generator.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_generator, for_await, yield_catch, Resume};

type Log = Rc<RefCell<Vec<String>>>;
fn log() -> Log { Rc::new(RefCell::new(Vec::new())) }
fn note(log: &Log, entry: impl Into<String>) { log.borrow_mut().push(entry.into()); }
fn entries(log: &Log) -> Vec<String> { log.borrow().clone() }
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) { return output; }
    }
}
#[async_generator(yield = u32)]
async fn source(name: &'static str, n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            note(&log, format!("{name} closed"));
            return;
        }
    }
    note(&log, format!("{name} finished"));
}

/// `'a: loop { for_await!('a: for i in g { break 'a 5; }) }`: the inner `'a` shadows the outer
/// one, so this is not a break of the outer loop; if it compiles at all, the generator the loop
/// owns must be closed before control leaves it.
#[test]
fn a_break_with_a_value_to_the_loops_own_label_does_not_skip_the_close() {
    async fn first(log: Log) -> u32 {
        'a: loop {
            for_await!('a: for i in source("g", 3, log.clone()) {
                if i == 1 {
                    break 'a 5;
                }
            });
            break 'a 0;
        }
    }
    let log = log();
    let value = run(first(log.clone()));
    assert_eq!(
        entries(&log),
        ["g closed"],
        "left the loop with {value} without closing its generator"
    );
}
