//! Yield points work wherever the body's own control flow is, whatever macro their tokens pass
//! through; and nothing user code can implement or rename changes where they go (the soundness
//! attacks that must not compile are `tests/ui/soundness-*.rs`).

use std::pin::pin;
use std::time::Duration;

use agen_runtime::{async_gen, async_generator, yield_, yield_catch, yield_from, Resume, Step};
use futures_util::{FutureExt, StreamExt};

/// Drains a generator whose body returns `()` as a stream.
macro_rules! collect {
    ($gen:expr) => {
        pin!($gen).collect::<Vec<_>>().await
    };
}

#[async_generator(yield = u32)]
async fn in_tokio_select(mut rx: tokio::sync::mpsc::Receiver<u32>) {
    loop {
        tokio::select! {
            item = rx.recv() => match item {
                Some(item) => yield_!(item),
                None => break,
            },
            () = tokio::time::sleep(Duration::from_secs(5)) => {
                yield_!(u32::MAX);
                break;
            }
        }
    }
}

#[tokio::test]
async fn yield_in_tokio_select_branch_handlers() {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    for i in 1..=3 {
        tx.send(i).await.unwrap();
    }
    drop(tx);
    assert_eq!(collect!(in_tokio_select(rx)), [1, 2, 3]);
}

#[tokio::test]
async fn bare_yield_in_tokio_select_inside_async_gen() {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(4);
    tx.send(7).await.unwrap();
    drop(tx);
    let gen = async_gen! {
        loop {
            tokio::select! {
                item = rx.recv() => match item {
                    Some(item) => yield item * 2,
                    None => break,
                },
            }
        }
    };
    assert_eq!(collect!(gen), [14]);
}

#[async_generator(yield = &'static str)]
async fn in_futures_select() {
    let mut ready = std::future::ready(()).fuse();
    let mut never = std::future::pending::<()>().fuse();
    futures_util::select_biased! {
        () = ready => yield_!("ready"),
        () = never => yield_!("never"),
    }
}

#[tokio::test]
async fn yield_in_futures_select_branch_handlers() {
    assert_eq!(collect!(in_futures_select()), ["ready"]);
}

#[async_generator(yield = u32, send = u32)]
async fn in_join_and_matches() -> (u32, bool) {
    // `join!` evaluates its operands in the body before it polls them.
    let (a, b) = tokio::join!(std::future::ready(yield_!(1).unwrap_or(0)), async { 10 });
    // `matches!` puts its guard in a `match` in place.
    let big = matches!(a, n if yield_!(n + b).unwrap_or(0) > 100);
    (a + b, big)
}

#[tokio::test]
async fn yield_in_join_operands_and_matches_guards() {
    let mut gen = pin!(in_join_and_matches());
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.asend(5).await, Ok(Step::Yielded(15)));
    assert_eq!(gen.asend(500).await, Ok(Step::Returned((15, true))));
}

macro_rules! keep {
    ($e:expr) => {
        $e
    };
}

/// A tt-muncher that passes every token through, one at a time.
macro_rules! munch {
    (@out [$($out:tt)*]) => { $($out)* };
    (@out [$($out:tt)*] $head:tt $($rest:tt)*) => { munch!(@out [$($out)* $head] $($rest)*) };
    ($($all:tt)*) => { munch!(@out [] $($all)*) };
}

/// A macro whose own definition contains the yield point.
macro_rules! emit_twice {
    ($e:expr) => {{
        yield_!($e);
        yield_!($e);
    }};
}

// `vec!` is the point of this test, not an oversight.
#[allow(clippy::useless_vec)]
#[async_generator(yield = u32)]
async fn in_user_and_std_macros() {
    keep!(yield_!(1));
    munch!(yield_!(2); yield_!(3););
    emit_twice!(4);
    println!("{:?}", yield_!(5));
    let _ = format!("{:?}{:?}", yield_!(6), vec![yield_!(7)]);
    assert_eq!(yield_!(8), ());
}

#[tokio::test]
async fn yield_in_user_macros_and_std_macros() {
    assert_eq!(
        collect!(in_user_and_std_macros()),
        [1, 2, 3, 4, 4, 5, 6, 7, 8]
    );
}

#[tokio::test]
async fn a_renamed_inner_generator_has_its_own_yield_points() {
    use agen_runtime::async_gen as strings;
    let gen = async_gen! {
        let inner = strings!(yield = String => {
            yield_!(String::from("inner"));
            yield String::from("bare");
        });
        yield_!(1_u32);
        let words = pin!(inner).collect::<Vec<_>>().await;
        yield words.len() as u32;
    };
    assert_eq!(collect!(gen), [1, 2]);
}

macro_rules! inside_inner_generator {
    ($e:expr) => {
        async_gen!(yield = u32 => { $e; })
    };
}

/// A yield point belongs to the innermost generator body around it, wherever its tokens came
/// from: here the outer body's tokens, placed by a macro inside an inner generator.
#[tokio::test]
async fn a_yield_point_belongs_to_the_innermost_body() {
    let gen = async_gen! {
        let inner = inside_inner_generator!(yield_!(10_u32));
        yield_!(1_u32);
        yield_from!(inner);
    };
    assert_eq!(collect!(gen), [1, 10]);
}

/// Methods named like the expansion's internals, for every type, in scope in the bodies below:
/// none is ever called (each panics), and none receives the body's handle.
#[allow(dead_code)]
trait Everything {
    fn yield_(self, _: u32) -> u32
    where
        Self: Sized,
    {
        panic!("user trait called")
    }
    fn yield_catching(&self) {
        panic!("user trait called")
    }
    fn exit(&mut self) {
        panic!("user trait called")
    }
    fn raise(self)
    where
        Self: Sized,
    {
        panic!("user trait called")
    }
    fn protocol(&self) {
        panic!("user trait called")
    }
    fn delegate(self)
    where
        Self: Sized,
    {
        panic!("user trait called")
    }
    fn of(&self) {
        panic!("user trait called")
    }
    fn delegation(&self) {
        panic!("user trait called")
    }
    fn into_sent(self)
    where
        Self: Sized,
    {
        panic!("user trait called")
    }
}

impl<T: ?Sized> Everything for T {}

#[async_generator(yield = u32, send = u32, throw = ())]
async fn with_blanket_trait_in_scope() -> u32 {
    let sent = yield_!(1).unwrap_or(0);
    let caught = matches!(yield_catch!(sent), Resume::Throw(()));
    yield_from!(futures_util::stream::iter([2, 3]));
    yield_from!(async_gen!(yield = u32, send = u32, throw = () => { yield 4; }));
    u32::from(caught)
}

#[tokio::test]
async fn a_blanket_user_trait_never_receives_the_handle() {
    let mut gen = pin!(with_blanket_trait_in_scope());
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.asend(9).await, Ok(Step::Yielded(9)));
    assert_eq!(gen.athrow(()).await, Ok(Step::Yielded(2)));
    assert_eq!(gen.anext().await, Step::Yielded(3));
    assert_eq!(gen.anext().await, Step::Yielded(4));
    assert_eq!(gen.anext().await, Step::Returned(1));
}
