//! The mark the body pass gives a `for_await!` loop in a generator body's own control flow,
//! forged on a loop outside any body: the loop would end the body after closing its generator,
//! and there is no body, so it does not compile.
use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn sum() -> u32 {
    let mut total = 0;
    for_await!(@agen_body for i in numbers() {
        total += i;
    });
    total
}

fn main() {
    drop(sum());
}
