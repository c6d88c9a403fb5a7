//! Attack (the compiled code of release builds): every write a yield point makes into the
//! exchange must survive LLVM, whatever the optimisation level.
//!
//! In release builds a yield point reaches the exchange through exposed provenance: it takes
//! the address of the context it is polled with and calls `with_exposed_provenance_mut`. If that
//! address comes from a *shared* reference parameter (`cx: &Context<'_>`), rustc gives the
//! parameter `noalias readonly`. LLVM then folds `inttoptr(ptrtoint(cx))` back into `cx`
//! (EarlyCSE), so the store into the exchange becomes a store through a `readonly` argument,
//! and InstCombine deletes it. The program is fine under Miri, which implements exposed
//! provenance as specified; the compiled code is not (this is rustc's known gap between
//! `with_exposed_provenance` and LLVM: rust-lang/rust#156622, #160722, #147538).
//!
//! With the runtime as of this test, `put` (in `yield_point.rs`, behind `Co::exit` and
//! `Co::raise`) takes `&Context`. At `opt-level` 2 and 3 in a non-incremental build, the MIR
//! inliner inlines it into its caller, whose parameter is `&mut Context`, and nothing goes
//! wrong. With `opt-level = 1`, `"s"` or `"z"`, or `incremental = true` in the release profile
//! (the MIR inliner is off in all four), the store of `Transit::Exited` and `Transit::Raised`
//! is deleted: `closed!()` never ends the body and the step stays `Pending` for ever, and an
//! `athrow` into a generator delegating to a stream never returns (the thrown error leaks).
//! Debug builds are not affected: yield points use the recorded pointer there.
//!
//! Each test drives one kind of write into the exchange and checks that the step completes on
//! its first poll, with the value, and that nothing leaked. Run it in the configurations above:
//!
//! ```text
//! cargo test --release --test soundness_release_codegen
//! CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo test --release --test soundness_release_codegen
//! CARGO_PROFILE_RELEASE_OPT_LEVEL=s cargo test --release --test soundness_release_codegen
//! CARGO_PROFILE_RELEASE_OPT_LEVEL=z cargo test --release --test soundness_release_codegen
//! CARGO_PROFILE_RELEASE_INCREMENTAL=true cargo test --release --test soundness_release_codegen
//! ```

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    async_gen, closed, yield_catch, yield_from, CloseIgnored, Resume, Step, ThrowError,
};

/// Polls `step` once with a no-op waker.
fn poll_once<F: Future>(step: Pin<&mut F>) -> Poll<F::Output> {
    step.poll(&mut Context::from_waker(Waker::noop()))
}

/// Asserts that a step completed on its first poll with `expected`.
#[track_caller]
fn completes<T: PartialEq + std::fmt::Debug>(polled: Poll<T>, expected: T) {
    assert_eq!(
        polled,
        Poll::Ready(expected),
        "the step did not see what the body put in the exchange"
    );
}

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

/// A value that counts the live instances made with [`Counted::new`] on this thread: a leaked
/// one (a write into the exchange that did not happen) shows as a count above zero at the end.
/// `Counted(n)` alone, for the expected values, is not counted.
#[derive(Debug)]
struct Counted {
    n: u64,
    _tally: Tally,
}

/// Whether the instance is counted.
#[derive(Debug)]
struct Tally(bool);

#[allow(non_snake_case)]
fn Counted(n: u64) -> Counted {
    Counted {
        n,
        _tally: Tally(false),
    }
}

impl Counted {
    fn new(n: u64) -> Self {
        LIVE.with(|live| live.set(live.get() + 1));
        Counted {
            n,
            _tally: Tally(true),
        }
    }
}

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        if self.0 {
            LIVE.with(|live| live.set(live.get() - 1));
        }
    }
}

#[track_caller]
fn none_leaked() {
    assert_eq!(
        LIVE.with(Cell::get),
        0,
        "a value put in the exchange leaked"
    );
}

/// A stream of `Counted`, `n` items.
fn counted_stream(n: u64) -> impl futures_core::Stream<Item = Counted> {
    let mut i = 0;
    futures_util::stream::poll_fn(move |_| {
        i += 1;
        Poll::Ready((i <= n).then(|| Counted::new(i)))
    })
}

#[test]
fn plain_and_catching_yield_points() {
    {
        let gen = async_gen!(yield = Counted, send = Counted => {
            let sent = yield Counted::new(1);
            assert_eq!(sent, Some(Counted(10)));
            if let Resume::Send(back) = yield_catch!(Counted::new(2)) {
                yield back;
            }
        });
        let mut gen = pin!(gen);
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        let sent = Counted::new(10);
        completes(
            poll_once(pin!(gen.asend(sent))),
            Ok(Step::Yielded(Counted(2))),
        );
        let sent = Counted::new(20);
        completes(
            poll_once(pin!(gen.asend(sent))),
            Ok(Step::Yielded(Counted(20))),
        );
        completes(poll_once(pin!(gen.anext())), Step::Returned(()));
    }
    none_leaked();
}

