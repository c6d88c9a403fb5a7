//! A `!Send` local of a `for_await!` body (an `Rc`, a `MutexGuard`) that is live at an early exit
//! is dropped by the exit, as in a `for` loop: it is not held across the close, so the future stays
//! `Send`.
#![deny(warnings)]

use std::rc::Rc;
use std::sync::Mutex;

use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}

fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

async fn with_rc() -> u32 {
    for_await!(for i in numbers(3) {
        let shared = Rc::new(i);
        if *shared == 1 {
            break;
        }
    });
    0
}

async fn with_guard(total: &Mutex<u32>) -> u32 {
    for_await!(for i in numbers(3) {
        let mut guard = total.lock().unwrap();
        *guard += i;
        if *guard > 1 {
            return *guard;
        }
    });
    0
}

fn main() {
    let total = Mutex::new(0);
    drop(assert_send(with_rc()));
    drop(assert_send(with_guard(&total)));
}
