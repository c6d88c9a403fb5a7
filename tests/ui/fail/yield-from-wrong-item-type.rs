use agen_runtime::{async_generator, yield_, yield_from};

#[async_generator(yield = &'static str)]
async fn words() {
    yield_!("one");
}

#[async_generator(yield = u32)]
async fn numbers() {
    yield_from!(words());
}

fn main() {}
