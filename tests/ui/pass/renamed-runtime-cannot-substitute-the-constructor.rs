//! A dependency that takes the name `agen_runtime` and offers `core::mem::transmute` under the
//! name of the runtime's unsafe constructor (`agen_fake_runtime`, safe code only) changes
//! nothing: the macros' expansion contains no `unsafe` of its own, and the one `unsafe` block,
//! in the runtime's `__body!`, names the constructor through `$crate`.
extern crate agen_runtime as real;
extern crate agen_fake_runtime as agen_runtime;

use std::pin::pin;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use real::{async_gen, async_generator, yield_, Step};

#[async_generator(yield = u32)]
async fn numbers() -> &'static str {
    yield_!(1);
    yield_!(2);
    "done"
}

fn main() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut gen = pin!(numbers());
    let mut steps = Vec::new();
    loop {
        match pin!(gen.anext()).poll(&mut cx) {
            Poll::Ready(step @ Step::Returned(_)) => {
                steps.push(step);
                break;
            }
            Poll::Ready(step) => steps.push(step),
            Poll::Pending => unreachable!(),
        }
    }
    assert_eq!(
        steps,
        [Step::Yielded(1), Step::Yielded(2), Step::Returned("done")]
    );
    let words = async_gen! {
        yield "a";
    };
    drop(words);
}
