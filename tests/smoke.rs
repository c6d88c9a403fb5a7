use agen_runtime::{AsyncGen, Step};
use core::pin::pin;

#[test]
fn counts() {
    let gen = unsafe {
        AsyncGen::new(
            |mut co: agen_runtime::__private::Co<u32, (), ()>| async move {
                for i in 0..3 {
                    co.yield_(i).await;
                }
                "done"
            },
        )
    };
    let mut gen = pin!(gen);
    let waker = core::task::Waker::noop();
    let mut cx = core::task::Context::from_waker(waker);
    let mut out = vec![];
    loop {
        let mut f = gen.anext();
        match core::future::Future::poll(core::pin::Pin::new(&mut f), &mut cx) {
            core::task::Poll::Ready(Step::Yielded(x)) => out.push(x),
            core::task::Poll::Ready(Step::Returned(r)) => {
                assert_eq!(r, "done");
                break;
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
    }
    assert_eq!(out, [0, 1, 2]);
}
