use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32, send = u8, yield = u64)]
async fn numbers() {
    yield_!(1);
}

fn main() {}
