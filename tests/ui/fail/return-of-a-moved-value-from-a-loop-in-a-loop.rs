//! A known limit (README, "Where loops and blocks see their exits"): `return s`, `s` a `String`
//! declared before the loops, from a `for_await!` body in a plain `loop`, and from one nested in
//! another `for_await!`: the value leaves the body first, and the borrow checker sees a path back
//! into the enclosing loop after the move (E0382).
use agen_runtime::{async_generator, for_await, yield_};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}
pub async fn in_a_loop() -> String {
    let s = String::from("word");
    loop {
        for_await!(for i in source(3) {
            if i == 1 {
                return s;
            }
        });
    }
}
pub async fn in_a_nested_loop() -> String {
    let s = String::from("word");
    for_await!(for _i in source(3) {
        for_await!(for j in source(3) {
            if j == 1 {
                return s;
            }
        });
    });
    String::new()
}
fn main() {
    drop(in_a_loop());
    drop(in_a_nested_loop());
}
