// Attack (taking tokens apart): a macro that receives a yield point's tokens, or any other
// tokens of the body, forges the expansion's internal names (the handle `__agen_co`, the label
// `'__agen_body`) with the span, and so the hygiene, of each token it was given, and uses them in
// an `async` block. No token a macro receives carries the internals' hygiene: none resolves.
use agen_hostile_macros::forge;
use agen_runtime::{async_gen, async_generator, yield_};

#[async_generator(yield = u64)]
async fn attribute_form() {
    yield_!(1);
    forge!(yield_!(2));
}

fn main() {
    let _ = async_gen! {
        yield 1;
        forge!(yield 2; yield_!(3));
    };
    drop(attribute_form());
}
