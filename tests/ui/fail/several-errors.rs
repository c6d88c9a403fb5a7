use agen_runtime::{async_generator, closed, yield_};

#[async_generator(yield = u32, colour = Red)]
fn numbers(items: Vec<u32>) {
    let f = || yield_!(1);
    f();
    yield_!();
    closed!(now);
    drop(items);
}

fn main() {}
