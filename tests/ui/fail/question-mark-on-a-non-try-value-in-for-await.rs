use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn caller() -> Result<(), String> {
    for_await!(for n in numbers() {
        let m = n?;
        drop(m);
    });
    Ok(())
}

fn main() {
    drop(caller());
}
