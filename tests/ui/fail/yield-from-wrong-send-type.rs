use agen_runtime::{async_generator, yield_, yield_from};

#[async_generator(yield = u32, send = String)]
async fn echo() {
    let _ = yield_!(1);
}

#[async_generator(yield = u32, send = u64)]
async fn numbers() {
    yield_from!(echo());
}

fn main() {}
