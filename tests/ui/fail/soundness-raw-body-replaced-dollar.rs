// Attack (the doc-hidden `__private::body!`, called directly): the `$` the local macro's rules
// are written with, replaced by another token. The rules then match no yield point: the
// invocation is an error, never a yield point that skips the check.
use agen_runtime::__private::body;
use agen_runtime::yield_;

fn main() {
    let _dollar = body! { @ yield = u32, send = (), throw = (), plain = unit, return = _,
        attrs = {}, rebind = {}, body = { yield_!(1); } };
}
