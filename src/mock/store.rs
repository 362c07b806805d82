//! The mock's in-memory store: the items of every resource family, the
//! documents of static paths, the answers kept for idempotency keys, and the
//! behaviours' own state. One per server; every access runs under the
//! server's lock.
//!
//! The store knows nothing of the API: an item is JSON, filed under its
//! family's index and its id.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::answer::Answer;
use super::behaviour::BehaviourState;

/// One stored item of a family.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) id: String,
    /// Creation order, for lists.
    pub(crate) seq: u64,
    /// The ids of the parent items its collection's path names, in path
    /// order; `None` where any parent will do (an item seeded from an
    /// example that does not say).
    pub(crate) scope: Vec<Option<String>>,
    /// The item as the API would show it, plus every field a request gave
    /// it (answers show only what the response schema declares).
    pub(crate) data: Value,
    /// State a behaviour keeps on the item that no answer shows.
    pub(crate) hidden: Map<String, Value>,
    /// Whether the item was seeded from the spec's examples.
    pub(crate) seeded: bool,
}

impl Item {
    /// Whether the item belongs under the parent ids `scope` (as far as
    /// both say).
    pub(crate) fn in_scope(&self, scope: &[String]) -> bool {
        self.scope
            .iter()
            .zip(scope)
            .all(|(mine, asked)| mine.as_deref().is_none_or(|m| m == asked))
    }

    /// A field of the item as text, when it is a string.
    pub(crate) fn text(&self, field: &str) -> Option<&str> {
        self.data.get(field).and_then(Value::as_str)
    }
}

/// The mock's data, one per server.
#[derive(Default)]
pub(crate) struct Store {
    seq: u64,
    families: HashMap<usize, HashMap<String, Item>>,
    /// The documents of static paths written by `PUT`/`PATCH`, by path.
    pub(crate) documents: HashMap<String, Value>,
    /// The first answer to each idempotency key, by operation and key.
    pub(crate) replays: HashMap<(usize, String), Answer>,
    /// What the behaviours keep of their own.
    pub(crate) behaviour: BehaviourState,
}

impl Store {
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The item `id` of `family`.
    pub(crate) fn get(&self, family: usize, id: &str) -> Option<&Item> {
        self.families.get(&family)?.get(id)
    }

    pub(crate) fn get_mut(&mut self, family: usize, id: &str) -> Option<&mut Item> {
        self.families.get_mut(&family)?.get_mut(id)
    }

    /// Every item of `family`, in creation order.
    pub(crate) fn items(&self, family: usize) -> Vec<&Item> {
        let mut items: Vec<&Item> = self
            .families
            .get(&family)
            .into_iter()
            .flat_map(HashMap::values)
            .collect();
        items.sort_by_key(|item| item.seq);
        items
    }

    /// How many items `family` holds.
    pub(crate) fn len(&self, family: usize) -> usize {
        self.families.get(&family).map_or(0, HashMap::len)
    }

    /// Files `item` under `family`, replacing an item of the same id.
    pub(crate) fn insert(&mut self, family: usize, item: Item) {
        self.families
            .entry(family)
            .or_default()
            .insert(item.id.clone(), item);
    }

    pub(crate) fn remove(&mut self, family: usize, id: &str) -> Option<Item> {
        self.families.get_mut(&family)?.remove(id)
    }

    /// Removes the items of `family` that `keep` refuses; returns their ids.
    pub(crate) fn remove_where(
        &mut self,
        family: usize,
        mut remove: impl FnMut(&Item) -> bool,
    ) -> Vec<String> {
        let Some(items) = self.families.get_mut(&family) else {
            return Vec::new();
        };
        let gone: Vec<String> = items
            .values()
            .filter(|item| remove(item))
            .map(|item| item.id.clone())
            .collect();
        for id in &gone {
            items.remove(id);
        }
        gone
    }
}
