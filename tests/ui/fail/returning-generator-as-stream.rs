use agen_runtime::{async_generator, yield_};
use futures_util::Stream;

#[async_generator(yield = u32)]
async fn numbers() -> &'static str {
    yield_!(1);
    "done"
}

fn consume(stream: impl Stream<Item = u32>) {
    drop(stream);
}

fn main() {
    consume(numbers());
}
