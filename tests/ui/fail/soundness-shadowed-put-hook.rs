// Attack (the plain yield point's hook, shadowed by name): a body defines its own
// `__agen_plain_put!`, as `try_finally!` does, to get the slot the yield point writes its item
// to and keep it. The hook only names how the item is put out, a marker type of the runtime's
// (sealed): a closure, or anything else, is not one, and the slot is never handed to it.
use agen_runtime::{async_gen, yield_};

fn main() {
    let gen = async_gen!(yield = u32 => {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {
                |slot| drop(slot)
            };
        }
        yield_!(1);
    });
    drop(gen);
}
