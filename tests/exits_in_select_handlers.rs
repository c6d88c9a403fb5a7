//! Early exits of a `for_await!` loop written in a `tokio::select!` handler, whose tokens are not
//! expressions: a `break` there leaves the loop, so it must close the generator (or be refused),
//! never leave it unclosed.

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

#[async_generator(yield = u32)]
async fn numbers(n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            push(&log, "closed");
            return;
        }
    }
    push(&log, "finished");
}

#[tokio::test]
async fn break_in_a_tokio_select_handler_closes_the_generator() {
    let log = log();
    for_await!(for i in numbers(3, log.clone()) {
        push(&log, format!("item {i}"));
        tokio::select! {
            _ = std::future::ready(()) => break,
        }
    });
    push(&log, "after");
    assert_eq!(entries(&log), ["item 0", "closed", "after"]);
}
