// Attack (the doc-hidden `__private::body!`, called directly): crafted inputs, and yield points
// in places the proc macro's pass never sees because it does not run.
//
// - `attrs` that remove the closure's `let` (`#[cfg]`): the constructor's argument is then
//   unresolved, and no user binding can stand in for it (hygiene);
// - yield points in an `async` closure, an inline `const` and an array length: the check's label
//   is unreachable there.
use agen_runtime::__private::body;
use agen_runtime::yield_;

fn main() {
    let __agen_body = 0;
    let _removed = body! { $ yield = u32, send = (), throw = (), plain = unit, return = _,
        attrs = { #[cfg(any())] }, rebind = {}, body = {} };
    let _places = body! { $ yield = u32, send = (), throw = (), plain = unit, return = _,
        attrs = {}, rebind = {}, body = {
            let c = async || { yield_!(2); };
            drop(c);
            let k = const { yield_!(3); 0 };
            let _ = [0_u8; { yield_!(4); 1 }];
            let _ = k;
        } };
    let _ = __agen_body;
}
