//! Fork-join over slices: the work is cut into one contiguous chunk per
//! thread and the results come back in the input's order, so output never
//! depends on the number of threads.

/// Threads to use for `requested` (0: one per core).
pub fn threads(requested: usize) -> usize {
    match requested {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Runs `work` on consecutive chunks of `items` on up to `threads` threads
/// and concatenates the results in order. `work` gets the index of its
/// chunk's first item. A panic in a worker is passed on, not swallowed.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let per = items.len().div_ceil(threads.max(1)).max(1);
    if items.len() <= per {
        return work(0, items);
    }
    let work = &work;
    // The calling thread does the last chunk itself: one thread fewer to
    // start, and its allocator's caches are warm (W1 starts 12 threads, not 29).
    let last = (items.len() - 1) / per;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .take(last)
            .enumerate()
            .map(|(k, chunk)| s.spawn(move || work(k * per, chunk)))
            .collect();
        let mine = work(last * per, &items[last * per..]);
        let mut out: Vec<R> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        out.extend(mine);
        out
    })
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
}
