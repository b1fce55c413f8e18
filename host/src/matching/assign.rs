//! Batch assignment (快速配岗): fill many open jobs from a pool of workers at once, so that the
//! sum of the matching plugin's scores over the chosen (job, worker) pairs is as large as possible.
//!
//! # Why the Hungarian algorithm, and how the problem is shaped for it
//!
//! Picking each job's best worker in turn (greedy) is easy but wrong: an early job can take the
//! only worker a later job could use, and the total drops. The exact answer is a maximum-weight
//! bipartite matching, which [`pathfinding::kuhn_munkres::kuhn_munkres`] (the Hungarian algorithm,
//! O(rows² · columns)) computes on a dense [`Matrix`]. Its contract shapes everything below:
//!
//! * **Job slots, not jobs, are the rows.** Kuhn–Munkres matches each row to one column, but a job
//!   takes up to `headcount` workers. So job `j` becomes `min(headcount_j, candidates_j)` identical
//!   rows ("slots"); more slots than candidates could never be filled and would only grow the matrix.
//! * **Only workers with a usable edge are columns.** A worker nobody scored cannot be assigned, so
//!   keeping them would cost memory (8 bytes per cell) and time for nothing.
//! * **Scores become integers.** The solver needs an exact, totally ordered weight (`Ord`); `f64`
//!   is neither, and NaN or infinities make the solver loop forever. Each score is rescaled to
//!   `round(score / max_score · W)`, with `W` chosen from the matrix size so that no label or total
//!   inside the solver can overflow `i64` (all labels stay within `[0, W]`, so sums stay within
//!   `(rows + columns) · W`), and at most 2⁵⁰ so the `f64 → i64` step is exact. A usable edge gets at
//!   least 1. Scaling relative to the largest score (instead of a fixed `× 1000`) keeps about 14
//!   significant digits whatever the plugin's score range is, and never overflows on large scores.
//! * **Weight 0 means "unassigned".** Non-edges weigh 0. The solver must give every row a column, so
//!   a row matched to a 0-weight cell simply gets nobody; such pairs are dropped after solving.
//!   Because every usable edge weighs ≥ 1, a maximum-weight row-perfect matching with 0-pairs
//!   removed is a maximum-weight matching of the real problem.
//! * **Rows must not outnumber columns.** When there are more slots than candidate workers, the
//!   matrix is built transposed (workers as rows, slots as columns) instead of padded with zero
//!   columns: transposing gives `workers × slots` cells, padding would give `slots × slots`.
//!
//! # Exact candidate pruning
//!
//! Let `R` be the total number of slots. For each job only its `R` best candidates are kept
//! (ties broken by lower worker index). This is **exact**: if an optimal assignment gave job `j`
//! a worker outside its top `R`, then at most `R − 1` of those top `R` are assigned at all (at
//! most `R` workers are assigned, one of them outside the set), so one of them is free and scores
//! at least as much for `j`; swapping it in never lowers the total. It shrinks the matrix a lot
//! when few places are open against a large pool (e.g. 50 single-place jobs × 10,000 workers keep
//! at most 50 candidates each) and costs nothing otherwise.
//!
//! # Optimality and limits
//!
//! The result is optimal for the integer weights, hence optimal for the original scores up to the
//! rounding grid (`max_score / W`, with `W ≥ 2⁴⁸` for up to ~12,000 rows + columns) per assigned
//! pair. Ties are resolved deterministically: the same input always yields the same output.
//! Memory is dominated by the weight matrix, `8 · slots · columns` bytes (1,000 jobs with 2,000
//! places against 10,000 scored workers: 160 MB), so callers should bound a batch to that order of
//! size; a batch whose matrix size overflows `usize` cannot be allocated and yields no assignment.
//!
//! Time grows with `slots² · columns` in the worst case and depends on how much jobs compete for
//! the same workers: independent scores solve fast, a batch where every job prefers the same few
//! workers is the slow case, and the exact pruning above is what keeps it bounded. docs/benchmarks.md
//! has the measured figure for 1,000 jobs × 10,000 workers scored by the city's plugin
//! (`./dev bench`). Batches much larger than that should be split by the caller (e.g. per
//! district), which is then no longer globally optimal.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use std::cmp::Ordering;

/// One scored pair: the matching plugin's score for `worker` on `job` (indices into the caller's lists).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Index of the job in the caller's list.
    pub job: usize,
    /// Index of the worker in the caller's list.
    pub worker: usize,
    /// The plugin's score for the pair (higher is better).
    pub score: f64,
}

