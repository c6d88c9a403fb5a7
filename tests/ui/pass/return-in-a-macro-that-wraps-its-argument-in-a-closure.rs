//! A `return` in the tokens of a user's macro that puts its argument in a closure of its own (a
//! "try block" macro) returns from that closure, not from the generator: it keeps the closure's
//! type, not the generator's declared return type.
#![deny(warnings)]

use agen_runtime::{async_generator, yield_};

macro_rules! attempt {
    ($body:expr) => {
        (|| -> Result<u8, String> { $body })()
    };
}

#[async_generator(yield = u32)]
async fn numbers(n: u32) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
    let parsed = attempt!({
        if n > 3 {
            return Err("too many".to_string());
        }
        Ok(n as u8)
    });
    parsed.map_or(0, u64::from)
}

fn main() {
    drop(numbers(3));
}
