//! Work spread over the machine's cores, with results in the order of the input: what a run
//! reports never depends on which thread did what.

use std::sync::atomic::{AtomicUsize, Ordering};

/// A thread is started for every this many items at most: for fewer, starting it would cost
/// more than it saves.
const PER_THREAD: usize = 32;

/// At most this many threads.
const MAX_THREADS: usize = 8;

/// `f` applied to every item, on the threads the machine offers (at most [`MAX_THREADS`]); the
/// results in the order of `items`. Each thread takes the next item not yet taken, so that a few
/// large items do not leave the other threads idle.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items.len() / PER_THREAD);
    if threads < 2 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = vec![work()];
        for handle in others {
            // A panic in `f` on another thread is this call's panic, as it would be on this one.
            all.push(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        for (i, r) in all.into_iter().flatten() {
            slots[i] = Some(r);
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_order_of_the_items_however_the_work_is_shared() {
        let items: Vec<u64> = (0..10_000).collect();
        // Uneven work, so that the threads finish items out of order.
        let out = map(&items, |&i| {
            let spin = (i % 7) * 100;
            (0..spin).fold(i, |a, b| a.wrapping_add(b % 3)) - (0..spin).map(|b| b % 3).sum::<u64>()
        });
        assert_eq!(out, items);
    }

    #[test]
    fn few_items_are_mapped_in_place() {
        let items = vec!["a", "bb", "ccc"];
        assert_eq!(map(&items, |s| s.len()), vec![1, 2, 3]);
        assert!(map(&Vec::<u8>::new(), |_| 0).is_empty());
    }
}
