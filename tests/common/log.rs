//! A shared log of what happened, in order, and a poll loop with a no-op waker: for the suites
//! that check the order of cleanups.
// Each suite that includes this file uses some of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// What happened, in order.
pub type Log = Rc<RefCell<Vec<String>>>;

pub fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

pub fn note(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

pub fn entries(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

/// Polls a future that waits on nothing outside it (it may be `Pending` after waking its own
/// waker) to completion.
pub fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}