/// One chosen pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// Index of the job in the caller's list.
    pub job: usize,
    /// Index of the worker in the caller's list (each worker is chosen at most once).
    pub worker: usize,
    /// The pair's score, as given in its [`Edge`].
    pub score: f64,
}

/// Largest integer weight: below 2⁵³ so every weight is an exact `f64` before the cast.
const WEIGHT_CAP: u64 = 1 << 50;

/// Maximise the total score. `headcounts[j]` is job j's open places; `workers` is how many workers there are.
/// Pairs not in `edges`, or with a score that is not > 0 or not finite, are never assigned.
/// The result is sorted by (job, worker) and deterministic for the same input.
pub fn assign(headcounts: &[u32], workers: usize, edges: &[Edge]) -> Vec<Assignment> {
    let pairs = usable_pairs(headcounts, workers, edges);
    let total_slots: usize = slot_counts(headcounts, &pairs).iter().map(|s| s.1).sum();
    let pairs = keep_top_candidates(pairs, total_slots);
    if pairs.is_empty() {
        return Vec::new();
    }
    let problem = Problem::new(headcounts, pairs);
    problem.solve().unwrap_or_default()
}

/// The caller's edges that may be assigned, one per (job, worker) with its highest score,
/// sorted by (job, worker) so that every later step is deterministic and can binary-search.
fn usable_pairs(headcounts: &[u32], workers: usize, edges: &[Edge]) -> Vec<Edge> {
    let mut pairs: Vec<Edge> =
        edges.iter().filter(|e| is_usable(headcounts, workers, e)).copied().collect();
    pairs.sort_unstable_by(|a, b| by_job_worker(a, b).then(b.score.total_cmp(&a.score)));
    // `dedup_by` keeps the first of each run, which the sort made the highest score.
    pairs.dedup_by(|later, first| later.job == first.job && later.worker == first.worker);
    pairs
}

/// An edge is usable when both indices are in range, the job has a place, and the score is a
/// real positive number (NaN and infinities would break the integer scaling and the solver).
fn is_usable(headcounts: &[u32], workers: usize, edge: &Edge) -> bool {
    let has_place = headcounts.get(edge.job).is_some_and(|&h| h > 0);
    has_place && edge.worker < workers && edge.score.is_finite() && edge.score > 0.0
}

fn by_job_worker(a: &Edge, b: &Edge) -> Ordering {
    a.job.cmp(&b.job).then(a.worker.cmp(&b.worker))
}

/// `(job, slots)` for every job present in `pairs` (sorted by job): a job gets one slot per open
/// place, but never more than it has candidates, since extra slots could never be filled.
fn slot_counts(headcounts: &[u32], pairs: &[Edge]) -> Vec<(usize, usize)> {
    pairs
        .chunk_by(|a, b| a.job == b.job)
        .map(|group| {
            let job = group[0].job;
            let places = headcounts.get(job).map_or(0, |&h| h as usize);
            (job, places.min(group.len()))
        })
        .collect()
}

/// Keep only each job's `limit` best candidates (exact when `limit` is the total number of
/// slots; see the module docs). The result stays sorted by (job, worker).
fn keep_top_candidates(pairs: Vec<Edge>, limit: usize) -> Vec<Edge> {
    let needs_pruning = pairs.chunk_by(|a, b| a.job == b.job).any(|g| g.len() > limit);
    if !needs_pruning || limit == 0 {
        return pairs;
    }
    let mut kept = Vec::with_capacity(pairs.len());
    for group in pairs.chunk_by(|a, b| a.job == b.job) {
        kept.extend(top_of_group(group, limit));
    }
    kept
}

/// The `limit` highest-scoring edges of one job (ties: lower worker index first), sorted by worker.
fn top_of_group(group: &[Edge], limit: usize) -> Vec<Edge> {
    let mut top = group.to_vec();
    if top.len() > limit {
        top.select_nth_unstable_by(limit - 1, |a, b| {
            b.score.total_cmp(&a.score).then(a.worker.cmp(&b.worker))
        });
        top.truncate(limit);
        top.sort_unstable_by(by_job_worker);
    }
    top
}

