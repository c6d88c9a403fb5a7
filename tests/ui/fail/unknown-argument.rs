use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32, item = u8)]
async fn numbers() {
    yield_!(1);
}

#[async_generator(yield = u32, return = u8)]
async fn with_return() -> u8 {
    yield_!(1);
    0
}

fn main() {}
