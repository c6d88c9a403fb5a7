use agen_runtime::{async_generator, yield_};

#[async_generator(yield = 42)]
async fn numbers() {
    yield_!(1);
}

fn main() {}
