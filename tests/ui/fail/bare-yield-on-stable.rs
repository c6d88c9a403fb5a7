use agen_runtime::async_generator;

#[async_generator(yield = u32)]
async fn numbers() {
    yield 1;
}

fn main() {}
