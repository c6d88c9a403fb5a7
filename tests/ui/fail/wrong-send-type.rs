use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32, send = u64)]
async fn numbers() {
    let sent: Option<String> = yield_!(1);
    drop(sent);
}

fn main() {}
