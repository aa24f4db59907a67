//! People into seats: a maximum bipartite matching by augmenting paths.
//!
//! Seats come in groups (one per qualifier) with a capacity each; a person takes at
//! most one seat, of a group they are allowed. A search from each person in turn
//! looks for a path that ends in a group with a free seat, moving the people on its
//! way one group further; when none exists, no assignment seats that person without
//! unseating another, so the count reached is the maximum. Breadth-first, so the
//! search needs no recursion however many people there are.

use std::collections::VecDeque;

/// The group each person sits in, `None` for those left without a seat.
///
/// `capacity[g]` is the number of seats of group `g`; `allowed[p]` lists the groups
/// person `p` may sit in, in order of preference (a person who can sit in a free
/// seat of their first group is seated there).
pub(super) fn assign(capacity: &[u64], allowed: &[Vec<usize>]) -> Vec<Option<usize>> {
    let mut seat_of: Vec<Option<usize>> = vec![None; allowed.len()];
    if capacity.is_empty() {
        return seat_of;
    }
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); capacity.len()];
    // One search's state, kept across the searches so that they allocate nothing.
    let mut search = Search {
        group_from: vec![None; capacity.len()],
        seen: vec![false; allowed.len()],
        queue: VecDeque::new(),
    };
    for person in 0..allowed.len() {
        if let Some(path_end) = search.augmenting_path(person, capacity, allowed, &holders) {
            shift_along(
                person,
                path_end,
                &search.group_from,
                &mut seat_of,
                &mut holders,
            );
        }
    }
    seat_of
}

/// The state of one breadth-first search: from which person each group was reached,
/// the people seen, and those still to look from.
struct Search {
    group_from: Vec<Option<usize>>,
    seen: Vec<bool>,
    queue: VecDeque<usize>,
}

impl Search {
    /// A group with a free seat that `root` can reach (how: in `group_from`).
    fn augmenting_path(
        &mut self,
        root: usize,
        capacity: &[u64],
        allowed: &[Vec<usize>],
        holders: &[Vec<usize>],
    ) -> Option<usize> {
        self.group_from.fill(None);
        self.seen.fill(false);
        self.queue.clear();
        self.queue.push_back(root);
        if let Some(flag) = self.seen.get_mut(root) {
            *flag = true;
        }
        while let Some(person) = self.queue.pop_front() {
            for &group in allowed.get(person).into_iter().flatten() {
                match self.group_from.get_mut(group) {
                    Some(from @ None) => *from = Some(person),
                    _ => continue,
                }
                let sitting = holders.get(group).map_or(&[][..], Vec::as_slice);
                if capacity.get(group).copied().unwrap_or(0) > sitting.len() as u64 {
                    return Some(group);
                }
                for &other in sitting {
                    if let Some(flag @ false) = self.seen.get_mut(other) {
                        *flag = true;
                        self.queue.push_back(other);
                    }
                }
            }
        }
        None
    }
}

/// Seats `root` by moving each person on the path into the group that reached them,
/// from the free group `group` back to `root`.
fn shift_along(
    root: usize,
    mut group: usize,
    group_from: &[Option<usize>],
    seat_of: &mut [Option<usize>],
    holders: &mut [Vec<usize>],
) {
    loop {
        let Some(person) = group_from.get(group).copied().flatten() else {
            return;
        };
        let left = seat_of.get(person).copied().flatten();
        if let Some(sitting) = left.and_then(|g| holders.get_mut(g)) {
            sitting.retain(|p| *p != person);
        }
        if let Some(sitting) = holders.get_mut(group) {
            sitting.push(person);
        }
        if let Some(seat) = seat_of.get_mut(person) {
            *seat = Some(group);
        }
        match left {
            Some(previous) if person != root => group = previous,
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seated(seats: &[Option<usize>]) -> usize {
        seats.iter().flatten().count()
    }

    #[test]
    fn a_person_moves_over_to_free_a_seat_only_they_can_take() {
        // Groups: 0 captain, 1 engineer. The first person can sit in either and takes
        // the captain's seat; the second is a captain only, so the first moves over.
        let seats = assign(&[1, 1], &[vec![0, 1], vec![0]]);
        assert_eq!(seats, [Some(1), Some(0)]);
    }

    #[test]
    fn one_person_fills_one_seat_whatever_they_hold() {
        let seats = assign(&[1, 1, 1], &[vec![0, 1], vec![2]]);
        assert_eq!(seated(&seats), 2);
    }

    #[test]
    fn more_people_than_seats_leave_some_unseated() {
        let seats = assign(&[2], &[vec![0], vec![0], vec![0]]);
        assert_eq!(seats, [Some(0), Some(0), None]);
    }

    #[test]
    fn long_chains_of_moves_are_found() {
        // Person p may sit in group p or p + 1; each group has one seat and the last
        // person may only sit in group 0, so everyone must move one group on.
        let n = 2000;
        let mut allowed: Vec<Vec<usize>> = (0..n).map(|p| vec![p, p + 1]).collect();
        allowed.push(vec![0]);
        let seats = assign(&vec![1; n + 1], &allowed);
        assert_eq!(seated(&seats), n + 1);
    }
}
