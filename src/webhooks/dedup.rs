//! Deduplication: the vendor may deliver an event more than once (after
//! retries or an internal redelivery), so a receiver hands each event to the
//! caller once, by [`Event::dedup_key`](super::Event::dedup_key), through a
//! store the caller can replace (a database shared by several servers).

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// Where a receiver records the events it handed over.
pub trait DedupStore: Send + Sync + 'static {
    /// Records `key`; `true` when it was not recorded before (hand the
    /// event over), `false` for a duplicate.
    fn first_time(&self, key: &str) -> bool;

    /// Forgets `key`, so that a redelivery is handed over again (the
    /// receiver calls it when it could not answer the event).
    fn forget(&self, key: &str);
}

/// The default store: the most recent keys in memory, oldest forgotten
/// first beyond its capacity.
#[derive(Debug)]
pub struct MemoryDedup {
    capacity: usize,
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
}

impl MemoryDedup {
    /// The number of keys [`MemoryDedup::default`] remembers.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store remembering the `capacity` most recent keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }
}

impl Default for MemoryDedup {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl DedupStore for MemoryDedup {
    fn first_time(&self, key: &str) -> bool {
        let mut guard = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let (set, order) = &mut *guard;
        if !set.insert(key.to_string()) {
            return false;
        }
        order.push_back(key.to_string());
        while order.len() > self.capacity {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
        true
    }

    fn forget(&self, key: &str) {
        let mut guard = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let (set, order) = &mut *guard;
        if set.remove(key) {
            order.retain(|k| k != key);
        }
    }
}
