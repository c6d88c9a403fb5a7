//! Loops and `try_finally!` blocks nested in each other add no lint of their own: the nested
//! one, which the enclosing one expands itself, still counts as a use of its import, and their
//! labels shadow nothing.
#![deny(warnings)]

use agen_runtime::{async_generator, for_await, try_finally, yield_};

#[async_generator(yield = u32)]
async fn numbers(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}

#[async_generator(yield = u32)]
async fn pairs(n: u32) -> Result<u32, &'static str> {
    try_finally! {
        try {
            for_await!(for i in numbers(n) {
                try_finally! {
                    try {
                        for_await!(for j in numbers(i) {
                            if j > 2 {
                                return Err("too far");
                            }
                            yield_!(i * 10 + j);
                        });
                    } finally {
                        yield_!(0);
                    }
                }
            });
        } finally {
            yield_!(n);
        }
    }
    Ok(n)
}

fn main() {
    drop(pairs(3));
}
