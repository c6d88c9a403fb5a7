//! An unlabeled `break value` of a plain `loop` from inside a `try_finally!` block: the value
//! waits while the `finally` block runs, then goes with the `break`.

use agen_runtime::{async_generator, try_finally, yield_};

#[async_generator(yield = u32)]
async fn gen() -> u32 {
    let found = loop {
        try_finally! {
            try {
                yield_!(1);
                break 3;
            } finally {
            }
        }
    };
    found
}

fn main() {
    drop(gen());
}