/// The reduced problem handed to Kuhn–Munkres: slot rows, worker columns, and the usable pairs.
struct Problem {
    /// Usable pairs, deduplicated and pruned, sorted by (job, worker).
    pairs: Vec<Edge>,
    /// The job owning each slot; a job's slots are contiguous and jobs ascend.
    slot_jobs: Vec<usize>,
    /// `(job, first slot, slot count)` in job order, to fill all of a job's slot rows at once.
    job_slots: Vec<(usize, usize, usize)>,
    /// The worker index of each column, ascending.
    columns: Vec<usize>,
}

impl Problem {
    fn new(headcounts: &[u32], pairs: Vec<Edge>) -> Self {
        let mut slot_jobs = Vec::new();
        let mut job_slots = Vec::new();
        for (job, count) in slot_counts(headcounts, &pairs) {
            job_slots.push((job, slot_jobs.len(), count));
            slot_jobs.extend(std::iter::repeat_n(job, count));
        }
        let mut columns: Vec<usize> = pairs.iter().map(|p| p.worker).collect();
        columns.sort_unstable();
        columns.dedup();
        Self { pairs, slot_jobs, job_slots, columns }
    }

    /// Kuhn–Munkres needs rows ≤ columns; with more slots than workers the matrix is transposed.
    fn transposed(&self) -> bool {
        self.slot_jobs.len() > self.columns.len()
    }

    /// Solve and translate the solver's rows and columns back to the caller's (job, worker)
    /// indices. `None` only when the matrix could not be described (size overflow).
    fn solve(&self) -> Option<Vec<Assignment>> {
        let transposed = self.transposed();
        let matrix = self.weight_matrix(transposed)?;
        let (_total, row_to_column) = kuhn_munkres(&matrix);
        let mut chosen = Vec::new();
        for (row, &column) in row_to_column.iter().enumerate() {
            // 0 is a non-edge or padding: that row is left unassigned.
            if matrix.get((row, column)).is_none_or(|&w| w <= 0) {
                continue;
            }
            let (slot, worker_column) = if transposed { (column, row) } else { (row, column) };
            chosen.push(self.assignment(slot, worker_column)?);
        }
        chosen.sort_unstable_by(|a, b| a.job.cmp(&b.job).then(a.worker.cmp(&b.worker)));
        Some(chosen)
    }

    fn assignment(&self, slot: usize, worker_column: usize) -> Option<Assignment> {
        let job = *self.slot_jobs.get(slot)?;
        let worker = *self.columns.get(worker_column)?;
        let index =
            self.pairs.binary_search_by(|p| p.job.cmp(&job).then(p.worker.cmp(&worker))).ok()?;
        Some(Assignment { job, worker, score: self.pairs[index].score })
    }

    /// The dense integer weight matrix: slots × workers (or its transpose), 0 for non-edges.
    fn weight_matrix(&self, transposed: bool) -> Option<Matrix<i64>> {
        let (slots, workers) = (self.slot_jobs.len(), self.columns.len());
        let (rows, columns) = if transposed { (workers, slots) } else { (slots, workers) };
        let mut cells = vec![0_i64; rows.checked_mul(columns)?];
        let scale = WeightScale::new(&self.pairs, rows + columns);
        let mut pairs = self.pairs.as_slice();
        for &(job, first_slot, count) in &self.job_slots {
            let end = pairs.partition_point(|p| p.job == job);
            let (of_job, rest) = pairs.split_at(end);
            pairs = rest;
            for pair in of_job {
                let worker_column = self.columns.binary_search(&pair.worker).ok()?;
                let weight = scale.weight(pair.score);
                for slot in first_slot..first_slot + count {
                    let (row, column) =
                        if transposed { (worker_column, slot) } else { (slot, worker_column) };
                    cells[row * columns + column] = weight;
                }
            }
        }
        Matrix::from_vec(rows, columns, cells).ok()
    }
}

/// Maps positive finite scores onto integers `1..=max_weight`, proportionally to the largest score.
struct WeightScale {
    max_score: f64,
    max_weight: u64,
}

impl WeightScale {
    /// `nodes` is rows + columns. Kuhn–Munkres keeps every label in `[0, max_weight]` and sums
    /// `nodes` of them, so `2 · (nodes + 1) · max_weight ≤ i64::MAX` rules out any overflow.
    fn new(pairs: &[Edge], nodes: usize) -> Self {
        let max_score = pairs.iter().map(|p| p.score).fold(0.0_f64, f64::max);
        let nodes = u64::try_from(nodes).unwrap_or(u64::MAX);
        let budget = (i64::MAX as u64) / nodes.saturating_add(1).saturating_mul(2);
        Self { max_score, max_weight: budget.clamp(1, WEIGHT_CAP) }
    }

