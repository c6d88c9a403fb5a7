//! A nested `for_await!` statement under `#[cfg_attr(all(), cfg(any()))]`, which the compiler
//! turns into `#[cfg(any())]`: the statement is removed, as any statement under that attribute
//! is, and the enclosing loop compiles without it.
use agen_runtime::{async_generator, for_await, yield_};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}
pub async fn first() -> u32 {
    for_await!(for i in source(3) {
        #[cfg_attr(all(), cfg(any()))]
        for_await!(for j in source(3) {
            if j == 1 {
                return i * 10 + j;
            }
        });
    });
    0
}
fn main() {
    drop(first());
}
