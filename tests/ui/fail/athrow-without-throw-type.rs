use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() {
    let mut gen = core::pin::pin!(numbers());
    let _ = gen.as_mut().anext().await;
    let _ = gen.as_mut().athrow("stop").await;
}

fn main() {
    drop(caller());
}
