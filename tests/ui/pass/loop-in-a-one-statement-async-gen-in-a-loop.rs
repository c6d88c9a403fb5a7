//! A `for_await!` (first syntax) with a `return` in a one-statement `async_gen!` body inside a
//! `for_await!` loop: the enclosing loop does not look into the inner generator, whose exits are
//! its own (rewritten into the enclosing loop, the `return` would be a `break` across the inner
//! generator's async block, E0767).
use agen_runtime::{async_gen, async_generator, for_await, yield_, yield_catch, Resume};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            return;
        }
    }
}
pub async fn outer() -> u32 {
    let mut total = 0;
    for_await!(for i in source(3) {
        let below = async_gen! {
            for_await!(n in source(10) {
                if n > i {
                    return;
                }
                yield_!(n);
            })
        };
        for_await!(for n in below {
            total += n;
        });
    });
    total
}
fn main() {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut f = std::pin::pin!(outer());
    assert_eq!(f.as_mut().poll(&mut cx), std::task::Poll::Ready(0 + 1 + 1 + 2));
}
use std::future::Future;
