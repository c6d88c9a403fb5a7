//! A known limit (README, "Where loops and blocks see their exits"): `break 'outer s`, `s` a
//! `String` declared before an enclosing `loop`, from a `for_await!` body in that loop. The loop
//! leaves its body with the value, closes its generator (after the body's locals are dropped, as
//! a `for` loop drops them), then breaks; the borrow checker cannot tell which way the loop was
//! left and sees a path back into the enclosing loop after the move (E0382).
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
