use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

fn main() {}
