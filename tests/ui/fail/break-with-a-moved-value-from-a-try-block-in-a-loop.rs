//! A known limit (README, "Where loops and blocks see their exits"): `break s`, `s` a `String`
//! declared before an enclosing `loop`, from a `try_finally!` block in that loop. The value waits
//! in a slot while the `finally` block runs, and the borrow checker, which cannot tell which way
//! the block is left afterwards, sees a path back into the loop after the move (E0382). The same
//! holds for a `for_await!` loop (`break-with-a-moved-value-from-a-loop-in-a-loop.rs`).
use agen_runtime::{async_generator, try_finally, yield_};
#[async_generator(yield = u32)]
pub async fn word() -> String {
    let s = String::from("word");
    loop {
        try_finally! {
            try {
                yield_!(1);
                break s;
            } finally {
                yield_!(2);
            }
        }
    }
}
fn main() {
    drop(word());
}
