//! The byte encoding of stored states: every number a LEB128 varint
//! (signed ones zigzagged first), every sequence its length then its items
//! (postcard's format, but for `Option<End>` in one byte), written by hand: encoding and decoding are on the
//! search's hot path (each successor is encoded to be looked up), and going
//! through serde cost a sixth of the search.

/// A value that goes into a stored state.
pub trait Codec: Sized {
    fn encode(&self, out: &mut Vec<u8>);
    /// `None` on bytes that [`Codec::encode`] did not write.
    fn decode(r: &mut Reader<'_>) -> Option<Self>;
}

/// `impl Codec` for a struct: its fields, encoded in the order given.
#[macro_export]
macro_rules! codec_fields {
    ($t:ident { $($f:ident),* }) => {
        impl $crate::state::codec::Codec for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                $($crate::state::codec::Codec::encode(&self.$f, out);)*
            }
            fn decode(r: &mut $crate::state::codec::Reader<'_>) -> Option<Self> {
                Some($t { $($f: $crate::state::codec::Codec::decode(r)?),* })
            }
        }
    };
}

#[inline]
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    // one byte: the usual case
    if v < 0x80 {
        out.push(v as u8);
    } else {
        put_long(out, v);
    }
}

#[inline(never)]
fn put_long(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
pub fn put_i64(out: &mut Vec<u8>, v: i64) {
    put_u64(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// Reads what [`put_u64`] and [`put_i64`] wrote.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// Everything read?
    pub fn done(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Skip `prefix` if the bytes left start with it.
    pub fn skip(&mut self, prefix: &[u8]) -> bool {
        match self.bytes.strip_prefix(prefix) {
            Some(rest) => {
                self.bytes = rest;
                true
            }
            None => false,
        }
    }

    pub fn u64(&mut self) -> Option<u64> {
        // one byte: the usual case
        if let Some((&b, rest)) = self.bytes.split_first()
            && b < 0x80
        {
            self.bytes = rest;
            return Some(b as u64);
        }
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    pub fn i64(&mut self) -> Option<i64> {
        let u = self.u64()?;
        Some((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.u64()?.try_into().ok()
    }

    pub fn seq_len(&mut self) -> Option<usize> {
        // no sequence is longer than the bytes left
        let n = self.u64()? as usize;
        (n <= self.bytes.len()).then_some(n)
    }
}

impl Codec for i64 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_i64(out, *self);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.i64()
    }
}

impl Codec for u64 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, *self);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u64()
    }
}

impl Codec for u32 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, *self as u64);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u32()
    }
}

impl Codec for u16 {
    fn encode(&self, out: &mut Vec<u8>) {
        put_u64(out, *self as u64);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u64()?.try_into().ok()
    }
}

impl Codec for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        match r.u64()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl<A: Codec, B: Codec, C: Codec> Codec for (A, B, C) {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
        self.1.encode(out);
        self.2.encode(out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        Some((A::decode(r)?, B::decode(r)?, C::decode(r)?))
    }
}

pub fn encode_seq<T: Codec>(items: &[T], out: &mut Vec<u8>) {
    put_u64(out, items.len() as u64);
    for x in items {
        x.encode(out);
    }
}

fn decode_seq<T: Codec>(r: &mut Reader<'_>) -> Option<Vec<T>> {
    let n = r.seq_len()?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(T::decode(r)?);
    }
    Some(v)
}

impl<T: Codec> Codec for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_seq(self, out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        decode_seq(r)
    }
}

impl<T: Codec> Codec for Box<[T]> {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_seq(self, out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        decode_seq(r).map(Vec::into_boxed_slice)
    }
}

impl<T: Codec, const N: usize> Codec for smallvec::SmallVec<[T; N]> {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_seq(self, out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.seq_len()?;
        let mut v = smallvec::SmallVec::with_capacity(n);
        for _ in 0..n {
            v.push(T::decode(r)?);
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Codec + PartialEq + std::fmt::Debug>(x: T) {
        let mut out = Vec::new();
        x.encode(&mut out);
        let mut r = Reader::new(&out);
        assert_eq!(T::decode(&mut r), Some(x));
        assert!(r.done());
    }

    #[test]
    fn values_come_back() {
        for v in [0, 1, -1, 63, -64, 64, 300, i64::MAX, i64::MIN] {
            round_trip(v);
        }
        round_trip(u64::MAX);
        round_trip(u32::MAX);
        round_trip(vec![(1u16, 2u32, -3i64), (u16::MAX, 0, i64::MIN)]);
        round_trip(vec![true, false]);
        round_trip(vec![0i64; 3].into_boxed_slice());
        // how a run ended: every kind, and none
        use crate::state::{End, EndKind};
        round_trip(None::<End>);
        for kind in [
            EndKind::Ok,
            EndKind::Deadlock,
            EndKind::Panic,
            EndKind::Assert,
        ] {
            round_trip(Some(End { kind, msg: 7 }));
        }
    }

    #[test]
    fn small_numbers_take_one_byte() {
        let mut out = Vec::new();
        for v in [0i64, 1, -1, 63, -64] {
            v.encode(&mut out);
        }
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn bad_bytes_are_refused_not_misread() {
        assert_eq!(i64::decode(&mut Reader::new(&[0x80; 11])), None);
        assert_eq!(
            u32::decode(&mut Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x7f])),
            None
        );
        assert_eq!(Vec::<i64>::decode(&mut Reader::new(&[0xff, 0x7f])), None);
        assert_eq!(bool::decode(&mut Reader::new(&[2])), None);
    }
}
