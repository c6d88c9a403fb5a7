//! The fixed-count driver behind `scripts/bench-table`: no timing, so it can run under
//! callgrind, where instruction counts are stable even on a busy machine.
//!
//! ```text
//! driver list                 # the case ids, one a line
//! driver run CASE REPS        # runs CASE (e.g. `w1-sum/agen`) REPS times, checking each checksum
//! driver report               # per case: unit, units per run, heap allocations per generator, size
//! ```
//!
//! `cargo bench --bench driver` (no arguments, or cargo's `--bench`) runs every case once as a
//! smoke test and prints the report.

mod workloads;

use std::hint::black_box;
use std::process::ExitCode;

use workloads::{allocations, cases, Case};

#[global_allocator]
static ALLOC: workloads::CountingAlloc = workloads::CountingAlloc;

fn find(id: &str) -> Option<Case> {
    cases().into_iter().find(|case| case.id() == id)
}

/// Runs the case `reps` times. Kept out of line so it is one frame in a profile.
#[inline(never)]
fn run(case: &Case, reps: u64) {
    for _ in 0..reps {
        black_box(case.run_checked());
    }
}

/// Tab-separated: id, unit, units per run, heap allocations per generator, size in bytes, and
/// for agen the size of the body future (`-` for the others).
fn report() {
    println!("case\tunit\tunits\tallocs_per_generator\tsize_bytes\tbody_future_bytes");
    for case in cases() {
        // Once to warm up (lazy thread-locals and the like), then counted.
        case.run_checked();
        let before = allocations();
        case.run_checked();
        let allocs = allocations() - before;
        let per_generator = allocs as f64 / case.generators as f64;
        let size = (case.size)();
        let body = match case.body {
            Some(sizes) => {
                let (twin, body) = sizes();
                if twin != size {
                    eprintln!(
                        "driver: {}: the raw-constructor twin is {twin} bytes, the generator \
                         {size}: its body-future size is only indicative",
                        case.id()
                    );
                }
                body.to_string()
            }
            None => "-".to_string(),
        };
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            case.id(),
            case.unit,
            case.units,
            per_generator,
            size,
            body
        );
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] | ["report"] => report(),
        ["list"] => cases().iter().for_each(|case| println!("{}", case.id())),
        ["run", id, reps] => {
            let Some(case) = find(id) else {
                eprintln!("driver: no case {id:?} (see `driver list`)");
                return ExitCode::FAILURE;
            };
            let Ok(reps) = reps.parse() else {
                eprintln!("driver: REPS must be a number, not {reps:?}");
                return ExitCode::FAILURE;
            };
            run(&case, reps);
        }
        _ => {
            eprintln!("usage: driver [list | report | run CASE REPS]");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
