use agen_runtime::{async_generator, yield_from};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_from!(futures_util::stream::iter(["one", "two"]));
}

fn main() {}
