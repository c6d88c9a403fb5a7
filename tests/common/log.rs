//! A shared log of what happened, in order, a poll loop with a no-op waker, a future that is
//! pending once, and a logging generator: for the suites that check the order of cleanups.
// Each suite that includes this file uses some of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_generator, yield_catch, Resume};

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

/// Pending once (waking its waker first), so async cleanup really suspends.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// Yields 0..n at catching yield points; a close logs "<name> closed", running to the end
/// "<name> finished".
#[async_generator(yield = u32)]
pub async fn source(name: &'static str, n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            note(&log, format!("{name} closed"));
            return;
        }
    }
    note(&log, format!("{name} finished"));
}
