//! The fixed-count driver behind `scripts/bench-table`: its `run` mode does no timing, so it can
//! run under callgrind, where instruction counts are stable even on a busy machine.
//!
//! ```text
//! driver list                 # the case ids, one a line
//! driver run CASE REPS        # runs CASE (e.g. `w1-sum/agen`) REPS times, checking each checksum
//! driver report               # every case once, checked; the table with a quick wall-clock
//!                             # timing, the allocations and sizes; the budget verdicts
//! driver table COSTS          # the same table and verdicts, from measured costs: COSTS is a
//!                             # file of `id<TAB>ns per run<TAB>instructions per run` lines
//!                             # (`-` where not measured), as `scripts/bench-table` writes it
//! ```
//!
//! `cargo bench --bench driver` (no arguments, or cargo's `--bench`) is `report`: a smoke test
//! of every case that also shows the verdicts in `cargo bench`. Its timing is a quick one (the
//! fastest of a few short batches) and only indicative; `scripts/bench-table` judges the budgets
//! on callgrind's instruction counts. In both modes a wall-clock budget is judged on a paired
//! timing of its two cases, made here (see `workloads::budget`).

mod workloads;

use std::collections::HashMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use workloads::budget::{print_verdicts, Costs, Measure, Static, BUDGETS};
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

/// What the report knows of a case without timing it.
struct Row {
    case: Case,
    id: String,
    allocs_per_generator: f64,
    size: usize,
    body: Option<usize>,
    detail: Option<String>,
}

/// Runs the case once to warm up (lazy statics and the like), once more counting its
/// allocations, and takes its sizes.
fn examine(case: Case) -> Row {
    let id = case.id();
    case.run_checked();
    let before = allocations();
    case.run_checked();
    let allocs = allocations() - before;
    // Right after the run it describes (a size probe may overwrite what it reads).
    let detail = case.detail.map(|detail| detail());
    let size = (case.size)();
    let body = case.body.map(|sizes| {
        let (twin, body) = sizes();
        if twin != size {
            eprintln!(
                "driver: {id}: the raw-constructor twin is {twin} bytes, the generator {size}: \
                 its body-future size is only indicative"
            );
        }
        body
    });
    Row {
        allocs_per_generator: allocs as f64 / case.generators as f64,
        case,
        id,
        size,
        body,
        detail,
    }
}

/// How many runs of the case make a batch of at least a millisecond.
fn batch_reps(case: &Case) -> u64 {
    let mut reps = 1u64;
    loop {
        let start = Instant::now();
        run(case, reps);
        if start.elapsed() >= Duration::from_millis(1) {
            return reps;
        }
        reps *= 2;
    }
}

/// The time of `reps` runs of the case, in ns per run.
fn time_batch(case: &Case, reps: u64) -> f64 {
    let start = Instant::now();
    run(case, reps);
    start.elapsed().as_nanos() as f64 / reps as f64
}

/// A quick wall-clock time of one run of the case, in ns: the fastest of a few batches.
fn quick_time(case: &Case) -> f64 {
    let reps = batch_reps(case);
    (0..7)
        .map(|_| time_batch(case, reps))
        .fold(f64::INFINITY, f64::min)
}

/// The wall-clock times per unit of two cases, timed in alternating batches: each one's
/// fastest of 100 batches, in ns per unit.
fn paired_time(a: &Case, b: &Case) -> (f64, f64) {
    let (reps_a, reps_b) = (batch_reps(a), batch_reps(b));
    let (mut best_a, mut best_b) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..100 {
        best_a = best_a.min(time_batch(a, reps_a));
        best_b = best_b.min(time_batch(b, reps_b));
    }
    (best_a / a.units as f64, best_b / b.units as f64)
}

/// Times the two cases of every wall-clock budget in pairs, for the verdicts.
fn time_wall_clock_budgets(rows: &[Row], costs: &mut Costs) {
    let case = |id: &str| rows.iter().find(|row| row.id == id).map(|row| &row.case);
    for budget in BUDGETS.iter().filter(|b| b.measure == Measure::WallClock) {
        if let (Some(a), Some(b)) = (case(budget.case), case(budget.against)) {
            let pair = paired_time(a, b);
            costs.paired.insert((budget.case, budget.against), pair);
        }
    }
}

