//! A listed limit: `closed!()` inside a `for_await!` loop of a generator body leaves the loop
//! first (so that the loop's generator is closed before the body ends), and the borrow checker,
//! which cannot tell that this way out never reaches the code after the loop, reports a value
//! moved before it as moved there (E0382). Move a clone, or end the body after the loop.
use agen_runtime::{async_generator, closed, for_await, yield_, yield_catch, Resume};

#[async_generator(yield = u32)]
async fn source() {
    yield_!(1);
}

fn consume(_: Vec<u32>) {}

#[async_generator(yield = u32)]
async fn relay() -> usize {
    let mut seen = Vec::new();
    for_await!(for n in source() {
        if let Resume::Close = yield_catch!(n) {
            consume(seen);
            closed!();
        }
        seen.push(n);
    });
    seen.len()
}

fn main() {
    drop(relay());
}
