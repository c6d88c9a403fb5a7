// `&mut AsyncGen` is neither a generator the loop can drive (it is not pinned) nor a `Stream`.
use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() {
    let mut gen = numbers();
    for_await!(for n in &mut gen {
        drop(n);
    });
}

fn main() {
    drop(caller());
}
