// Attack (the plain yield point's put hook, shadowed by name): the hook is evaluated while the
// slot of the yield point it belongs to is held, so a yield point, a delegation or the local
// macro's `protocol` arm inside it would reach the body's handle a second time, and a second
// slot could be made while the first is still unused. The slot borrows the handle: each is a
// borrow error. (A hook that only diverges after reaching the handle, `closed!()`, compiles: the
// slot is never used on that path; `tests/soundness_put_hook_await.rs` runs it.)
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
