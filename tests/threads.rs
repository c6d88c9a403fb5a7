//! Generators on tokio's multi-thread runtime: spawned, and moved between tasks between steps.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use agen_runtime::__private::Co;

#[path = "common/handle.rs"]
mod handle;
use agen_runtime::{AsyncGen, GenState, Step};
use handle::Handle;

/// A generator counting to `n`, with a real suspension (`yield_now`) before each item, so the
/// task may be moved to another worker thread mid-body.
fn counter(
    n: u64,
    live: Arc<AtomicUsize>,
) -> AsyncGen<impl agen_runtime::Body<Yield = u64, Send = u64, Throw = (), Return = u64>> {
    // SAFETY: the body awaits each yield point on the spot and never moves `co`.
    unsafe {
        AsyncGen::new(move |mut co: Co<u64, u64, ()>| async move {
            let _alive = LiveBody::new(live);
            let mut total = 0;
            for i in 0..n {
                tokio::task::yield_now().await;
                if let Some(sent) = co.yield_(i).await {
                    total += sent;
                }
            }
            total
        })
    }
}

/// Counts live bodies, so a test can check that every body was dropped.
struct LiveBody(Arc<AtomicUsize>);

impl LiveBody {
    fn new(live: Arc<AtomicUsize>) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        LiveBody(live)
    }
}

impl Drop for LiveBody {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generator_runs_inside_tokio_spawn() {
    let live = Arc::new(AtomicUsize::new(0));
    let task_live = live.clone();
    let total = tokio::spawn(async move {
        let mut gen = std::pin::pin!(counter(5, task_live));
        let mut seen = Vec::new();
        loop {
            match gen.anext().await {
                Step::Yielded(i) => seen.push(i),
                Step::Returned(total) => break (seen, total),
                Step::Exhausted => unreachable!("the body returns before exhaustion"),
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(total, (vec![0, 1, 2, 3, 4], 0));
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boxed_generator_moves_between_tasks_between_steps() {
    let live = Arc::new(AtomicUsize::new(0));
    let mut gen: Pin<Box<_>> = Box::pin(counter(4, live.clone()));
    let mut items = Vec::new();
    for sent in [10, 20, 30] {
        // Each step runs in a new task, possibly on another thread; the generator travels with it.
        let (back, step) = tokio::spawn(async move {
            let step = if gen.state() == GenState::Created {
                Ok(gen.as_mut().anext().await)
            } else {
                gen.as_mut().asend(sent).await
            };
            (gen, step)
        })
        .await
        .unwrap();
        gen = back;
        items.push(step.unwrap().yielded().unwrap());
    }
    assert_eq!(items, [0, 1, 2]);
    assert_eq!(gen.as_mut().asend(5).await.unwrap(), Step::Yielded(3));
    assert_eq!(gen.as_mut().anext().await, Step::Returned(20 + 30 + 5));
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_generators_each_in_its_own_task() {
    let live = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..10_000u64)
        .map(|id| {
            let live = live.clone();
            tokio::spawn(async move {
                let mut gen = std::pin::pin!(counter(id % 7, live));
                let mut sum = 0;
                while let Step::Yielded(i) = gen.anext().await {
                    sum += i;
                }
                sum
            })
        })
        .collect();
    for (id, task) in (0..10_000u64).zip(tasks) {
        let n = id % 7;
        assert_eq!(
            task.await.unwrap(),
            n * n.saturating_sub(1) / 2,
            "generator {id}"
        );
    }
    assert_eq!(live.load(Ordering::SeqCst), 0, "every body was dropped");
}
