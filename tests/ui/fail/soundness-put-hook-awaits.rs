// Attack (the plain yield point's put hook, shadowed by name, awaiting): any code in the body can
// define its own `__agen_plain_put!` (that is how `try_finally!` changes it). Were the hook an
// expression evaluated between `Co::here(…).await`, which gives the slot (a pointer into this
// poll's exchange), and the write into the slot, an `.await` in it that is pending would suspend
// the body with the slot held, and the next poll would write the item into the previous poll's
// exchange, a dead stack slot. The hook is a type: no code of it runs, and this does not compile.
use agen_runtime::{async_gen, yield_};

fn main() {
    let gen = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {{
                core::future::ready(()).await;
                agen_runtime::__private::PlainYield
            }};
        }
        yield_!(1);
    });
    drop(gen);
}
