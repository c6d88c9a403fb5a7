//! The real side: a generator whose body interprets a script, drop-tracked values, and a driver
//! that makes one [`Call`] and reports what it came to as an [`Obs`].
//!
//! Everything is `Send` (shared state behind `Arc<Mutex>`), so the same harness drives
//! generators on tokio's multi-thread runtime (`tests/stress.rs`).

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, MutexGuard, Once};
use std::task::{Context, Poll, Waker};

use agen_runtime::__private::Co;
use agen_runtime::{AsyncGen, Body, Resume, SendError, Step, ThrowError};

use crate::handle::Handle;
use crate::script::{
    BodyPanic, Delivery, Event, Method, Obs, OnClose, OnThrow, Op, SendErrObs, StepObs, ThrowErrObs,
};

/// What a drop-tracked value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Yielded or returned by the body.
    Item,
    /// Handed in by `asend`.
    Sent,
    /// Handed in by `athrow`.
    Thrown,
    /// A local of the body (held across its yield points and awaits) or of its closure.
    Token,
}

#[derive(Default)]
struct Ledger {
    next_item: u64,
    next_token: u64,
    /// How many times each tracked value was dropped; an entry is made when it is created.
    drops: HashMap<(Kind, u64), u32>,
    /// What the body recorded since the last [`World::take_events`].
    events: Vec<Event>,
    /// Every event, for the end-of-case accounting.
    all_events: Vec<Event>,
    /// Item ids in the order the body made them.
    items_made: Vec<u64>,
    /// Item ids in the order the consumer received them.
    items_seen: Vec<u64>,
    /// Sent / thrown ids the runtime handed back in an error.
    handed_back: Vec<u64>,
}

/// The shared record of one generator's life.
#[derive(Default)]
pub struct World(Mutex<Ledger>);

impl World {
    pub fn new() -> Arc<World> {
        Arc::new(World::default())
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic never happens while the ledger is locked, but a poisoned lock must not hide
        // the first failure.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn track(self: &Arc<Self>, kind: Kind, id: u64) -> Tracked {
        let fresh = self.ledger().drops.insert((kind, id), 0).is_none();
        assert!(fresh, "{kind:?} {id} was created twice");
        Tracked {
            kind,
            id,
            world: self.clone(),
        }
    }

    /// A fresh item, made by the body.
    pub fn item(self: &Arc<Self>) -> Item {
        let id = {
            let mut ledger = self.ledger();
            ledger.next_item += 1;
            let id = ledger.next_item - 1;
            ledger.items_made.push(id);
            id
        };
        Item(self.track(Kind::Item, id))
    }

    /// A fresh body local.
    pub fn token(self: &Arc<Self>) -> Token {
        let id = {
            let mut ledger = self.ledger();
            ledger.next_token += 1;
            ledger.next_token - 1
        };
        Token(self.track(Kind::Token, id))
    }

    pub fn sent(self: &Arc<Self>, id: u64) -> Sent {
        Sent(self.track(Kind::Sent, id))
    }

    pub fn thrown(self: &Arc<Self>, id: u64) -> Thrown {
        Thrown(self.track(Kind::Thrown, id))
    }

    pub fn log(&self, event: Event) {
        let mut ledger = self.ledger();
        ledger.events.push(event);
        ledger.all_events.push(event);
    }

    /// The body's events since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut self.ledger().events)
    }

    /// Body locals (and the closure's) not dropped yet.
    pub fn live_tokens(&self) -> usize {
        self.ledger()
            .drops
            .iter()
            .filter(|((kind, _), drops)| *kind == Kind::Token && **drops == 0)
            .count()
    }

    /// Tracked values dropped more than once so far.
    pub fn double_drops(&self) -> Vec<(Kind, u64, u32)> {
        let mut twice: Vec<_> = self
            .ledger()
            .drops
            .iter()
            .filter(|(_, drops)| **drops > 1)
            .map(|(&(kind, id), &drops)| (kind, id, drops))
            .collect();
        twice.sort();
        twice
    }

    /// Tracked values not dropped exactly once.
    pub fn not_dropped_once(&self) -> Vec<(Kind, u64, u32)> {
        let mut wrong: Vec<_> = self
            .ledger()
            .drops
            .iter()
            .filter(|(_, drops)| **drops != 1)
            .map(|(&(kind, id), &drops)| (kind, id, drops))
            .collect();
        wrong.sort();
        wrong
    }

    /// How many tracked values were dropped so far, all kinds together.
    pub fn total_drops(&self) -> u32 {
        self.ledger().drops.values().sum()
    }

    pub fn items_made(&self) -> Vec<u64> {
        self.ledger().items_made.clone()
    }

    pub fn items_seen(&self) -> Vec<u64> {
        self.ledger().items_seen.clone()
    }

    pub fn handed_back(&self) -> Vec<u64> {
        self.ledger().handed_back.clone()
    }

    pub fn all_events(&self) -> Vec<Event> {
        self.ledger().all_events.clone()
    }

    /// Records a step's item as received, and drops it.
    fn step(&self, step: Step<Item, Item>) -> StepObs {
        match step {
            Step::Yielded(item) => StepObs::Yielded(self.seen(item)),
            Step::Returned(item) => StepObs::Returned(self.seen(item)),
            Step::Exhausted => StepObs::Exhausted,
        }
    }

    fn seen(&self, item: Item) -> u64 {
        let id = item.id();
        self.ledger().items_seen.push(id);
        drop(item);
        id
    }

    fn back(&self, id: u64) -> u64 {
        self.ledger().handed_back.push(id);
        id
    }
}

