// A boxed generator is a `Stream` too; `yield_from!` still delegates to it as a generator, so a
// generator whose send type differs is an error, not a silent delegation to its items that would
// drop every value sent.
use agen_runtime::{async_generator, yield_, yield_from};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

#[async_generator(yield = u32, send = String)]
async fn outer() {
    yield_from!(Box::pin(numbers()));
}

fn main() {}
