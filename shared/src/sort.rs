//! One stable sort for the whole cadre app.
//!
//! Every `sort_by` on another element type or closure compiles its own copy of the standard
//! library's sort, about 3.5 KB of wasm each (measured with twiggy: eight copies, 28 KB, in
//! the module every phone downloads). These functions sort positions with the comparison
//! behind `dyn`, so one copy serves every caller; each caller only adds the few bytes that
//! put its elements in the new order. Same result as `slice::sort_by`: stable, O(n log n).
//!
//! The same holds for collecting an iterator into a `BTreeMap` or `BTreeSet`, which sorts a
//! `Vec` first: code on the phone's path extends an empty map instead.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    reorder(items, &order);
}

/// Sorts `items` stably by `key`.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the elements into `order` (a permutation of their positions).
fn reorder<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&position| slots[position].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        let mut seed = 7_u64;
        for len in [0, 1, 2, 3, 10, 100, 1_000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|position| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 5) as u8, position)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut theirs = items;
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "{len} elements");
        }
    }

    #[test]
    fn sorts_by_a_comparison_descending() {
        let mut months = vec!["2026-01", "2026-03", "2026-02"];
        sort_by(&mut months, |a, b| b.cmp(a));
        assert_eq!(months, ["2026-03", "2026-02", "2026-01"]);
    }

    #[test]
    fn owned_elements_move_without_cloning() {
        let mut names: Vec<String> = ["Sari", "Ani", "Budi"].map(String::from).to_vec();
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["Ani", "Budi", "Sari"]);
    }
}
