use agen_runtime::{async_generator, yield_};

// `try` needs a fn that returns `impl Stream<Item = Result<T, E>>`.
#[async_generator(yield = u32, try)]
async fn parsed() -> Result<(), String> {
    yield_!(1);
    Ok(())
}

// The return type is the fn's, not an argument.
#[async_generator(yield = u32, return = u32)]
async fn counted() {
    yield_!(1);
}

// A fn that returns `impl Trait` states its bounds there.
#[async_generator(yield = u32, bound = Send)]
async fn numbers() -> impl futures_util::Stream<Item = u32> {
    yield_!(1);
}

fn main() {}