/// `closed!()` after a close: `Co::exit` writes `Transit::Exited`. Deleted in the affected
/// builds: the close stays pending for ever.
#[test]
fn closed_after_a_close_ends_the_close() {
    {
        let gen = async_gen!(yield = Counted => {
            let _local = Counted::new(0);
            if let Resume::Close = yield_catch!(Counted::new(1)) {
                closed!()
            }
        });
        let mut gen = pin!(gen);
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        completes(poll_once(pin!(gen.aclose())), Ok(None));
        completes(poll_once(pin!(gen.anext())), Step::Exhausted);
    }
    none_leaked();
}

/// `closed!()` outside a close: the step reports the generator exhausted.
#[test]
fn closed_outside_a_close_exhausts_the_generator() {
    let gen = async_gen!(yield = u64 => {
        yield 1;
        closed!()
    });
    let mut gen = pin!(gen);
    completes(poll_once(pin!(gen.anext())), Step::Yielded(1));
    completes(poll_once(pin!(gen.anext())), Step::Exhausted);
}

/// A throw into a generator delegating to a stream: the stream cannot catch it, `Co::raise`
/// writes `Transit::Raised(error)`. Deleted in the affected builds: the `athrow` stays pending
/// and the error leaks.
#[test]
fn a_throw_into_stream_delegation_is_raised_at_once() {
    {
        let gen = async_gen!(yield = Counted, throw = Counted => {
            yield_from!(counted_stream(3));
        });
        let mut gen = pin!(gen);
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        let error = Counted::new(9);
        completes(
            poll_once(pin!(gen.athrow(error))),
            Err(ThrowError::Uncaught(Counted(9))),
        );
    }
    none_leaked();
}

/// The same throw, one generator further out: the inner generator raises through `Co::raise`,
/// the outer forwards it.
#[test]
fn a_throw_through_generator_and_stream_delegation_is_raised_at_once() {
    {
        let gen = async_gen!(yield = Counted, throw = Counted => {
            yield_from!(async_gen!(yield = Counted, throw = Counted => {
                yield_from!(counted_stream(3));
            }));
        });
        let mut gen = pin!(gen);
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        let error = Counted::new(9);
        completes(
            poll_once(pin!(gen.athrow(error))),
            Err(ThrowError::Uncaught(Counted(9))),
        );
    }
    none_leaked();
}

/// Delegation to a generator, every resumption forwarded: the delegation writes the outer's
/// transit itself.
#[test]
fn generator_delegation_forwards_every_resumption() {
    {
        let gen = async_gen!(yield = Counted, send = u64, throw = u64 => {
            let inner = async_gen!(yield = Counted, send = u64, throw = u64 => {
                loop {
                    match yield_catch!(Counted::new(1)) {
                        Resume::Next => {}
                        Resume::Send(n) => { yield Counted::new(n); }
                        Resume::Throw(n) => { yield Counted::new(100 + n); }
                        Resume::Close => {
                            yield Counted::new(7);
                            return;
                        }
                    }
                }
            });
            yield_from!(inner);
        });
        let mut gen = pin!(gen);
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        completes(poll_once(pin!(gen.asend(5))), Ok(Step::Yielded(Counted(5))));
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        completes(
            poll_once(pin!(gen.athrow(2))),
            Ok(Step::Yielded(Counted(102))),
        );
        completes(poll_once(pin!(gen.anext())), Step::Yielded(Counted(1)));
        completes(poll_once(pin!(gen.aclose())), Err(CloseIgnored(Counted(7))));
    }
    none_leaked();
}

/// A body that parks at an inner `.await` between yield points, so that the write into the
/// exchange happens in a later poll than the one that resumed the yield point.
#[test]
fn a_yield_after_an_inner_await() {
    let gen = async_gen!(yield = u64 => {
        let mut first = true;
        poll_fn(|cx| {
            if std::mem::take(&mut first) {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        if let Resume::Close = yield_catch!(3) {
            closed!()
        }
    });
    let mut gen = pin!(gen);
    let mut step = pin!(gen.anext());
    assert_eq!(poll_once(step.as_mut()), Poll::Pending);
    completes(poll_once(step), Step::Yielded(3));
    completes(poll_once(pin!(gen.aclose())), Ok(None));
}
