//! `break s`, `s` a `String` declared before an enclosing `loop`, from a `try_finally!` block in
//! that loop: moved once, where the loop is left, after the `finally` block.
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
