//! Auto traits, asserted at compile time: a generator is `Send` exactly when its body and its
//! `Y` / `S` / `E` are, and its step futures follow. (E12: the `aclose` future is `Send` when the
//! generator is, so it can be moved into a spawned task together with the generator; it borrows
//! the generator, so it is not `'static` on its own.)
//!
//! The negative assertions use the ambiguity trick: with two blanket impls, one bounded by the
//! trait, the call below is ambiguous (a compile error) exactly when the value implements it.
//! The `#[test]` functions exist to name the cases; their bodies are checked by the compiler.
//!
//! Each generator is built in its own function returning `AsyncGen<impl Body<…>>`, as the
//! `#[async_generator]` expansion does: inside the function that defines an `async` block the
//! compiler cannot yet decide the block's auto traits, so the ambiguity trick must run elsewhere.

use std::cell::Cell;
use std::error::Error;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;

use agen_runtime::{AsyncGen, Body};

fn assert_send<T: Send>(_: &T) {}
fn assert_sync<T: Sync>(_: &T) {}
fn assert_unpin<T: Unpin>(_: &T) {}

/// Fails to compile when the value's type implements `$trait`.
macro_rules! assert_not_impl {
    ($value:expr, $trait:path) => {{
        trait AmbiguousIfImpl<A> {
            fn some_item(&self) {}
        }
        impl<T: ?Sized> AmbiguousIfImpl<()> for T {}
        impl<T: ?Sized + $trait> AmbiguousIfImpl<u8> for T {}
        AmbiguousIfImpl::some_item(&$value);
    }};
}

type BoxError = Box<dyn Error + Send + Sync>;

fn send_everything(
    shared: Arc<u64>,
) -> AsyncGen<impl Body<Yield = String, Send = Vec<u8>, Throw = BoxError, Return = ()>> {
    agen!(<String, Vec<u8>, BoxError, ()> |co| {
        let held = shared.clone();
        let text = String::from("held across yields");
        let sent = co.yield_(text.clone()).await;
        co.yield_catching(format!("{held} {sent:?}")).await;
    })
}

#[test]
fn send_body_and_send_types_make_a_send_and_sync_generator() {
    let gen = send_everything(Arc::new(5));
    assert_send(&gen);
    assert_sync(&gen);
    assert_not_impl!(gen, Unpin);
    let mut g = pin!(gen);
    assert_send(&g);
    let step = g.anext();
    assert_send(&step);
    assert_sync(&step);
    assert_unpin(&step);
    drop(step);
    let step = g.asend(vec![1]);
    assert_send(&step);
    assert_unpin(&step);
    drop(step);
    let step = g.athrow("e".into());
    assert_send(&step);
    assert_unpin(&step);
    drop(step);
    let step = g.aclose();
    assert_send(&step);
    assert_unpin(&step);
    drop(step);
    let items = g.items();
    assert_send(&items);
    assert_unpin(&items);
}

fn rc_across_yield() -> AsyncGen<impl Body<Yield = u32, Send = u32, Throw = (), Return = ()>> {
    agen!(<u32, u32, (), ()> |co| {
        let rc = Rc::new(1);
        co.yield_(*rc).await;
        co.yield_(*rc + 1).await;
    })
}

#[test]
fn an_rc_held_across_a_yield_makes_the_generator_not_send() {
    let gen = rc_across_yield();
    assert_not_impl!(gen, Send);
    assert_not_impl!(gen, Sync);
    let mut g = pin!(gen);
    let step = g.anext();
    assert_not_impl!(step, Send);
    drop(step);
    let step = g.asend(1);
    assert_not_impl!(step, Send);
    drop(step);
    let step = g.athrow(());
    assert_not_impl!(step, Send);
    drop(step);
    let step = g.aclose();
    assert_not_impl!(step, Send);
    drop(step);
    let items = g.items();
    assert_not_impl!(items, Send);
}

fn rc_dropped_before_yield() -> AsyncGen<impl Body<Yield = u32, Send = u32, Throw = ()>> {
    agen!(<u32, u32, (), ()> |co| {
        let item = {
            let rc = Rc::new(1);
            *rc
        };
        co.yield_(item).await;
    })
}

#[test]
fn an_rc_dropped_before_every_yield_leaves_the_generator_send() {
    let gen = rc_dropped_before_yield();
    assert_send(&gen);
    assert_sync(&gen);
}

fn rc_captured(rc: Rc<u32>) -> AsyncGen<impl Body<Yield = u32, Send = u32, Throw = ()>> {
    agen!(<u32, u32, (), ()> |co| {
        co.yield_(*rc).await;
    })
}

#[test]
fn a_body_capturing_an_rc_is_not_send() {
    let gen = rc_captured(Rc::new(1));
    assert_not_impl!(gen, Send);
}

fn rc_yielded() -> AsyncGen<impl Body<Yield = Rc<u32>, Send = u32, Throw = ()>> {
    agen!(<Rc<u32>, u32, (), ()> |co| {
        co.yield_(Rc::new(1)).await;
    })
}

#[test]
fn a_non_send_yield_type_makes_the_generator_not_send() {
    let gen = rc_yielded();
    assert_not_impl!(gen, Send);
    let mut g = pin!(gen);
    let step = g.anext();
    assert_not_impl!(step, Send);
}

fn rc_sent() -> AsyncGen<impl Body<Yield = u32, Send = Rc<u32>, Throw = ()>> {
    agen!(<u32, Rc<u32>, (), ()> |co| {
        co.yield_(1).await;
    })
}

#[test]
fn a_non_send_send_type_makes_the_generator_not_send() {
    let gen = rc_sent();
    assert_not_impl!(gen, Send);
    let mut g = pin!(gen);
    let step = g.asend(Rc::new(1));
    assert_not_impl!(step, Send);
}

fn rc_thrown() -> AsyncGen<impl Body<Yield = u32, Send = u32, Throw = Rc<u32>>> {
    agen!(<u32, u32, Rc<u32>, ()> |co| {
        co.yield_catching(1).await;
    })
}

#[test]
fn a_non_send_throw_type_makes_the_generator_not_send() {
    let gen = rc_thrown();
    assert_not_impl!(gen, Send);
    let mut g = pin!(gen);
    let step = g.athrow(Rc::new(1));
    assert_not_impl!(step, Send);
}

fn cell_across_yield() -> AsyncGen<impl Body<Yield = u32, Send = u32, Throw = ()>> {
    agen!(<u32, u32, (), ()> |co| {
        let cell = Cell::new(1);
        co.yield_(cell.get()).await;
        cell.set(2);
        co.yield_(cell.get()).await;
    })
}

#[test]
fn a_cell_held_across_a_yield_is_send_but_not_sync() {
    let gen = cell_across_yield();
    assert_send(&gen);
    assert_not_impl!(gen, Sync);
}

fn cell_yielded() -> AsyncGen<impl Body<Yield = Cell<u32>, Send = u32, Throw = ()>> {
    agen!(<Cell<u32>, u32, (), ()> |co| {
        co.yield_(Cell::new(1)).await;
    })
}

#[test]
fn a_send_but_not_sync_yield_type_is_send_but_not_sync() {
    let gen = cell_yielded();
    assert_send(&gen);
    assert_not_impl!(gen, Sync);
}
