// Attack (variance of the generator's type in its protocol types): the body keeps what it is
// thrown, or sent, declared `&'static str`; a consumer hands it a borrow of a local through a
// function generic over that type's lifetime. The body's future does not carry the declared
// types (an `async` block's type names only the generics of the fn around it), so this rests on
// the generator's own type being invariant in each of them: rejected, for the throw type of an
// `async_gen!` and for the send type of an `#[async_generator]` fn.
use std::pin::Pin;
use std::sync::Mutex;

use agen_runtime::{async_gen, async_generator, yield_, yield_catch, AsyncGen, Body, Resume};

static KEPT: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn throw_in<'a, B: Body<Throw = &'a str>>(gen: Pin<&mut AsyncGen<B>>, error: &'a str) {
    let mut gen = gen;
    drop(gen.athrow(error));
}

fn send_in<'a, B: Body<Send = &'a str>>(gen: Pin<&mut AsyncGen<B>>, value: &'a str) {
    let mut gen = gen;
    drop(gen.asend(value));
}

#[async_generator(yield = (), send = &'static str)]
async fn keeps_what_it_is_sent() {
    while let Some(sent) = yield_!(()) {
        KEPT.lock().unwrap().push(sent);
    }
}

fn main() {
    let local = String::from("short-lived");
    let thrown = async_gen!(yield = (), throw = &'static str => {
        loop {
            if let Resume::Throw(error) = yield_catch!(()) {
                KEPT.lock().unwrap().push(error);
            }
        }
    });
    let mut thrown = std::pin::pin!(thrown);
    throw_in(thrown.as_mut(), &local);

    let sent = std::pin::pin!(keeps_what_it_is_sent());
    let mut sent = sent;
    send_in(sent.as_mut(), &local);
}
