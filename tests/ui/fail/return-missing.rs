use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() -> i32 {
    yield_!(1);
}

fn main() {}
