//! Method syntax for the runtime's body handle, for the suites that build generators with the
//! raw constructor (`AsyncGen::new`). The macros' expansion never calls the handle by method
//! (a user trait could take the call); these hand-written bodies are this crate's own code.
// Each suite that includes this file uses some of the methods.
#![allow(dead_code)]

use agen_runtime::__private::{CatchingYieldPoint, Co, Exit, Raise, YieldPoint};

/// `co.yield_(item)`, `co.yield_catching(item)`, `co.exit()`, `co.raise(error)`.
pub trait Handle<Y, S, E> {
    fn yield_(&mut self, item: Y) -> YieldPoint<'_, Y, S, E>;
    fn yield_catching(&mut self, item: Y) -> CatchingYieldPoint<'_, Y, S, E>;
    fn exit(&mut self) -> Exit<'_, Y, S, E>;
    fn raise(&mut self, error: E) -> Raise<'_, Y, S, E>;
}

impl<Y, S, E> Handle<Y, S, E> for Co<Y, S, E> {
    fn yield_(&mut self, item: Y) -> YieldPoint<'_, Y, S, E> {
        Co::yield_(item, self)
    }

    fn yield_catching(&mut self, item: Y) -> CatchingYieldPoint<'_, Y, S, E> {
        Co::yield_catching(item, self)
    }

    fn exit(&mut self) -> Exit<'_, Y, S, E> {
        Co::exit(self)
    }

    fn raise(&mut self, error: E) -> Raise<'_, Y, S, E> {
        Co::raise(error, self)
    }
}
