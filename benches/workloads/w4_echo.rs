//! Workload 4: `asend` round trips into an echo generator, which yields back each value it is
//! sent (ns/round trip). async-stream has no way to send values in. `w4-echo` polls each step
//! future where the optimizer sees it; `w4-echo-dyn` polls it through `Pin<&mut dyn Future>`, one
//! real call per round trip (genawaiter's `resume_with` is not a future, so it has no such row).

use std::future::Future;
use std::hint::black_box;
use std::mem::size_of_val;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use agen_runtime::{async_generator, yield_, SendError, Step};
use genawaiter::GeneratorState;

use super::{agen_sizes, block_on, triangle, Case, Consumer, Dyn, Fused, ROUND_TRIPS};

/// The floor: a hand-written echo state machine with agen's step API (`anext` / `asend`
/// returning futures of the same `Step` and `SendError` types).
pub struct Echo {
    state: EchoState,
}

#[derive(Clone, Copy)]
enum EchoState {
    Created,
    AtYield,
    Done,
}

impl Echo {
    pub fn new() -> Self {
        Echo {
            state: EchoState::Created,
        }
    }

    pub fn anext(&mut self) -> EchoStep<'_> {
        EchoStep {
            echo: self,
            sent: None,
        }
    }

    pub fn asend(&mut self, value: u64) -> EchoStep<'_> {
        EchoStep {
            echo: self,
            sent: Some(value),
        }
    }
}

/// The future of a hand-written step.
pub struct EchoStep<'a> {
    echo: &'a mut Echo,
    sent: Option<u64>,
}

impl Future for EchoStep<'_> {
    type Output = Result<Step<u64, ()>, SendError<u64>>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        let sent = self.sent.take();
        let echo = &mut *self.echo;
        Poll::Ready(match (echo.state, sent) {
            (EchoState::Created, None) => {
                echo.state = EchoState::AtYield;
                Ok(Step::Yielded(0))
            }
            (EchoState::Created, Some(value)) => Err(SendError::NotStarted(value)),
            (EchoState::AtYield, Some(value)) => Ok(Step::Yielded(value)),
            (EchoState::AtYield, None) => {
                echo.state = EchoState::Done;
                Ok(Step::Returned(()))
            }
            (EchoState::Done, None) => Ok(Step::Exhausted),
            (EchoState::Done, Some(value)) => Err(SendError::Exhausted(value)),
        })
    }
}

#[async_generator(yield = u64, send = u64)]
pub async fn echo<C>() {
    let mut value = 0;
    while let Some(sent) = yield_!(value) {
        value = sent;
    }
}

pub async fn echo_genawaiter(co: genawaiter::stack::Co<'_, u64, u64>) {
    let mut value = 0;
    loop {
        value = co.yield_(value).await;
    }
}

fn hand<C: Consumer>() -> u64 {
    let mut echo = Echo::new();
    assert_eq!(block_on(echo.anext()), Ok(Step::Yielded(0)));
    let mut sum = 0u64;
    for i in 0..black_box(ROUND_TRIPS) {
        let step = echo.asend(black_box(i));
        match C::block_on(step) {
            Ok(Step::Yielded(item)) => sum = sum.wrapping_add(black_box(item)),
            _ => unreachable!(),
        }
    }
    sum
}

fn agen<C: Consumer>() -> u64 {
    let mut generator = pin!(echo::<C>());
    assert_eq!(block_on(generator.anext()), Step::Yielded(0));
    let mut sum = 0u64;
    for i in 0..black_box(ROUND_TRIPS) {
        let step = generator.asend(black_box(i));
        match C::block_on(step) {
            Ok(Step::Yielded(item)) => sum = sum.wrapping_add(black_box(item)),
            _ => unreachable!(),
        }
    }
    sum
}

/// genawaiter's stack generator takes sent values only through `resume_with`, which polls the
/// body with its own no-op waker (there is no `async_resume_with` for a send type other than `()`).
/// Its first resumption starts the body; the value it carries is dropped.
fn genawaiter_stack() -> u64 {
    genawaiter::stack::let_gen_using!(generator, echo_genawaiter);
    assert_eq!(generator.resume_with(0), GeneratorState::Yielded(0));
    let mut sum = 0u64;
    for i in 0..black_box(ROUND_TRIPS) {
        match generator.resume_with(black_box(i)) {
            GeneratorState::Yielded(item) => sum = sum.wrapping_add(black_box(item)),
            GeneratorState::Complete(()) => unreachable!(),
        }
    }
    sum
}

fn genawaiter_stack_size() -> usize {
    super::genawaiter_stack_size!(echo_genawaiter)
}

/// The sizes of the agen generator and of its body future, for the size report.
fn echo_sizes() -> (usize, usize) {
    agen_sizes(&echo::<Fused>())
}

pub fn cases() -> Vec<Case> {
    let case = |workload, implementation, run, size| Case {
        workload,
        implementation,
        unit: "round trip",
        units: ROUND_TRIPS,
        generators: 1,
        run,
        expected: triangle(ROUND_TRIPS),
        size,
        body: None,
        detail: None,
    };
    let hand_size = || size_of_val(&Echo::new());
    let agen_size = || size_of_val(&*pin!(echo::<Fused>()));
    vec![
        case("w4-echo", "hand-written", hand::<Fused>, hand_size),
        Case {
            body: Some(echo_sizes),
            ..case("w4-echo", "agen", agen::<Fused>, agen_size)
        },
        case(
            "w4-echo",
            "genawaiter-stack",
            genawaiter_stack,
            genawaiter_stack_size,
        ),
        case("w4-echo-dyn", "hand-written", hand::<Dyn>, hand_size),
        case("w4-echo-dyn", "agen", agen::<Dyn>, agen_size),
    ]
}
