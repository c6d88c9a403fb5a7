//! `run CASE REPS` runs one case REPS times (for callgrind); `list` prints the case ids, `units
//! CASE` and `unit CASE` how many units one run is and what a unit is. The
//! cases are the bench workloads' own (`benches/workloads`, compiled here by nightly), plus the
//! same bodies as `async gen` blocks, consumed by the same `dyn` consumer through a `Stream`
//! adapter.
#![feature(async_iterator, gen_blocks)]
// The workloads module is shared with the stable benches, which use all of it.
#![allow(dead_code, unused_imports)]

#[path = "../../workloads/mod.rs"]
mod workloads;

use std::async_iter::AsyncIterator;
use std::future::ready;
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use futures_core::Stream;
use workloads::{drain_dyn, triangle, Case, PendOnce, GENERATORS, N, PENDING_SHIFT};

/// An `async gen` block seen as a `Stream`: `poll_next` is the block's own.
struct AsStream<I>(I);

impl<I: AsyncIterator> Stream for AsStream<I> {
    type Item = I::Item;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        // SAFETY: structural pinning of the only field; `AsStream` has no `Drop` and is never
        // moved out of its pin.
        unsafe { self.map_unchecked_mut(|s| &mut s.0) }.poll_next(cx)
    }
}

fn count(n: u64) -> impl AsyncIterator<Item = u64> {
    async gen move {
        for i in 0..n {
            yield i;
        }
    }
}

fn three(base: u64) -> impl AsyncIterator<Item = u64> {
    async gen move {
        yield base;
        yield base + 1;
        yield base + 2;
    }
}

fn awaiting(n: u64) -> impl AsyncIterator<Item = u64> {
    async gen move {
        for i in 0..n {
            if i % 16 == 0 {
                PendOnce::new().await;
            }
            let item = ready(i).await;
            yield item;
        }
    }
}

fn w1() -> u64 {
    drain_dyn(pin!(AsStream(count(black_box(N)))))
}

fn w2() -> u64 {
    let mut sum = 0u64;
    for g in 0..black_box(GENERATORS) {
        sum = sum.wrapping_add(drain_dyn(pin!(AsStream(three(black_box(g))))));
    }
    sum
}

fn w3() -> u64 {
    drain_dyn(pin!(AsStream(awaiting(black_box(N)))))
}

fn nightly_cases() -> Vec<Case> {
    let case = |workload, unit, units, generators, run, expected| Case {
        workload,
        implementation: "nightly-async-gen",
        unit,
        units,
        generators,
        run,
        expected,
        size: || 0,
        body: None,
        detail: None,
    };
    // Each w2 generator yields 3g + 3 for its base g.
    let w2_expected = (0..GENERATORS).map(|g| 3 * g + 3).sum();
    vec![
        case("w1-sum-dyn", "item", N, 1, w1, triangle(N)),
        case(
            "w2-create-dyn",
            "generator",
            GENERATORS,
            GENERATORS,
            w2,
            w2_expected,
        ),
        case(
            "w3-pending-dyn",
            "item",
            N,
            1,
            w3,
            triangle(N) + (N.div_ceil(16) << PENDING_SHIFT),
        ),
    ]
}

/// The `dyn` cases of the three workloads, for the three implementations compared here.
fn cases() -> Vec<Case> {
    let wanted = ["w1-sum-dyn", "w2-create-dyn", "w3-pending-dyn"];
    let mut all: Vec<Case> = workloads::cases()
        .into_iter()
        .filter(|c| wanted.contains(&c.workload))
        .filter(|c| matches!(c.implementation, "hand-written" | "agen" | "async-stream"))
        .collect();
    all.extend(nightly_cases());
    // Grouped by workload, in the benches' order (the sort is stable).
    all.sort_by_key(|c| wanted.iter().position(|w| *w == c.workload));
    all
}

#[inline(never)]
fn run(case: &Case, reps: u64) {
    for _ in 0..reps {
        black_box(case.run_checked());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("list") => cases().iter().for_each(|c| println!("{}", c.id())),
        Some(what @ ("units" | "unit")) => {
            let case = cases()
                .into_iter()
                .find(|c| c.id() == args[2])
                .expect("no such case");
            if what == "units" {
                println!("{}", case.units);
            } else {
                println!("{}", case.unit);
            }
        }
        Some("run") => {
            let case = cases()
                .into_iter()
                .find(|c| c.id() == args[2])
                .expect("no such case");
            run(&case, args[3].parse().expect("REPS"));
        }
        _ => {
            eprintln!("usage: list | units CASE | unit CASE | run CASE REPS");
            std::process::exit(2);
        }
    }
}
