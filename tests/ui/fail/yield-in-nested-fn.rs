use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    async fn helper() {
        yield_!(1);
    }
    helper().await;
}

fn main() {}
