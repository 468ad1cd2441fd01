//! The state store: every state found, encoded once (goroutines shared
//! among states), looked up by a hash table of indices.

use super::chunks::Chunks;
use crate::state::codec::{Codec, Reader};
use crate::state::hb::{EMPTY_HB, Hb};
use crate::state::{Gor, State};
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;
use std::hash::BuildHasher;
use std::marker::PhantomData;
use std::rc::Rc;

/// Bytes of a hash table of `u32` (hashbrown) with room for `capacity`
/// entries: a slot and a control byte per bucket, buckets a power of two at
/// most 7/8 full.
pub(super) fn table_bytes(capacity: usize) -> u64 {
    let buckets = (capacity.max(4) * 8 / 7).next_power_of_two();
    buckets as u64 * (std::mem::size_of::<u32>() as u64 + 1)
}

/// Make room for `extra` more items, growing by a quarter rather than
/// doubling: the big vectors of a search are most of its memory, and
/// doubling leaves a third of them empty on average.
#[inline]
pub(super) fn reserve_quarter<T>(v: &mut Vec<T>, extra: usize) {
    if v.len() + extra > v.capacity() {
        v.reserve_exact(extra.max(v.capacity() / 4).max(16));
    }
}

/// Every state found, stored once: encoded compactly (varints, no
/// padding, no pointers: see [`crate::state::codec`]) one after another in chunks of bytes, with a
/// hash table of their indices. A state is decoded again to expand it.
///
/// Goroutines are stored apart, each distinct one once (SPIN's "collapse"
/// compression): a state holds the numbers of its goroutines, so that the
/// few positions and locals each goroutine goes through are not repeated in
/// every combination with the others.
pub struct StateStore<Mm> {
    bytes: Chunks<u8>,
    /// Where each state's encoding ends in `bytes` (32-bit positions: the
    /// search stops, "the state store is full", when they run out).
    ends: Vec<u32>,
    table: HashTable<u32>,
    scratch: Vec<u8>,
    /// A successor's goroutine numbers (reused).
    numbers: Vec<u32>,
    /// [`StateStore::insert_row`]'s successors: hash, and where their
    /// encodings start and end in `scratch` (reused).
    row: Vec<(u64, usize, usize)>,
    /// Every distinct goroutine, by number, and a table of their numbers.
    gors: Vec<Rc<Gor>>,
    gor_table: HashTable<u32>,
    _mem: PhantomData<Mm>,
}

#[inline]
fn encoding<'b>(bytes: &'b Chunks<u8>, ends: &[u32], i: u32) -> &'b [u8] {
    let i = i as usize;
    bytes.group(if i == 0 { 0 } else { ends[i - 1] }, ends[i])
}

impl<Mm> StateStore<Mm> {
    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Too many bytes for 32-bit positions?
    #[inline]
    pub fn full(&self) -> bool {
        self.bytes.full()
    }

    /// Bytes the store holds: the encodings, their ends and the tables.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.heap_bytes()
            + self.ends.capacity() * 4
            + self.table.capacity() * 5
            + self.gors.capacity() * std::mem::size_of::<Rc<Gor>>()
            + self.gors.len() * (std::mem::size_of::<Gor>() + 16)
            + self.gor_table.capacity() * 5
    }

    /// Bytes the store would take on at once if `more` states were added:
    /// a table twice the size, built while the old one is still held, and
    /// the list of ends grown (copied).
    #[inline]
    pub fn growth_bytes(&self, more: usize) -> u64 {
        let mut b = 0;
        if self.table.len() + more > self.table.capacity() {
            b += table_bytes(self.table.capacity() * 2);
        }
        if self.ends.len() + more > self.ends.capacity() {
            b += (self.ends.capacity() + self.ends.capacity() / 4 + more) as u64 * 4;
        }
        b
    }

    /// The number of goroutine `gor`, stored if it is new.
    #[inline]
    fn gor_number(&mut self, gor: &Rc<Gor>) -> u32 {
        let hash = FxBuildHasher.hash_one(&**gor);
        let gors = &self.gors;
        let entry = self.gor_table.entry(
            hash,
            |&j| *gors[j as usize] == **gor,
            |&j| FxBuildHasher.hash_one(&*gors[j as usize]),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => *o.get(),
            hashbrown::hash_table::Entry::Vacant(v) => {
                let j = self.gors.len() as u32;
                v.insert(j);
                self.gors.push(gor.clone());
                j
            }
        }
    }
}

