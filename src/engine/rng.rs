//! Random streams: one per (seed, replication), from a named, portable generator, so results
//! do not depend on how replications are spread over threads (docs/model.md).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every simulation draws from.
pub type Stream = Xoshiro256PlusPlus;

/// The stream of replication `replication` under master seed `seed`: Xoshiro256++ seeded
/// (through SplitMix64) from a bijective mix of the pair, so distinct replications of one run
/// never share a stream.
pub fn replication_stream(seed: u64, replication: u64) -> Stream {
    Stream::seed_from_u64(seed ^ mix64(replication ^ 0x6A09_E667_F3BC_C909))
}

/// A stream of its own for one kind of draw in a replication, seeded from `stream`'s next draw
/// (which it takes): draws of that kind can then vary in number, from one variant of a run
/// to another, without shifting the draws that follow on `stream`.
pub(super) fn split_off(stream: &mut Stream) -> Stream {
    Stream::seed_from_u64(stream.next_u64())
}

/// How far ahead of a stream a sub-stream starts: far enough that no replication draws its way
/// from one to the next.
#[derive(Debug, Clone, Copy)]
pub(super) enum Leap {
    /// 2^128 draws.
    Jump,
    /// 2^192 draws.
    LongJump,
}

/// A copy of `stream` that starts `leap` ahead of it; `stream` itself does not move.
pub(super) fn leaped(stream: &Stream, leap: Leap) -> Stream {
    let mut ahead = stream.clone();
    match leap {
        Leap::Jump => ahead.jump(),
        Leap::LongJump => ahead.long_jump(),
    }
    ahead
}

/// The SplitMix64 finaliser: a bijection on u64 that scatters nearby inputs.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_replication_and_seed_and_repeat() {
        let first = |seed, rep| replication_stream(seed, rep).next_u64();
        assert_eq!(first(1, 0), first(1, 0));
        assert_ne!(first(1, 0), first(1, 1));
        assert_ne!(first(1, 0), first(2, 0));
    }
}