/// Prints the table (one row per case, ratios to the workload's hand-written row), the details,
/// and the verdicts. `wall_clock` names the wall-clock column. Returns the budgets missed.
fn print_table(rows: &[Row], costs: &Costs, wall_clock: &str) -> usize {
    let has_ns = !costs.wall_clock.is_empty();
    let has_ir = !costs.instructions.is_empty();
    let mut header = String::from("| workload | implementation |");
    let mut rule = String::from("|---|---|");
    if has_ns {
        header += &format!(" {wall_clock} | × hand |");
        rule += "---:|---:|";
    }
    if has_ir {
        header += " instructions | × hand |";
        rule += "---:|---:|";
    }
    println!("{header} allocs/gen | size |\n{rule}---:|---|");
    for row in rows {
        let case = &row.case;
        let floor = format!("{}/hand-written", case.workload);
        let mut line = format!("| {} | {} |", case.workload, case.implementation);
        let mut cell = |map: &HashMap<String, f64>, decimals: usize, unit: &str| {
            let Some(cost) = map.get(&row.id) else {
                line += " - | - |";
                return;
            };
            line += &format!(" {cost:.decimals$} {unit}/{} |", case.unit);
            match map.get(&floor) {
                Some(hand) => line += &format!(" {:.2}× |", cost / hand),
                None => line += " - |",
            }
        };
        if has_ns {
            cell(&costs.wall_clock, 2, "ns");
        }
        if has_ir {
            cell(&costs.instructions, 1, "");
        }
        let body = row.body.map_or(String::new(), |b| format!(" (body {b} B)"));
        println!(
            "{line} {} | {} B{body} |",
            row.allocs_per_generator, row.size
        );
    }
    let details: Vec<&Row> = rows.iter().filter(|row| row.detail.is_some()).collect();
    if !details.is_empty() {
        println!();
        for row in details {
            println!(
                "- {}: {}",
                row.id,
                row.detail.as_deref().unwrap_or_default()
            );
        }
    }
    println!();
    let statics: Vec<Static<'_>> = rows
        .iter()
        .map(|row| Static {
            id: &row.id,
            implementation: row.case.implementation,
            allocs_per_generator: row.allocs_per_generator,
            size: row.size,
            body: row.body,
        })
        .collect();
    print_verdicts(costs, &statics)
}

fn report() {
    let rows: Vec<Row> = cases().into_iter().map(examine).collect();
    let mut costs = Costs::default();
    for row in &rows {
        let per_unit = quick_time(&row.case) / row.case.units as f64;
        costs.wall_clock.insert(row.id.clone(), per_unit);
    }
    time_wall_clock_budgets(&rows, &mut costs);
    let missed = print_table(&rows, &costs, "wall-clock (quick)");
    println!(
        "\n{missed} budget(s) missed on this quick wall-clock timing, which is indicative only: \
         `scripts/bench-table` judges all but the wall-clock ones on callgrind instruction counts."
    );
}

/// The table and verdicts from the costs `scripts/bench-table` measured (see the module docs).
fn table(path: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let rows: Vec<Row> = cases().into_iter().map(examine).collect();
    let mut costs = Costs::default();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, ns, instructions] = fields[..] else {
            return Err(format!(
                "{path}: not `id<TAB>ns<TAB>instructions`: {line:?}"
            ));
        };
        let Some(row) = rows.iter().find(|row| row.id == id) else {
            return Err(format!("{path}: no case {id:?}"));
        };
        let units = row.case.units as f64;
        for (value, map) in [
            (ns, &mut costs.wall_clock),
            (instructions, &mut costs.instructions),
        ] {
            if value != "-" {
                let per_run: f64 = value
                    .parse()
                    .map_err(|_| format!("{path}: not a number: {value:?}"))?;
                map.insert(id.to_string(), per_run / units);
            }
        }
    }
    time_wall_clock_budgets(&rows, &mut costs);
    print_table(&rows, &costs, "median (wall)");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] | ["report"] => report(),
        ["table", path] => {
            if let Err(error) = table(path) {
                eprintln!("driver: {error}");
                return ExitCode::FAILURE;
            }
        }
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
            eprintln!("usage: driver [list | report | run CASE REPS | table COSTS]");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
