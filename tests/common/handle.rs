//! Method syntax for the runtime's body handle, for the suites that build generators with the
//! raw constructor (`AsyncGen::new`). The macros' expansion never calls the handle by method
//! (a user trait could take the call); these hand-written bodies are this crate's own code.
// Each suite that includes this file uses some of the methods.
#![allow(dead_code)]

use agen_runtime::__private::{sent, Co, Exit, Raise};
use agen_runtime::Resume;

/// `co.yield_(item)`, `co.yield_catching(item)`, `co.exit()`, `co.raise(error)`: what the
/// yield-point macros expand to, as methods.
#[allow(async_fn_in_trait)]
pub trait Handle<Y, S, E> {
    async fn yield_(&mut self, item: Y) -> Option<S>;
    async fn yield_catching(&mut self, item: Y) -> Resume<S, E>;
    fn exit(&mut self) -> Exit<'_, Y, S, E>;
    fn raise(&mut self, error: E) -> Raise<'_, Y, S, E>;
}

impl<Y, S, E> Handle<Y, S, E> for Co<Y, S, E> {
    async fn yield_(&mut self, item: Y) -> Option<S> {
        Co::protocol(self).yield_(item, Co::here(self).await);
        sent(Co::resumed(self).await)
    }

    async fn yield_catching(&mut self, item: Y) -> Resume<S, E> {
        Co::protocol(self).yield_catching(item, Co::here(self).await);
        Co::resumed(self).await
    }

    fn exit(&mut self) -> Exit<'_, Y, S, E> {
        Co::exit(self)
    }

    fn raise(&mut self, error: E) -> Raise<'_, Y, S, E> {
        Co::raise(error, self)
    }
}
