use agen_runtime::{async_generator, yield_};

#[tracing::instrument]
#[async_generator(yield = u32)]
async fn numbers(count: u32) {
    for n in 0..count {
        yield_!(n);
    }
    yield_!(count);
}

fn main() {}
