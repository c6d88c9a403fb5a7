//! Stress on tokio's multi-thread runtime: scripted generators (the model suite's harness, with
//! `Send` items, values and bodies) driven by random call sequences whose every call runs in a
//! different task than the one before, checked call by call against the reference model; every
//! body local counted, none alive at the end.
//!
//! `tests/threads.rs` covers a spawned generator, one moved between tasks with `anext`/`asend`,
//! and 10,000 generators iterated each in its own task. This adds random interleavings of
//! `anext`/`asend`/`athrow`/`aclose`, interrupted steps and drops, across tasks and threads.

#[path = "common/handle.rs"]
mod handle;

#[allow(dead_code)]
#[path = "model/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "model/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "model/model.rs"]
mod model;
#[allow(dead_code)]
#[path = "model/script.rs"]
mod script;
#[allow(dead_code)]
#[path = "model/strategies.rs"]
mod strategies;

use std::sync::Arc;
use std::time::Duration;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokio::sync::mpsc;

use check::Case;
use harness::{perform, quiet_body_panics, scripted, World};
use script::{Call, Obs, Op};

/// `n` random (script, calls) pairs, the same on every run; half from each of the model suite's
/// two strategies.
fn cases(n: usize) -> Vec<(Vec<Op>, Vec<Call>)> {
    let mut runner = TestRunner::deterministic();
    let plain = (strategies::script(), strategies::calls());
    let lasting = (
        strategies::lasting_script(),
        strategies::interrupting_calls(),
    );
    (0..n)
        .map(|i| {
            let case = if i % 2 == 0 {
                plain.new_tree(&mut runner).map(|tree| tree.current())
            } else {
                lasting.new_tree(&mut runner).map(|tree| tree.current())
            };
            case.expect("generating a case")
        })
        .collect()
}

/// 10,000 generators, each driven by its own task; each of its calls runs in a new task, so
/// the boxed generator moves between tasks (and worker threads) between steps, and a step that
/// awaits may resume on another thread. Every call is checked against the model; at the end no
/// body local of any generator is alive and every value was dropped exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_generators_random_calls_each_step_in_a_new_task() {
    quiet_body_panics();
    let drivers: Vec<_> = cases(10_000)
        .into_iter()
        .map(|(script, calls)| {
            tokio::spawn(async move {
                let world = World::new();
                let mut case = Case::new(&script, &world);
                let mut gen = Box::pin(scripted(&script, &world));
                for call in calls {
                    let Call::Step { method, polls } = call else {
                        break;
                    };
                    let value = case.fresh_value();
                    let task_world = world.clone();
                    let (back, obs) = tokio::spawn(async move {
                        let obs =
                            perform(&mut gen.as_mut(), method, polls, value, &task_world).await;
                        (gen, obs)
                    })
                    .await
                    .expect("the step task");
                    gen = back;
                    case.check(call, value, obs, Some((gen.state(), gen.is_exhausted())));
                }
                drop(gen);
                case.check(Call::DropGen, 0, Obs::Dropped, None);
                case.check_end();
                world
            })
        })
        .collect();
    let mut worlds = Vec::with_capacity(drivers.len());
    for driver in drivers {
        worlds.push(driver.await.expect("a driver task failed its checks"));
    }
    let live: usize = worlds.iter().map(|world| world.live_tokens()).sum();
    assert_eq!(live, 0, "body locals still alive");
}

/// One generator in transit: its checks, itself, and the calls left.
struct Traveller<G> {
    case: Case,
    world: Arc<World>,
    gen: G,
    calls: std::vec::IntoIter<Call>,
    hops: usize,
}

/// 400 generators bounce between 4 long-lived tasks: each task makes one call on whichever
/// generator it receives, checks it, and passes the generator on to another task, so the calls of
/// different generators interleave in an order no test wrote, on both worker threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generators_bounce_between_long_lived_tasks() {
    quiet_body_panics();
    const WORKERS: usize = 4;
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for _ in 0..WORKERS {
        let (tx, rx) = mpsc::unbounded_channel();
        senders.push(tx);
        receivers.push(rx);
    }
    let cases = cases(400);
    let total = cases.len();
    for (i, (script, calls)) in cases.into_iter().enumerate() {
        let world = World::new();
        let traveller = Traveller {
            case: Case::new(&script, &world),
            gen: Box::pin(scripted(&script, &world)),
            world,
            calls: calls.into_iter(),
            hops: i,
        };
        senders[i % WORKERS]
            .send(traveller)
            .unwrap_or_else(|_| panic!("worker gone"));
    }
    let workers: Vec<_> = receivers
        .into_iter()
        .enumerate()
        .map(|(me, mut rx)| {
            let senders = senders.clone();
            let done = done_tx.clone();
            tokio::spawn(async move {
                while let Some(mut t) = rx.recv().await {
                    match t.calls.next() {
                        Some(call @ Call::Step { method, polls }) => {
                            let value = t.case.fresh_value();
                            let obs =
                                perform(&mut t.gen.as_mut(), method, polls, value, &t.world).await;
                            let state = Some((t.gen.state(), t.gen.is_exhausted()));
                            t.case.check(call, value, obs, state);
                            t.hops += 1;
                            // On to another task.
                            let next = (me + 1 + t.hops % (WORKERS - 1)) % WORKERS;
                            if senders[next].send(t).is_err() {
                                panic!("worker gone");
                            }
                        }
                        Some(Call::DropGen) | None => {
                            let Traveller {
                                mut case,
                                world,
                                gen,
                                ..
                            } = t;
                            drop(gen);
                            case.check(Call::DropGen, 0, Obs::Dropped, None);
                            case.check_end();
                            if done.send(world).is_err() {
                                panic!("collector gone");
                            }
                        }
                    }
                }
            })
        })
        .collect();
    drop(senders);
    drop(done_tx);
    let mut finished = 0;
    let mut live = 0;
    while finished < total {
        let world = tokio::time::timeout(Duration::from_secs(120), done_rx.recv())
            .await
            .ok()
            .flatten()
            .expect("a worker failed its checks (its panic is printed above), or hung");
        live += world.live_tokens();
        finished += 1;
    }
    assert_eq!(live, 0, "body locals still alive");
    for worker in workers {
        worker.abort();
        let _ = worker.await;
    }
}
