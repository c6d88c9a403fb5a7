use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers(empty: bool) -> usize {
    if empty {
        return "empty";
    }
    yield_!(1);
    1
}

fn main() {}
