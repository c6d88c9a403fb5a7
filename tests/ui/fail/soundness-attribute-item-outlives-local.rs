// Attack (variance, attribute form): the declared item type is `&'static str`, the body yields
// a borrow of a local. Rejected.
use agen_runtime::{async_generator, yield_};

#[async_generator(yield = &'static str)]
async fn words() {
    let local = String::from("hello");
    yield_!(local.as_str());
}

fn main() {
    drop(words());
}
