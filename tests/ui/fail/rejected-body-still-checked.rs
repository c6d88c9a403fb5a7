use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers(items: Vec<u32>) {
    items.iter().for_each(|item| {
        yield_!(*item);
    });
    let n: u32 = "not a number";
    yield_!(n);
}

fn main() {}
