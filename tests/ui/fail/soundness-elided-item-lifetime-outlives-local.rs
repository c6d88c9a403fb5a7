// Attack (variance, attribute form, elided lifetimes): `yield = &str` on a `&self` method names
// the receiver's lifetime, as the elision rules would; the body yields a borrow of its own local
// instead of one of `self`. The item would outlive the local: rejected.
use agen_runtime::{async_generator, yield_};

struct Words(String);

impl Words {
    #[async_generator(yield = &str)]
    async fn words(&self) {
        yield_!(self.0.as_str());
        let local = String::from("hello");
        yield_!(local.as_str());
    }
}

fn main() {
    let words = Words(String::from("a"));
    drop(words.words());
}
