// Attack (the body's context, nested polls): an outer body hands the `&mut Context` it is polled
// with to a future in the body of an inner generator it drives, which swaps it with its own
// (`mem::swap(cx_outer, cx_inner)`): each side's yield points would then be polled with the
// other's context. Only the contents of a context can be swapped, and only with a context of
// the same waker lifetime; a poll's context has a lifetime of its own (`Context<'_>` in
// `Future::poll`), so the swap does not type-check.
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Context, Poll};

use agen_runtime::{async_gen, yield_};
use futures_util::Stream;

fn main() {
    let outer = async_gen!(yield = u32 => {
        let item = poll_fn(|cx_outer: &mut Context<'_>| {
            let cell = RefCell::new(Some(cx_outer));
            let inner = async_gen!(yield = u32 => {
                poll_fn(|cx_inner: &mut Context<'_>| {
                    if let Some(cx_outer) = cell.borrow_mut().as_mut() {
                        std::mem::swap(*cx_outer, cx_inner);
                    }
                    Poll::Ready(())
                })
                .await;
                yield_!(1);
            });
            let mut inner = std::pin::pin!(inner);
            let mut cx = Context::from_waker(std::task::Waker::noop());
            inner.as_mut().poll_next(&mut cx)
        })
        .await;
        yield item.unwrap_or(0);
    });
    drop(outer);
}
