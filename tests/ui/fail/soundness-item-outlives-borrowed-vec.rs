// Attack (variance, async-stream's report #107): the items borrow a vector that the generator
// only borrows, and are declared `'static`. Rejected: the items cannot outlive `v`.

use agen_runtime::{async_gen, AsyncGen, Body, NoSend, NoThrow};

fn items(v: &Vec<String>) -> AsyncGen<impl Body<Yield = &'static String, Send = NoSend, Throw = NoThrow, Return = ()> + '_> {
    async_gen! {
        for x in v {
            yield x;
        }
    }
}

fn main() {
    let v = vec![String::from("a")];
    drop(items(&v));
}
