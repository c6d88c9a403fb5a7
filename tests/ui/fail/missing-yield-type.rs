use agen_runtime::{async_generator, yield_};

#[async_generator]
async fn no_args() {
    yield_!(1);
}

#[async_generator(send = u32)]
async fn only_send() {
    yield_!(1);
}

fn main() {}