    /// Scale relative to the maximum (the ratio is ≤ 1, so nothing can overflow), at least 1.
    fn weight(&self, score: f64) -> i64 {
        let ratio = if self.max_score > 0.0 { score / self.max_score } else { 0.0 };
        let scaled = (ratio * self.max_weight as f64).round();
        // `as` saturates; both bounds are well inside i64.
        (scaled as i64).clamp(1, self.max_weight as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    fn edge(job: usize, worker: usize, score: f64) -> Edge {
        Edge { job, worker, score }
    }

    fn pairs_of(result: &[Assignment]) -> Vec<(usize, usize)> {
        result.iter().map(|a| (a.job, a.worker)).collect()
    }

    fn total(result: &[Assignment]) -> f64 {
        result.iter().map(|a| a.score).sum()
    }

    /// Checks every rule the API promises, against the caller's input.
    fn assert_valid(headcounts: &[u32], workers: usize, edges: &[Edge], result: &[Assignment]) {
        let mut per_job = vec![0_u32; headcounts.len()];
        let mut taken = vec![false; workers];
        for a in result {
            assert!(a.job < headcounts.len() && a.worker < workers, "index out of range: {a:?}");
            per_job[a.job] += 1;
            assert!(!taken[a.worker], "worker {} assigned twice", a.worker);
            taken[a.worker] = true;
            let best = edges
                .iter()
                .filter(|e| e.job == a.job && e.worker == a.worker)
                .filter(|e| e.score.is_finite() && e.score > 0.0)
                .map(|e| e.score)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(best > 0.0, "pair without a usable edge: {a:?}");
            assert_eq!(a.score, best, "score must be the pair's highest usable score");
        }
        for (job, (&used, &cap)) in per_job.iter().zip(headcounts).enumerate() {
            assert!(used <= cap, "job {job} got {used} workers for {cap} places");
        }
        let mut sorted = pairs_of(result);
        sorted.sort_unstable();
        assert_eq!(sorted, pairs_of(result), "result must be sorted by (job, worker)");
    }

    #[test]
    fn greedy_is_wrong_hungarian_is_right() {
        // Greedy by highest score takes (0,0)=10 first, then job 1 only has (1,1)=1: total 11.
        // The optimum gives worker 0 to job 1 and worker 1 to job 0: 9 + 8 = 17.
        let edges = [edge(0, 0, 10.0), edge(0, 1, 9.0), edge(1, 0, 8.0), edge(1, 1, 1.0)];
        let result = assign(&[1, 1], 2, &edges);
        assert_eq!(
            result,
            vec![
                Assignment { job: 0, worker: 1, score: 9.0 },
                Assignment { job: 1, worker: 0, score: 8.0 },
            ]
        );
        assert_eq!(total(&result), 17.0);
    }

    #[test]
    fn greedy_is_wrong_with_headcounts() {
        // Job 0 has two places. Greedy: job 0 takes workers 0 and 1 (5 + 5), job 1 gets nobody
        // it can use (it only scores workers 0 and 1): 10. Optimum: job 0 takes 1 and 2 (5 + 4),
        // job 1 takes 0 (6): 15.
        let edges =
            [edge(0, 0, 5.0), edge(0, 1, 5.0), edge(0, 2, 4.0), edge(1, 0, 6.0), edge(1, 1, 0.5)];
        let result = assign(&[2, 1], 3, &edges);
        assert_eq!(pairs_of(&result), vec![(0, 1), (0, 2), (1, 0)]);
        assert_eq!(total(&result), 15.0);
    }

    #[test]
    fn headcounts_respected_and_no_worker_twice() {
        let headcounts = [2, 1, 0, 3];
        let workers = 5;
        let edges: Vec<Edge> = (0..4)
            .flat_map(|j| (0..workers).map(move |w| edge(j, w, 1.0 + ((j * 7 + w * 3) % 5) as f64)))
            .collect();
        let result = assign(&headcounts, workers, &edges);
        assert_valid(&headcounts, workers, &edges, &result);
        assert_eq!(result.len(), 5, "5 workers, 6 usable places: every worker is placed");
        assert!(result.iter().all(|a| a.job != 2), "a job with no places gets nobody");
    }

    #[test]
    fn non_edges_and_bad_scores_never_used() {
        let edges = [
            edge(0, 0, 0.0),
            edge(0, 1, -3.0),
            edge(0, 2, f64::NAN),
            edge(0, 3, f64::INFINITY),
            edge(1, 0, f64::NEG_INFINITY),
            edge(1, 1, -0.0),
            edge(7, 0, 5.0),  // job out of range
            edge(1, 99, 5.0), // worker out of range
            edge(1, 4, 0.25), // the only usable edge
        ];
        let result = assign(&[3, 3], 5, &edges);
        assert_eq!(result, vec![Assignment { job: 1, worker: 4, score: 0.25 }]);
    }

    #[test]
    fn unscored_worker_left_out_even_when_a_place_is_free() {
        // Worker 1 has no edge to job 0: job 0 keeps a free place rather than take them.
        let result = assign(&[2], 2, &[edge(0, 0, 1.0)]);
        assert_eq!(pairs_of(&result), vec![(0, 0)]);
    }

    #[test]
    fn duplicate_edges_keep_highest_score() {
        let edges = [edge(0, 0, 1.0), edge(0, 0, 7.0), edge(0, 0, f64::NAN), edge(0, 0, 3.0)];
        let result = assign(&[1], 1, &edges);
        assert_eq!(result, vec![Assignment { job: 0, worker: 0, score: 7.0 }]);
    }

    #[test]
    fn empty_inputs_return_empty() {
        assert!(assign(&[], 0, &[]).is_empty());
        assert!(assign(&[3], 4, &[]).is_empty());
        assert!(assign(&[], 4, &[edge(0, 0, 1.0)]).is_empty());
        assert!(assign(&[1], 0, &[edge(0, 0, 1.0)]).is_empty());
        assert!(assign(&[0, 0], 2, &[edge(0, 0, 1.0), edge(1, 1, 1.0)]).is_empty());
    }

    #[test]
    fn more_slots_than_workers_uses_transposed_matrix() {
        // 3 jobs × 2 places = 6 slots for 2 workers: rows would outnumber columns.
        let edges = [
            edge(0, 0, 3.0),
            edge(0, 1, 3.0),
            edge(1, 0, 4.0),
            edge(1, 1, 1.0),
            edge(2, 0, 1.0),
            edge(2, 1, 5.0),
        ];
        let headcounts = [2, 2, 2];
        let problem = Problem::new(&headcounts, usable_pairs(&headcounts, 2, &edges));
        assert!(problem.transposed());
        let result = assign(&headcounts, 2, &edges);
        assert_eq!(pairs_of(&result), vec![(1, 0), (2, 1)]);
        assert_eq!(total(&result), 9.0);
    }

    #[test]
    fn more_slots_than_workers_with_idle_worker_indices() {
        // Many places, few scored workers, and worker indices with gaps (workers 1, 3 unscored).
        let edges = [edge(0, 4, 2.0), edge(1, 4, 3.0), edge(1, 2, 1.0), edge(2, 0, 1.0)];
        let headcounts = [5, 5, 5];
        let result = assign(&headcounts, 5, &edges);
        assert_valid(&headcounts, 5, &edges, &result);
        assert_eq!(pairs_of(&result), vec![(1, 2), (1, 4), (2, 0)]);
    }

    #[test]
    fn pruning_to_top_candidates_keeps_optimum() {
        // One place in total (R = 1): job 0 keeps only its best candidate, worker 2.
        let edges: Vec<Edge> =
            (0..6).map(|w| edge(0, w, [1.0, 2.0, 9.0, 3.0, 9.0, 0.5][w])).collect();
        let result = assign(&[1], 6, &edges);
        // Two candidates tie at 9.0: the lower worker index wins, deterministically.
        assert_eq!(result, vec![Assignment { job: 0, worker: 2, score: 9.0 }]);
        // R = 2, and job 1 only wants worker 2: job 0 must fall back to worker 4.
        let mut edges = edges;
        edges.push(edge(1, 2, 9.5));
        let result = assign(&[1, 1], 6, &edges);
        assert_eq!(pairs_of(&result), vec![(0, 4), (1, 2)]);
    }

    #[test]
    fn extreme_score_magnitudes_do_not_overflow() {
        let edges = [
            edge(0, 0, f64::MAX),
            edge(0, 1, 1e300),
            edge(1, 1, f64::MIN_POSITIVE),
            edge(1, 0, 5e-324),
            edge(2, 2, 1e-300),
        ];
        let result = assign(&[1, 1, 1], 3, &edges);
        assert_valid(&[1, 1, 1], 3, &edges, &result);
        assert_eq!(pairs_of(&result), vec![(0, 0), (1, 1), (2, 2)]);
    }

    #[test]
    fn close_scores_are_told_apart() {
        // Differences far below 1/1000 still decide: 1.0000001 + 1.0 > 1.0 + 1.0000000.
        let edges =
            [edge(0, 0, 1.000_000_1), edge(0, 1, 1.0), edge(1, 0, 1.0), edge(1, 1, 1.000_000_2)];
        let result = assign(&[1, 1], 2, &edges);
        assert_eq!(pairs_of(&result), vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn tiny_scores_keep_their_order() {
        // The greedy trap again, on scores a fixed `× 1000` scaling would flatten to one tie.
        let edges = [edge(0, 0, 10e-12), edge(0, 1, 9e-12), edge(1, 0, 8e-12), edge(1, 1, 1e-12)];
        let result = assign(&[1, 1], 2, &edges);
        assert_eq!(pairs_of(&result), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn same_input_same_output_regardless_of_edge_order() {
        let mut rng = StdRng::seed_from_u64(42);
        let (headcounts, workers, edges) = random_instance(&mut rng, 30, 40, 3);
        let first = assign(&headcounts, workers, &edges);
        let mut reversed = edges.clone();
        reversed.reverse();
        assert_eq!(first, assign(&headcounts, workers, &edges));
        assert_eq!(first, assign(&headcounts, workers, &reversed));
    }

    /// Up to `max_jobs` jobs with headcounts 0..=`max_headcount`, up to `max_workers` workers;
    /// each pair is left out, unusable (0, negative, NaN), duplicated, or scored with ties likely.
    fn random_instance(
        rng: &mut StdRng,
        max_jobs: usize,
        max_workers: usize,
        max_headcount: usize,
    ) -> (Vec<u32>, usize, Vec<Edge>) {
        let jobs = rng.gen_range(0..max_jobs + 1);
        let workers = rng.gen_range(0..max_workers + 1);
        let headcounts = (0..jobs).map(|_| rng.gen_range(0..max_headcount + 1) as u32).collect();
        let mut edges = Vec::new();
        for job in 0..jobs {
            for worker in 0..workers {
                let score = match rng.gen_range(0..10) {
                    0..=2 => continue,
                    3 => [0.0, -1.0, f64::NAN][rng.gen_range(0..3)],
                    _ => (1 + rng.gen_range(0..20)) as f64 / 4.0,
                };
                edges.push(edge(job, worker, score));
                if rng.gen_range(0..8) == 0 {
                    edges.push(edge(job, worker, (1 + rng.gen_range(0..20)) as f64 / 4.0));
                }
            }
        }
        (headcounts, workers, edges)
    }

    /// Best total score by trying every choice (nobody, or one job) for every worker.
    fn brute_force_best(headcounts: &[u32], workers: usize, edges: &[Edge]) -> f64 {
        let mut best_score = vec![vec![None; workers]; headcounts.len()];
        for e in edges.iter().filter(|e| e.score.is_finite() && e.score > 0.0) {
            let cell: &mut Option<f64> = &mut best_score[e.job][e.worker];
            *cell = Some(cell.map_or(e.score, |s| s.max(e.score)));
        }
        let mut used = vec![0_u32; headcounts.len()];
        search(0, headcounts, &best_score, &mut used)
    }

    fn search(worker: usize, caps: &[u32], score: &[Vec<Option<f64>>], used: &mut [u32]) -> f64 {
        let workers = score.first().map_or(0, Vec::len);
        if worker == workers {
            return 0.0;
        }
        let mut best = search(worker + 1, caps, score, used); // this worker unassigned
        for job in 0..caps.len() {
            if let Some(s) = score[job][worker].filter(|_| used[job] < caps[job]) {
                used[job] += 1;
                best = best.max(s + search(worker + 1, caps, score, used));
                used[job] -= 1;
            }
        }
        best
    }

    #[test]
    fn matches_brute_force_on_random_small_instances() {
        let mut rng = StdRng::seed_from_u64(0x5EED);
        for round in 0..3000 {
            let (headcounts, workers, edges) = random_instance(&mut rng, 4, 6, 2);
            let result = assign(&headcounts, workers, &edges);
            assert_valid(&headcounts, workers, &edges, &result);
            let expected = brute_force_best(&headcounts, workers, &edges);
            let got = total(&result);
            assert!(
                (got - expected).abs() < 1e-9,
                "round {round}: got {got}, optimum {expected}\n{headcounts:?} {workers} {edges:?}"
            );
        }
    }
}
