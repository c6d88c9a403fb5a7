//! `return Box::new(i)` in a `for_await!` body of a generator body returning `Box<dyn Display>`:
//! coerced to the declared return type where it is written, as a plain `for` loop's is.
use std::fmt::Display;
use agen_runtime::{async_generator, for_await, yield_};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}
#[async_generator(yield = u32)]
pub async fn relay() -> Box<dyn Display> {
    for_await!(for i in source(3) {
        yield_!(i);
        if i == 1 {
            return Box::new(i);
        }
    });
    Box::new("end")
}
fn main() {
    drop(relay());
}
