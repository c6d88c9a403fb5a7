use agen_runtime::{async_generator, yield_};

#[async_generator(yield = ())]
async fn units() {
    yield_!();
}

fn main() {}
