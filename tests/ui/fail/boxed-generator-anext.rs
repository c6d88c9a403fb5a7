use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() {
    let mut gen = Box::pin(numbers());
    let _ = gen.anext().await;
}

fn main() {
    drop(caller());
}
