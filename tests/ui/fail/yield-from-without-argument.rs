use agen_runtime::{async_generator, yield_from};

#[async_generator(yield = u32)]
async fn outer() {
    yield_from!();
}

fn main() {}
