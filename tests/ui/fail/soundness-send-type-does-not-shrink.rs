// Attack (variance of the send type): the body keeps what it is sent, declared `&'static str`;
// a consumer hands it a borrow of a local through a function generic over the send type's
// lifetime. The generator's type is invariant in its body, and so in the send type: rejected.
use std::pin::Pin;
use std::sync::Mutex;

use agen_runtime::{async_gen, AsyncGen, Body};

static KEPT: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn feed<'a, B: Body<Send = &'a str>>(gen: Pin<&mut AsyncGen<B>>, value: &'a str) {
    let mut gen = gen;
    drop(gen.asend(value));
}

fn main() {
    // Declared first, so that it outlives the generator: only the `'static` is in the way.
    let local = String::from("short-lived");
    let gen = async_gen!(yield = (), send = &'static str => {
        while let Some(sent) = yield () {
            KEPT.lock().unwrap().push(sent);
        }
    });
    let mut gen = std::pin::pin!(gen);
    feed(gen.as_mut(), &local);
}
