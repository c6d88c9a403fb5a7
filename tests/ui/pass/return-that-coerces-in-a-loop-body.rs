//! `return Err(Box::new(e))` in a `for_await!` body of a function returning
//! `Result<_, Box<dyn Error>>`: the `Box<Failed>` coerces to `Box<dyn Error>` at the `return`, as
//! in a plain `for` loop.

use std::error::Error;
use std::fmt;

use agen_runtime::{async_generator, for_await, yield_};

#[derive(Debug)]
struct Failed;

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed")
    }
}

impl Error for Failed {}

#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}

async fn first_big() -> Result<u32, Box<dyn Error>> {
    for_await!(for i in source(3) {
        if i > 1 {
            return Err(Box::new(Failed));
        }
    });
    Ok(0)
}

fn main() {
    drop(first_big());
}
