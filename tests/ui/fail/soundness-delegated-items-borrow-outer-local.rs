// Attack (variance, delegation): an inner generator whose items borrow a local of the outer
// body, delegated to from an outer generator whose items are `&'static str`. The delegation
// requires the inner's item type to be the outer's exactly, so the borrow would have to be
// `'static`: rejected.
use agen_runtime::{async_gen, yield_from};

fn main() {
    let outer = async_gen!(yield = &'static str => {
        let local = String::from("x");
        let borrowed = &local;
        yield_from!(async_gen!(yield = &str => { yield borrowed.as_str(); }));
    });
    drop(outer);
}
