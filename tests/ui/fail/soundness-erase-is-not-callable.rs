// Attack (debug and release builds told apart): the runtime's erasing coercion is a method of the
// body trait's sealed supertrait, which a `Body` bound reaches from any crate. Called, it would
// give two generators of one protocol one type in debug builds and two in release builds. It
// takes a value only the runtime can make: no code outside can call it.
use agen_runtime::{async_gen, AsyncGen, Body};
use core::pin::{pin, Pin};

fn both<'a, B1, B2>(a: Pin<&'a mut AsyncGen<B1>>, b: Pin<&'a mut AsyncGen<B2>>)
where
    B1: Body,
    B2: Body<Yield = B1::Yield, Send = B1::Send, Throw = B1::Throw, Return = B1::Return>,
{
    let mut x = B1::erase(a);
    x = B2::erase(b);
    let _ = x;
}

fn main() {
    let a = pin!(async_gen! { yield 1_u8; });
    let b = pin!(async_gen! { yield 2_u8; yield 3_u8; });
    both(a, b);
}