impl<Mm: Codec> StateStore<Mm> {
    pub(super) fn new() -> Self {
        StateStore {
            // 4 MiB chunks
            bytes: Chunks::new(22),
            ends: Vec::new(),
            table: HashTable::new(),
            scratch: Vec::new(),
            numbers: Vec::new(),
            row: Vec::new(),
            gors: Vec::new(),
            gor_table: HashTable::new(),
            _mem: PhantomData,
        }
    }

    /// State `i`.
    #[inline]
    pub fn get(&self, i: u32) -> State<Mm> {
        self.get_numbered(i).0
    }

    /// State `i`, with the numbers of its goroutines (for [`StateStore::insert_row`]).
    #[inline]
    pub fn get_numbered(&self, i: u32) -> (State<Mm>, SmallVec<[u32; 8]>) {
        let mut r = Reader::new(encoding(&self.bytes, &self.ends, i));
        let (state, gors) = (|| {
            let mem = Mm::decode(&mut r)?;
            let sync = Codec::decode(&mut r)?;
            let chans = Codec::decode(&mut r)?;
            let output = r.u32()?;
            let end = Codec::decode(&mut r)?;
            let current = Codec::decode(&mut r)?;
            // encoded as an empty set when not tracked (see `encode_numbered`)
            let hb = if r.skip(&EMPTY_HB) {
                None
            } else {
                Some(Box::new(Hb::decode(&mut r)?))
            };
            let gors: SmallVec<[u32; 8]> = Codec::decode(&mut r)?;
            let gor_list = gors
                .iter()
                .map(|&j| self.gors.get(j as usize).cloned())
                .collect::<Option<crate::state::Gors>>()?;
            r.done().then_some(())?;
            Some((
                State {
                    mem,
                    sync,
                    chans,
                    gors: gor_list,
                    output,
                    end,
                    current,
                    hb,
                },
                gors,
            ))
        })()
        .expect("a stored state decodes");
        (state, gors)
    }

    /// Store `s` unless it is stored: its index, and whether it is new;
    /// `None` when the store is full.
    pub fn insert(&mut self, s: &State<Mm>) -> Option<(u32, bool)> {
        let enc = self.encode_scratch(s);
        let out = self.lookup_insert(FxBuildHasher.hash_one(&enc[..]), &enc);
        self.scratch = enc;
        out
    }

    /// `s` encoded with its goroutines' numbers (stored if new), in the
    /// scratch buffer, taken: give it back with `self.scratch = …`.
    #[inline(always)]
    fn encode_scratch(&mut self, s: &State<Mm>) -> Vec<u8> {
        let mut numbers = std::mem::take(&mut self.numbers);
        let mut enc = std::mem::take(&mut self.scratch);
        numbers.clear();
        enc.clear();
        for g in &s.gors {
            numbers.push(self.gor_number(g));
        }
        encode_numbered(s, &numbers, &mut enc);
        self.numbers = numbers;
        enc
    }

    /// The index of `s` if it is stored (its goroutines are stored if
    /// new, which changes no state).
    pub fn find(&mut self, s: &State<Mm>) -> Option<u32> {
        let enc = self.encode_scratch(s);
        let (bytes, ends) = (&self.bytes, &self.ends);
        let found = self
            .table
            .find(FxBuildHasher.hash_one(&enc[..]), |&j| {
                encoding(bytes, ends, j) == &enc[..]
            })
            .copied();
        self.scratch = enc;
        found
    }

