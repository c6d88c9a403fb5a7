//! Returns of different types that each coerce to the function's return type (`Box<&str>` and
//! `Box<u32>` to `Box<dyn Display>`), one in a loop body and one in a loop nested in it: each is
//! coerced where it is written, as a plain `return` is.
use std::fmt::Display;
use agen_runtime::{async_generator, for_await, yield_};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}
pub async fn first(word: bool) -> Box<dyn Display> {
    for_await!(for i in source(3) {
        if word {
            return Box::new("word");
        }
        for_await!(j in source(3) {
            if j > i {
                return Box::new(j);
            }
        });
    });
    Box::new(0)
}
fn main() {
    drop(first(true));
}
