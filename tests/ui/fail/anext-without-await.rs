use agen_runtime::{async_generator, yield_, Step};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() {
    let mut gen = core::pin::pin!(numbers());
    assert!(gen.anext() == Step::Yielded(1));
}

fn main() {
    drop(caller());
}
