//! What the conformance tests share: the generator constructor, a tiny executor, a manual poll,
//! a future that is pending a given number of times, a drop counter and a side-effect log.

use std::cell::RefCell;
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub use agen_runtime::__private::Co;

#[path = "../common/handle.rs"]
mod handle;
use futures_core::Stream;
pub use handle::Handle;

/// Builds a generator from a body: `agen!(<Y, S, E> |co| { … })`, or
/// `agen!(<Y, S, E, R> |co| { … })` to spell the return type out (for `?` and `return`).
///
/// The body may use `co` only as `co.yield_(v).await`, `co.yield_catching(v).await` and
/// `match co.exit().await {}`, each awaited on the spot: the contract of `AsyncGen::new`.
macro_rules! agen {
    (<$Y:ty, $S:ty, $E:ty, $R:ty> |$co:ident| $body:block) => {{
        let start = $crate::support::typed_body::<$Y, $S, $E, $R, _, _>(
            move |#[allow(unused_mut)] mut $co| async move {
                #[allow(unused_imports)]
                use $crate::support::Handle as _;
                $body
            },
        );
        // SAFETY: every body in this suite uses its `Co` only through yield points and `exit`,
        // each awaited on the spot inside the body's own `async` block, and never moves it out.
        unsafe { ::agen_runtime::AsyncGen::new(start) }
    }};
    (<$Y:ty, $S:ty, $E:ty> |$co:ident| $body:block) => {
        agen!(<$Y, $S, $E, _> |$co| $body)
    };
}

/// Fixes the body's protocol and return types, so the `async` block infers against them. Safe:
/// it only names the closure's type.
pub fn typed_body<Y, S, E, R, F, Fut>(start: F) -> F
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future<Output = R>,
{
    start
}

/// Counts the wakes of the waker `block_on` passes down.
#[derive(Default)]
struct CountingWaker {
    wakes: AtomicUsize,
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// Runs `fut` to completion on this thread and returns its output and how many times its waker
/// was woken. Panics if the future returns `Pending` without having woken its waker (a lost
/// wake-up would hang a real executor).
pub fn block_on_counting<F: Future>(fut: F) -> (F::Output, usize) {
    let mut fut = pin!(fut);
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut total = 0;
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return (out, total);
        }
        let woken = counter.wakes.swap(0, Ordering::SeqCst);
        assert!(
            woken > 0,
            "block_on: Pending without a wake-up: this would hang"
        );
        total += woken;
        assert!(total < 10_000, "block_on: the future never completes");
    }
}

/// Runs `fut` to completion on this thread; see [`block_on_counting`].
pub fn block_on<F: Future>(fut: F) -> F::Output {
    block_on_counting(fut).0
}

/// Polls `fut` once with a no-op waker.
pub fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

/// A future that returns `Pending` `n` times (waking its waker each time), then `Ready(())`.
pub fn pending_for(n: usize) -> PendingFor {
    PendingFor { left: n }
}

/// One `Pending` then `Ready`: the body is parked at an inner `.await` once.
pub fn yield_now() -> PendingFor {
    pending_for(1)
}

pub struct PendingFor {
    left: usize,
}

impl Future for PendingFor {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Hands out the waker the body is polled with, so a test can compare it with its own.
pub fn current_waker() -> impl Future<Output = Waker> {
    std::future::poll_fn(|cx| Poll::Ready(cx.waker().clone()))
}

/// The next item of a stream.
pub async fn next<St: Stream + Unpin>(stream: &mut St) -> Option<St::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Counts the drops of the [`Token`]s it hands out.
#[derive(Clone, Default, Debug)]
pub struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    pub fn new() -> Self {
        Self::default()
    }

    /// A token that adds one to this count when it is dropped.
    pub fn token(&self) -> Token {
        Token(self.0.clone())
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its [`DropCount`] when dropped. `Send` and `Sync`.
#[derive(Debug)]
pub struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A side-effect log the body writes to and the test reads.
#[derive(Clone, Default, Debug)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, entry: impl Into<String>) {
        self.0.borrow_mut().push(entry.into());
    }

    /// Everything logged so far.
    pub fn get(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}
