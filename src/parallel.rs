//! Fork-join over slices: the work is cut into small chunks that the
//! threads take in turn as each finishes the last, and the results come back
//! in the input's order, so output never depends on the number of threads
//! or on which thread made what.
//!
//! The calling thread takes chunks too, beside the helpers of rayon's pool
//! (one fewer than the threads asked for), started at the first fork and
//! kept for the run: W1 forks 11 times on two threads, and starting a
//! thread for each took it 125 ms, against 104 ms with threads kept alive
//! (side by side).
//!
//! Why chunks are small and taken, not dealt out one to a thread: on this
//! project's two-core machine (KVM) one core can take 1.5 to 1.8 times as
//! long as the other over the same loop while both are busy, and a helper
//! that has slept wakes up to 4 ms late. With one chunk a thread, W1's other thread then waited 2 to 4
//! ms at the end of each of its eight rounds of layout and page content.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Chunks a thread's share is cut into: enough that a slow or late thread
/// holds up the rest by a small part of a fork, few enough that taking one
/// costs nothing beside the work.
const CHUNKS_PER_THREAD: usize = 8;

/// Threads to use for `requested` (0: one per core). The first call with a
/// count above 1 starts the pool with one helper fewer than that (the
/// calling thread is the other), if it is not yet started; one thread needs
/// no pool.
pub fn threads(requested: usize) -> usize {
    let n = match requested {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    if n > 1 {
        // An error only says the pool is already running.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n - 1)
            .build_global();
    }
    n
}

/// How many chunks [`map_chunks`] cuts `len` items into on `threads`
/// threads (at least one): for work that shares out a budget among them.
pub fn chunk_count(len: usize, threads: usize) -> usize {
    len.div_ceil(chunk_len(len, threads)).max(1)
}

/// The items in each chunk (the last may have fewer).
fn chunk_len(len: usize, threads: usize) -> usize {
    match threads {
        0 | 1 => len.max(1),
        t => len.div_ceil(t * CHUNKS_PER_THREAD).max(1),
    }
}

/// Runs `work` on consecutive chunks of `items` (see [`chunk_count`]) on up
/// to `threads` threads, and concatenates the results in order. `work` gets
/// the index of its chunk's first item. On one thread, or for one chunk,
/// everything runs on the calling thread, with no pool. A panic in a worker
/// is passed on, not swallowed.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    map_chunks_with(items, threads, || (), |_, first, chunk| work(first, chunk))
}

/// [`map_chunks`] with a value each thread makes once (`init`) and lends to
/// every chunk it takes: a shaper, say, that is costly to make. What `work`
/// returns must not depend on which chunks the value saw before.
pub fn map_chunks_with<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let per = chunk_len(items.len(), threads);
    if items.len() <= per {
        return work(&mut init(), 0, items);
    }
    let chunks = items.len().div_ceil(per);
    let next = AtomicUsize::new(0);
    let made: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::with_capacity(chunks));
    // Takes chunks until none is left, then hands in what it made.
    let take = || {
        let mut state = None;
        let mut mine = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= chunks {
                break;
            }
            let state = state.get_or_insert_with(&init);
            let first = k * per;
            let chunk = &items[first..(first + per).min(items.len())];
            mine.push((k, work(state, first, chunk)));
        }
        made.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .append(&mut mine);
    };
    rayon::in_place_scope(|scope| {
        for _ in 1..threads.min(chunks) {
            scope.spawn(|_| take());
        }
        take();
    });
    let mut made = made
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    made.sort_unstable_by_key(|&(k, _)| k);
    debug_assert_eq!(made.len(), chunks);
    made.into_iter().flat_map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        for t in [1, 2, 3, 7] {
            let out = map_chunks(&items, t, |first, chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (first + i, *v))
                    .collect()
            });
            assert!(out.iter().all(|(i, v)| i == v) && out.len() == 1000);
        }
    }

    #[test]
    fn every_chunk_is_made_once_whichever_thread_takes_it() {
        // Chunks that take longer the earlier they come, so the threads
        // finish them out of order.
        let items: Vec<u64> = (0..300).collect();
        let t = threads(2);
        assert_eq!(chunk_count(items.len(), t), 16);
        let calls = AtomicUsize::new(0);
        let out = map_chunks(&items, t, |first, chunk| {
            calls.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_micros(300 - first as u64));
            chunk.iter().map(|v| v * 2).collect()
        });
        assert_eq!(calls.into_inner(), 16);
        assert_eq!(out, items.iter().map(|v| v * 2).collect::<Vec<_>>());
    }

    #[test]
    fn each_thread_makes_its_value_once_at_most() {
        let items: Vec<u32> = (0..64).collect();
        let made = AtomicUsize::new(0);
        let out = map_chunks_with(
            &items,
            threads(2),
            || made.fetch_add(1, Ordering::Relaxed),
            |_, _, chunk| chunk.to_vec(),
        );
        assert_eq!(out, items);
        assert!((1..=2).contains(&made.into_inner()));
    }

    #[test]
    #[should_panic(expected = "chunk at 40")]
    fn a_panic_in_a_chunk_is_passed_on() {
        let items: Vec<u32> = (0..64).collect();
        map_chunks(&items, threads(2), |first, chunk| {
            assert!(first != 40, "chunk at {first}");
            chunk.to_vec()
        });
    }
}