    /// [`StateStore::insert`] for every successor of `parent` at once, whose
    /// goroutines have the numbers `numbers`: a goroutine that did not change
    /// keeps its number without being looked up (most of a successor's
    /// goroutines are its parent's). Pushes (index, new) per successor to
    /// `found`; `false` when the store filled up (the successors before stay
    /// stored). All are encoded
    /// and hashed first, then looked up one after another: the lookups'
    /// cache misses, independent of each other, then overlap.
    #[inline]
    pub fn insert_row<'s>(
        &mut self,
        succs: impl Iterator<Item = &'s State<Mm>>,
        parent: &State<Mm>,
        numbers: &[u32],
        found: &mut Vec<(u32, bool)>,
    ) -> bool
    where
        Mm: 's,
    {
        let mut own = std::mem::take(&mut self.numbers);
        let mut enc = std::mem::take(&mut self.scratch);
        let mut row = std::mem::take(&mut self.row);
        enc.clear();
        row.clear();
        for s in succs {
            own.clear();
            for (x, g) in s.gors.iter().enumerate() {
                own.push(match parent.gors.get(x) {
                    Some(p) if Rc::ptr_eq(p, g) => numbers[x],
                    _ => self.gor_number(g),
                });
            }
            let start = enc.len();
            encode_numbered(s, &own, &mut enc);
            let hash = FxBuildHasher.hash_one(&enc[start..]);
            row.push((hash, start, enc.len()));
        }
        let mut stored = true;
        for &(hash, start, end) in &row {
            match self.lookup_insert(hash, &enc[start..end]) {
                Some(x) => found.push(x),
                None => {
                    stored = false;
                    break;
                }
            }
        }
        self.numbers = own;
        self.scratch = enc;
        self.row = row;
        stored
    }

    /// Twice the table, filled in state order: each encoding is hashed
    /// again reading the arena front to back (the table's own rehash would
    /// read them in bucket order, a cache miss or two each).
    fn grow_table(&mut self) {
        let mut table = HashTable::with_capacity((self.table.capacity() * 2).max(4));
        let (bytes, ends) = (&self.bytes, &self.ends);
        let rehash = |&j: &u32| FxBuildHasher.hash_one(encoding(bytes, ends, j));
        for j in 0..ends.len() as u32 {
            table.insert_unique(rehash(&j), j, rehash);
        }
        self.table = table;
    }

    /// The index of the state encoded `enc` (hashing to `hash`), stored if
    /// new; `None` when the store is full.
    #[inline]
    fn lookup_insert(&mut self, hash: u64, enc: &[u8]) -> Option<(u32, bool)> {
        if self.table.len() == self.table.capacity() {
            self.grow_table();
        }
        let (bytes, ends) = (&self.bytes, &self.ends);
        // One lookup: a vacant entry is filled only once the encoding is
        // stored (dropped unfilled when the store is full), so the table
        // never holds an index without an encoding.
        let entry = self.table.entry(
            hash,
            |&j| encoding(bytes, ends, j) == enc,
            |&j| FxBuildHasher.hash_one(encoding(bytes, ends, j)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => Some((*o.get(), false)),
            hashbrown::hash_table::Entry::Vacant(v) => self.bytes.push_group(enc).map(|end| {
                let j = self.ends.len() as u32;
                reserve_quarter(&mut self.ends, 1);
                self.ends.push(end);
                v.insert(j);
                (j, true)
            }),
        }
    }
}

/// A state's encoding: everything but the goroutines, then their numbers.
#[inline(always)]
fn encode_numbered<Mm: Codec>(s: &State<Mm>, numbers: &[u32], enc: &mut Vec<u8>) {
    s.mem.encode(enc);
    s.sync.encode(enc);
    s.chans.encode(enc);
    s.output.encode(enc);
    s.end.encode(enc);
    s.current.encode(enc);
    match &s.hb {
        Some(hb) => hb.encode(enc),
        None => enc.extend_from_slice(&EMPTY_HB),
    }
    crate::state::codec::encode_seq(numbers, enc);
}