/// A value whose drops are counted in its [`World`].
#[derive(Debug)]
pub struct Tracked {
    kind: Kind,
    id: u64,
    world: Arc<World>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        *self
            .world
            .ledger()
            .drops
            .entry((self.kind, self.id))
            .or_default() += 1;
    }
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("World")
    }
}

/// An item the body yields or returns.
#[derive(Debug)]
pub struct Item(Tracked);
/// A value `asend` hands in.
#[derive(Debug)]
pub struct Sent(Tracked);
/// An error `athrow` hands in.
#[derive(Debug)]
pub struct Thrown(Tracked);
/// A body local.
#[derive(Debug)]
pub struct Token(#[allow(dead_code)] Tracked);

impl Item {
    pub fn id(&self) -> u64 {
        self.0.id
    }
}

impl Sent {
    pub fn id(&self) -> u64 {
        self.0.id
    }
}

impl Thrown {
    pub fn id(&self) -> u64 {
        self.0.id
    }
}

/// A future that is `Pending` `n` times (waking its waker each time), then ready.
pub struct PendingFor(u8);

impl Future for PendingFor {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn body_panic() -> ! {
    std::panic::panic_any(BodyPanic)
}

/// Silences the default panic message for the scripts' own panics (there are thousands); any
/// other panic is reported as usual.
pub fn quiet_body_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<BodyPanic>().is_none() {
                default(info);
            }
        }));
    });
}

/// The generator whose body follows `script`, recording into `world`.
///
/// The closure holds a token from the start, so a generator closed before it started still has
/// a local to drop.
pub fn scripted(
    script: &[Op],
    world: &Arc<World>,
) -> AsyncGen<impl Body<Yield = Item, Send = Sent, Throw = Thrown, Return = Item> + Send + Sync> {
    let script: Arc<[Op]> = script.into();
    let world = world.clone();
    let frame = world.token();
    let start = move |mut co: Co<Item, Sent, Thrown>| async move {
        let _frame = frame;
        let mut pc = 0;
        loop {
            let Some(op) = script.get(pc).copied() else {
                return world.item();
            };
            pc += 1;
            match op {
                Op::Await(n) => {
                    let _held = world.token();
                    PendingFor(n).await;
                }
                Op::Yield => {
                    let _held = world.token();
                    let resumed = co.yield_(world.item()).await;
                    world.log(Event::Delivered(match &resumed {
                        None => Delivery::Next,
                        Some(sent) => Delivery::Send(sent.id()),
                    }));
                }
                Op::Catch(h) => {
                    let _held = world.token();
                    match co.yield_catching(world.item()).await {
                        Resume::Next => world.log(Event::Delivered(Delivery::Next)),
                        Resume::Send(sent) => {
                            world.log(Event::Delivered(Delivery::Send(sent.id())));
                        }
                        Resume::Throw(error) => {
                            world.log(Event::Delivered(Delivery::Throw(error.id())));
                            let _handler = world.token();
                            PendingFor(h.throw_wait).await;
                            match h.on_throw {
                                OnThrow::Resume => drop(error),
                                OnThrow::Return => return world.item(),
                                OnThrow::Raise => {
                                    world.log(Event::Raised(error.id()));
                                    match co.raise(error).await {}
                                }
                                OnThrow::Panic => body_panic(),
                            }
                        }
                        Resume::Close => {
                            world.log(Event::Delivered(Delivery::Close));
                            let _cleanup = world.token();
                            PendingFor(h.close_wait).await;
                            match h.on_close {
                                OnClose::Return => return world.item(),
                                OnClose::Exit => match co.exit().await {},
                                OnClose::Yield => {
                                    let _ = co.yield_(world.item()).await;
                                    world.log(Event::ResumedAfterIgnoredClose);
                                    return world.item();
                                }
                                OnClose::Panic => body_panic(),
                            }
                        }
                    }
                }
                Op::Panic => body_panic(),
                Op::Return => return world.item(),
                Op::Exit => match co.exit().await {},
            }
        }
    };
    // SAFETY: the body uses `co` only as `co.yield_(…).await`, `co.yield_catching(…).await`,
    // `match co.exit().await {}` and `match co.raise(…).await {}` (the last only in a throw
    // handler, i.e. during an `athrow` step), each awaited on the spot inside the body's own
    // `async` block; it never stores a yield point nor moves `co` out.
    unsafe { AsyncGen::new(start) }
}

