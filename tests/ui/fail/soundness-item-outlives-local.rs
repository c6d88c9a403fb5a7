// Attack (variance): the body yields a borrow of its own local while the generator's item type
// is `&'static str`. Once the generator is dropped, the item would point into freed memory. The
// handle is invariant in the item type, so the borrow cannot be shortened to fit: rejected.

use agen_runtime::{async_gen, AsyncGen, Body, NoSend, NoThrow};

fn words() -> AsyncGen<impl Body<Yield = &'static str, Send = NoSend, Throw = NoThrow, Return = ()>> {
    async_gen! {
        let local = String::from("hello");
        yield local.as_str();
    }
}

fn main() {
    drop(words());
}
