//! Labels that start with `'__agen_` are reserved in `for_await!` and `try_finally!` tokens: the
//! loops and blocks they generate are labeled so, and the rewriting tells labels apart by name,
//! so a user's label spelled the same inside them would be taken for a generated one (a
//! `continue` of the user's outer loop would skip the close of the loop it leaves).
use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn rounds() {
    '__agen_loop1: for _ in 0..3 {
        for_await!(for i in numbers() {
            for_await!(for j in numbers() {
                if i == j {
                    continue '__agen_loop1;
                }
            });
        });
    }
}

fn main() {
    drop(rounds());
}
