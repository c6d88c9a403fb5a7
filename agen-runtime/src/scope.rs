//! `aclosing`: a scope that closes its generator, with async cleanup, however the scope ends
//! (Python's `contextlib.aclosing`, rule I10).

use core::pin::{pin, Pin};

use crate::error::CloseIgnored;
use crate::gen::{AsyncGen, ReturnOf, YieldOf};
use crate::pointer::AsGenerator;

/// What [`aclosing`] returns (see there for an example): the scope's value, and how the close
/// went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "the close may have handed back an item or a return value"]
pub struct Closed<T, R, Y> {
    /// What the scope evaluated to.
    pub value: T,
    /// What `aclose` returned when the scope ended: `Ok(Some(r))` if the body returned `r` while
    /// closing, `Ok(None)` if it had already finished or was dropped at a plain yield point,
    /// `Err(CloseIgnored(item))` if it yielded while being closed.
    pub close: Result<Option<R>, CloseIgnored<Y>>,
}

/// Runs `scope` with the pinned generator (given by value, or behind a pinned pointer such as
/// `Pin<Box<_>>` or `Pin<&mut _>`: see [`AsGenerator`]), then awaits [`aclose`](AsyncGen::aclose) on it,
/// whether the scope ran the generator to the end or left it early (`return`, `?`, `break`
/// inside the scope all end the scope), so the generator's async cleanup runs here, in the
/// caller's context, before `aclosing` returns.
///
/// The scope receives its own `Pin<&mut AsyncGen<_>>`, a reborrow: whatever it does with it
/// (store it, swap it with another generator's), the generator `aclosing` closes is the one it
/// was given.
///
/// Two ways out skip the async cleanup, because Rust cannot await in them:
/// - a panic in the scope: the generator is dropped while unwinding, so only its body's
///   destructors run;
/// - the `aclosing` future itself dropped before completing (its task cancelled): the same.
///
/// ```
/// # use agen_runtime::{async_generator, yield_catch, aclosing, Resume, Step};
/// #[async_generator(yield = u32)]
/// async fn numbers(log: &mut Vec<&'static str>) {
///     let mut n = 0;
///     loop {
///         if let Resume::Close = yield_catch!(n) {
///             log.push("cleanup"); // could `.await` here
///             return;
///         }
///         n += 1;
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// let closed = aclosing(numbers(&mut log), async |mut numbers| {
///     let mut first = Vec::new();
///     while let Step::Yielded(n) = numbers.anext().await {
///         if n == 2 {
///             break; // leaving early still closes the generator
///         }
///         first.push(n);
///     }
///     first
/// })
/// .await;
/// assert_eq!(closed.value, [0, 1]);
/// assert_eq!(closed.close, Ok(Some(())));
/// assert_eq!(log, ["cleanup"]);
/// # });
/// ```
pub async fn aclosing<G, T>(
    generator: G,
    scope: impl AsyncFnOnce(Pin<&mut AsyncGen<G::Body>>) -> T,
) -> Closed<T, ReturnOf<G::Body>, YieldOf<G::Body>>
where
    G: AsGenerator,
{
    let mut held = pin!(generator);
    let mut generator = held.as_mut().generator();
    let value = scope(generator.as_mut()).await;
    let close = generator.aclose().await;
    Closed { value, close }
}
