use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = &'static str)]
async fn words() {
    yield_!("1");
}

async fn caller() {
    for_await!(for word in words() {
        let n: u32 = word.parse()?;
        drop(n);
    });
}

fn main() {
    drop(caller());
}
