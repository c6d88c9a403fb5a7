//! `break 'outer s`, `s` a `String` declared before an enclosing `loop`, from a `for_await!` body
//! in that loop: the value is moved once, where the loop is left, as in a plain `for` loop.
use agen_runtime::{async_generator, for_await, yield_};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}
pub async fn word() -> String {
    let s = String::from("word");
    'outer: loop {
        for_await!(for i in source(3) {
            if i == 1 {
                break 'outer s;
            }
        });
    }
}
fn main() {
    drop(word());
}
