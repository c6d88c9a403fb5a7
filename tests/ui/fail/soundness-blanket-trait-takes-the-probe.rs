// Attack (method resolution): a trait implemented for every type, with the method `yield_from!`
// asks its operand's kind with. The probe it receives holds no handle; what it answers is not a
// kind of delegation: the expansion does not compile, and the handle is never handed over.
use agen_runtime::{async_generator, yield_from};

trait Hijack {
    #[allow(non_snake_case)]
    fn __agen_delegation(&self) -> u8 {
        0
    }
}

impl<T: ?Sized> Hijack for T {}

#[async_generator(yield = u32)]
async fn outer() {
    yield_from!(futures_util::stream::iter([1_u32, 2]));
}

fn main() {
    drop(outer());
}