/// What driving a step future with a poll budget came to.
enum Driven<T> {
    Done(T),
    Panicked(Box<dyn Any + Send>),
    Interrupted,
}

/// Polls `fut` (catching panics) until it is ready or `left` polls were `Pending`.
struct Budgeted<F> {
    fut: F,
    left: Option<u8>,
}

impl<F: Future + Unpin> Future for Budgeted<F> {
    type Output = Driven<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match catch_unwind(AssertUnwindSafe(|| Pin::new(&mut this.fut).poll(cx))) {
            Err(payload) => Poll::Ready(Driven::Panicked(payload)),
            Ok(Poll::Ready(out)) => Poll::Ready(Driven::Done(out)),
            Ok(Poll::Pending) => match &mut this.left {
                Some(left) => {
                    *left -= 1;
                    if *left == 0 {
                        Poll::Ready(Driven::Interrupted)
                    } else {
                        Poll::Pending
                    }
                }
                None => Poll::Pending,
            },
        }
    }
}

/// Drives `fut` for at most `polls` polls (`None`: to completion), then drops it.
async fn drive<F: Future + Unpin>(
    fut: F,
    polls: Option<u8>,
    map: impl FnOnce(F::Output) -> Obs,
) -> Obs {
    if polls == Some(0) {
        drop(fut);
        return Obs::NotPolled;
    }
    let driven = Budgeted { fut, left: polls }.await;
    match driven {
        Driven::Done(out) => map(out),
        Driven::Interrupted => Obs::Interrupted,
        Driven::Panicked(payload) => panic_obs(payload),
    }
}

fn panic_obs(payload: Box<dyn Any + Send>) -> Obs {
    if payload.downcast_ref::<BodyPanic>().is_some() {
        return Obs::BodyPanicked;
    }
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic>".into());
    Obs::OtherPanic(text)
}

/// Makes one call on `gen` (handing in a fresh value with id `value` for `asend` / `athrow`)
/// and reports what it came to. Every value that comes out is recorded in `world` and dropped.
pub async fn perform<B>(
    gen: &mut Pin<&mut AsyncGen<B>>,
    method: Method,
    polls: Option<u8>,
    value: u64,
    world: &Arc<World>,
) -> Obs
where
    B: Body<Yield = Item, Send = Sent, Throw = Thrown, Return = Item>,
{
    match method {
        Method::Anext => drive(gen.anext(), polls, |step| Obs::Next(world.step(step))).await,
        Method::Asend => {
            let sent = world.sent(value);
            drive(gen.asend(sent), polls, |result| {
                Obs::Sent(match result {
                    Ok(step) => Ok(world.step(step)),
                    Err(SendError::NotStarted(v)) => {
                        Err(SendErrObs::NotStarted(world.back(v.id())))
                    }
                    Err(SendError::Running(v)) => Err(SendErrObs::Running(world.back(v.id()))),
                    Err(SendError::Exhausted(v)) => Err(SendErrObs::Exhausted(world.back(v.id()))),
                })
            })
            .await
        }
        Method::Athrow => {
            let thrown = world.thrown(value);
            drive(gen.athrow(thrown), polls, |result| {
                Obs::Thrown(match result {
                    Ok(step) => Ok(world.step(step)),
                    Err(ThrowError::Uncaught(e)) => Err(ThrowErrObs::Uncaught(world.back(e.id()))),
                    Err(ThrowError::Running(e)) => Err(ThrowErrObs::Running(world.back(e.id()))),
                    Err(ThrowError::Exhausted(e)) => {
                        Err(ThrowErrObs::Exhausted(world.back(e.id())))
                    }
                })
            })
            .await
        }
        Method::Aclose => {
            drive(gen.aclose(), polls, |result| {
                Obs::Closed(match result {
                    Ok(None) => Ok(None),
                    Ok(Some(item)) => Ok(Some(world.seen(item))),
                    Err(ignored) => Err(world.seen(ignored.into_item())),
                })
            })
            .await
        }
    }
}

/// Runs `fut` on this thread with a no-op waker (every future here wakes itself or is ready).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..100_000 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("block_on: the future never completed");
}
