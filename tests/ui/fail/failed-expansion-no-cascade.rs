use agen_runtime::{async_generator, yield_, Step};

#[async_generator(yield = u32)]
fn numbers() -> &'static str {
    yield_!(1);
    "done"
}

async fn caller() {
    let mut gen = core::pin::pin!(numbers());
    if let Step::Yielded(n) = gen.anext().await {
        let _: u32 = n;
    }
}

fn main() {
    drop(caller());
}
