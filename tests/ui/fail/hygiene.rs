use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
    __agen_co.yield_(2).await;
}

fn main() {}
