// Attack (the plain yield point's put hook, shadowed by name): a yield point, a delegation or
// the local macro's `protocol` arm inside the hook would reach the body's handle a second time
// while the slot of the yield point it belongs to is held. The hook is a type, so none of them
// can be in it: each is rejected.
use agen_runtime::__private::PlainYield;
use agen_runtime::{async_gen, yield_, yield_catch, yield_from};

fn main() {
    let nested = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                let _ = yield_catch!(2);
                PlainYield
            }};
        }
        yield_!(1);
    });
    let delegates = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                yield_from!(futures_util::stream::empty::<u32>());
                PlainYield
            }};
        }
        yield_!(1);
    });
    let protocol = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                let _ = yield_point_outside_of_an_async_generator_body! { protocol };
                PlainYield
            }};
        }
        yield_!(1);
    });
    drop((nested, delegates, protocol));
}
