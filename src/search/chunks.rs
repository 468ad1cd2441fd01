//! An append-only store of groups of items (a state's encoding, a state's
//! transitions) in fixed-size chunks, addressed by 32-bit positions.
//!
//! A growing `Vec` copies everything it holds each time it grows, and
//! touches fresh memory for the copy: for the biggest vectors of a search
//! that was a tenth of its time. Chunks never move. A group never straddles
//! two chunks, so it is one slice; a group is found from the end position
//! of the group before it and its own (see [`Chunks::group`]).

/// Groups of `T` in chunks of up to `1 << shift` items each (small ones
/// first, so that a small search holds little). A group longer than
/// that gets a chunk of its own, which takes the positions of as many
/// chunks as it needs.
pub struct Chunks<T> {
    /// Per chunk slot: the items (empty for a slot an oversized chunk takes).
    chunks: Vec<Vec<T>>,
    /// Per chunk slot: the slot whose chunk holds its positions.
    owner: Vec<u32>,
    shift: u32,
    count: usize,
}

impl<T: Copy> Chunks<T> {
    pub fn new(shift: u32) -> Self {
        assert!(shift < 32);
        Chunks {
            chunks: Vec::new(),
            owner: Vec::new(),
            shift,
            count: 0,
        }
    }

    fn chunk_len(&self) -> usize {
        1 << self.shift
    }

    /// The position after the last item (where an empty group ends).
    pub fn end(&self) -> u32 {
        match self.owner.last() {
            None => 0,
            Some(&o) => ((o as usize) << self.shift) + self.chunks[o as usize].len(),
        }
        .try_into()
        .expect("positions stay below 2^32 (see `full`)")
    }

    /// The number of items held.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.count
    }

    /// Can no more chunks be addressed by 32-bit positions? Until then,
    /// every group of at most a chunk's length fits.
    pub fn full(&self) -> bool {
        self.chunks.len() + 1 >= 1 << (32 - self.shift)
    }

    /// Append `items` as one group; the position where it ends, or `None`
    /// when the positions are used up.
    pub fn push_group(&mut self, items: &[T]) -> Option<u32> {
        let fits = self.owner.last().is_some_and(|&o| {
            // Within what was asked for (an oversized chunk is already
            // past it): a chunk never runs past its slots' positions.
            let c = &self.chunks[o as usize];
            c.len() + items.len() <= c.capacity().min(self.chunk_len())
        });
        if !fits && !items.is_empty() {
            let cap = self.chunk_len();
            let slots = items.len().div_ceil(cap);
            if self.chunks.len() + slots >= 1 << (32 - self.shift) {
                return None;
            }
            // A new chunk holds a quarter of what is held so far (up to a
            // whole chunk), as a vector growing by a quarter would, but
            // nothing is copied.
            let size = (self.count / 4).max(64).min(cap).max(items.len());
            let slot = self.chunks.len() as u32;
            self.chunks.push(Vec::with_capacity(size));
            self.owner.push(slot);
            for _ in 1..slots {
                self.chunks.push(Vec::new());
                self.owner.push(slot);
            }
        }
        if let Some(&o) = self.owner.last() {
            self.chunks[o as usize].extend_from_slice(items);
        }
        self.count += items.len();
        Some(self.end())
    }

    /// The group that ends at `end`, the one before it ending at `prev_end`.
    pub fn group(&self, prev_end: u32, end: u32) -> &[T] {
        if end <= prev_end {
            return &[];
        }
        let chunk = self.owner[(end as usize - 1) >> self.shift] as usize;
        let base = chunk << self.shift;
        let start = (prev_end as usize).max(base);
        &self.chunks[chunk][start - base..end as usize - base]
    }

    /// Every item, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    /// Memory held.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity()).sum::<usize>() * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
            + self.owner.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_back_whole_across_chunks() {
        let mut c: Chunks<u32> = Chunks::new(4); // chunks of 16
        let mut ends = vec![0u32];
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for n in [3usize, 0, 7, 6, 16, 0, 1, 15, 2, 40, 0, 5, 33, 9, 0] {
            let g: Vec<u32> = (0..n as u32)
                .map(|x| x + 100 * groups.len() as u32)
                .collect();
            ends.push(c.push_group(&g).unwrap());
            groups.push(g);
        }
        for (i, g) in groups.iter().enumerate() {
            assert_eq!(c.group(ends[i], ends[i + 1]), &g[..], "group {i}");
        }
        assert_eq!(c.len(), groups.iter().map(Vec::len).sum::<usize>());
        let all: Vec<u32> = c.iter().copied().collect();
        assert_eq!(all, groups.concat());
    }

    #[test]
    fn positions_run_out_before_they_overflow() {
        // Chunks of 2^30 items: four fit in 32-bit positions, and the
        // store is full with three, so that the last position stays below 2^32.
        let mut c: Chunks<u8> = Chunks::new(30);
        c.push_group(&[1, 2]).unwrap();
        assert!(!c.full());
        c.chunks[0].truncate(0);
        c.chunks[0].shrink_to(0);
        c.chunks.push(Vec::new());
        c.owner.push(1);
        assert!(!c.full());
        c.chunks.push(Vec::new());
        c.owner.push(2);
        assert!(c.full());
        assert_eq!(c.push_group(&[]), Some(2 << 30));
        assert_eq!(c.push_group(&[3]), None, "a fourth chunk is refused");
    }
}
