use agen_runtime::{async_generator, yield_};
use futures_util::StreamExt;

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() {
    let mut gen = numbers();
    let _ = gen.next().await;
}

fn main() {
    drop(caller());
}
