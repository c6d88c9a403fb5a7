//! Review 5 (not new in 2fca96f): an unlabeled `break value` of a plain `loop` from inside a
//! `try_finally!` block: the rewriting only takes `break`s without a value, so this one is left
//! inside the expansion's labeled block, and the compiler rejects it (E0695).

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
