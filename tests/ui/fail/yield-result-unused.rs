#![deny(unused_must_use)]
use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32, send = String)]
async fn numbers() {
    yield_!(1).clone();
}

fn main() {}
