// `dyn Body` is not a type: a generator's body cannot be erased behind `AsyncGen<dyn Body<…>>`,
// in any build. (Debug builds drive generators through a trait object of the runtime's own,
// which no code outside it can name; a type that compiled in debug builds only would break the
// release build.) Box the generator, or name it as `AsyncGen<impl Body<…>>`, instead.
use agen_runtime::{async_gen, AsyncGen, Body, NoSend, NoThrow};

type Erased = dyn Body<Yield = u8, Send = NoSend, Throw = NoThrow, Return = ()>;

fn main() {
    let one = async_gen! { yield 1_u8; };
    let boxed: Box<AsyncGen<Erased>> = Box::new(one);
    drop(boxed);
}
