//! Wall-clock benchmarks: every workload × implementation of `workloads`, under criterion.
//!
//! `cargo bench --bench generators` runs them all (a filter after `--` selects, as usual);
//! `scripts/bench-table` runs them and prints the table. Criterion reports the time of one run
//! of the workload: divide by its units (items, generators, round trips) for the per-unit time.

mod workloads;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};

#[global_allocator]
static ALLOC: workloads::CountingAlloc = workloads::CountingAlloc;

fn benches(c: &mut Criterion) {
    let cases = workloads::cases();
    let mut workload_names: Vec<&str> = cases.iter().map(|case| case.workload).collect();
    workload_names.dedup();
    for workload in workload_names {
        let mut group = c.benchmark_group(workload);
        for case in cases.iter().filter(|case| case.workload == workload) {
            group.throughput(Throughput::Elements(case.units));
            group.bench_function(case.implementation, |b| {
                b.iter(|| black_box(case.run_checked()))
            });
        }
        group.finish();
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
