//! What stops a search or a whole check: the search's own limits
//! ([`SearchLimits`]), the check-wide [`Cancel`] (deadline, interrupt,
//! memory) with the [`Limit`] that stopped it, and the memory probes they
//! read.

use crate::semantics::Mode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long a check stopped by time or an interrupt may still take to
/// finish runs from where its search stopped and to make the witnesses of
/// what it found (see [`Cancel::stopped_after_grace`]).
pub const GRACE: Duration = Duration::from_millis(500);

/// Why a search stopped before exploring everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    MaxStates,
    /// States this deep were not expanded (the others were).
    MaxDepth,
    Timeout,
    MaxMemory,
    /// The store's 32-bit positions are used up (4 GiB of encoded states
    /// or 4 G transitions).
    StoreFull,
    Interrupted,
    /// A `go` statement would have started more goroutines than allowed.
    Goroutines {
        line: u32,
        col: u32,
    },
    /// A `make` found every channel of its pool in use.
    Channels {
        line: u32,
        col: u32,
    },
    /// A map write found its map full (`MAP_CAP` entries, 8).
    MapEntries {
        line: u32,
        col: u32,
    },
    /// A `&T{…}` found every struct of its pool made (`STRUCT_POOL`, 8).
    Structs {
        line: u32,
        col: u32,
    },
}

impl Limit {
    /// Stops every search of the check, not only the one that met it: the
    /// time, the memory, an interrupt, the store's capacity.
    pub fn ends_the_check(self) -> bool {
        matches!(
            self,
            Limit::Timeout | Limit::MaxMemory | Limit::Interrupted | Limit::StoreFull
        )
    }
}

/// What stops a whole check wherever it is — in a search or in an
/// analysis after it: a deadline, an interrupt flag, and the resident
/// memory of the process. Every phase asks it in its long loops (every
/// 1024 states, or a few thousand cheaper iterations), and a phase it stops
/// leaves the check incomplete.
///
/// The interrupt flag is the caller's token: clones share it, so whoever
/// keeps a clone (the CLI's Ctrl-C / SIGTERM handler) can stop every check
/// given one with [`Cancel::interrupt`]. A default `Cancel` has a flag of
/// its own that nothing raises, no deadline and no memory limit.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    /// Stop when this instant has passed (when set on the caller's token,
    /// it takes precedence over the options' timeout).
    pub deadline: Option<std::time::Instant>,
    /// Raised from outside (see [`Cancel::interrupt`]): how many times.
    interrupted: Arc<AtomicU32>,
    /// Stop when the process's resident memory reaches this many bytes
    /// (when set on the caller's token, it takes precedence over the
    /// options' memory limit).
    pub max_memory: Option<u64>,
    /// When the grace period after a stop by time or an interrupt ends,
    /// and how many interrupts there had been when it began: set the first
    /// time a phase asks for it ([`Cancel::stopped_after_grace`]), shared
    /// by the clones made for one check ([`Cancel::for_one_check`]).
    grace: Arc<OnceLock<(Instant, u32)>>,
}

impl Cancel {
    /// Stop every check that holds this token (or a clone of it) at its
    /// next look; safe to call from a signal handler's thread.
    pub fn interrupt(&self) {
        self.interrupted.fetch_add(1, Ordering::Relaxed);
    }

    /// Has [`Cancel::interrupt`] been called on this token or a clone?
    pub fn is_interrupted(&self) -> bool {
        self.interrupts() > 0
    }

    /// How many times [`Cancel::interrupt`] was called on this token or a
    /// clone.
    pub fn interrupts(&self) -> u32 {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// This token with a grace period of its own, not yet begun: each
    /// check has one (the caller's token is shared by the checks of
    /// several files).
    pub(crate) fn for_one_check(mut self) -> Self {
        self.grace = Arc::default();
        self
    }

    /// [`Cancel::stopped_reserving`] for what a stopped check still does
    /// to show what it found (finish runs from where its search stopped,
    /// make their witnesses): a stop by time or an interrupt leaves it
    /// [`GRACE`] more, counted from the first time this check asks, which
    /// a further interrupt ends at once. Memory is never given grace.
    pub fn stopped_after_grace(&self, reserve: u64) -> Option<Limit> {
        let l = self.stopped_reserving(reserve)?;
        if !matches!(l, Limit::Timeout | Limit::Interrupted) {
            return Some(l);
        }
        let &(until, seen) = self
            .grace
            .get_or_init(|| (Instant::now() + GRACE, self.interrupts()));
        if Instant::now() >= until || self.interrupts() > seen {
            return Some(l);
        }
        self.over_memory(reserve)
    }

    /// Does the process hold (with `reserve` more bytes) the memory limit?
    fn over_memory(&self, reserve: u64) -> Option<Limit> {
        let max = self.max_memory?;
        resident_bytes()
            .is_some_and(|b| b.saturating_add(reserve) >= max)
            .then_some(Limit::MaxMemory)
    }

    /// Why the check must stop now, if it must.
    pub fn stopped(&self) -> Option<Limit> {
        self.stopped_reserving(0)
    }

    /// [`Cancel::stopped`], counting `reserve` more bytes as held (memory
    /// that the phase is about to need).
    pub fn stopped_reserving(&self, reserve: u64) -> Option<Limit> {
        if self.is_interrupted() {
            return Some(Limit::Interrupted);
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Some(Limit::Timeout);
        }
        self.over_memory(reserve)
    }
}

/// [`Cancel`] asked every few thousand calls of a cheap loop's body.
pub(super) struct Stopper<'c> {
    cancel: &'c Cancel,
    calls: u32,
    pub(super) stopped: Option<Limit>,
}

impl<'c> Stopper<'c> {
    pub(super) fn new(cancel: &'c Cancel) -> Self {
        Stopper {
            cancel,
            calls: 0,
            stopped: None,
        }
    }

    /// Must the loop stop (now or before)?
    pub(super) fn now(&mut self) -> bool {
        if self.stopped.is_none() {
            self.calls += 1;
            if self.calls >= 4096 {
                self.calls = 0;
                self.stopped = self.cancel.stopped();
            }
        }
        self.stopped.is_some()
    }
}

/// Limits on a search, and who hears of its progress.
#[derive(Clone, Debug, Default)]
pub struct SearchLimits {
    pub max_states: Option<usize>,
    pub max_depth: Option<u32>,
    pub cancel: Cancel,
    /// Called as the search goes (see [`Progress`]).
    pub progress: Option<OnProgress>,
    /// When a limit stops the search, finish runs from the states it found
    /// and did not expand (see `finish.rs`), so that what they reach is
    /// reported too.
    pub finish_runs: bool,
}

/// Where a search stands: reported to the progress callback of the options
/// (`Options::on_progress`) every 4096 states expanded (from the first) and once when it ends.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Which search: all interleavings, or the runs without preemption.
    pub mode: Mode,
    pub states: usize,
    pub transitions: usize,
    /// States found and not yet expanded.
    pub frontier: usize,
    /// Distinct outcomes (how a run ended, with the final values and
    /// output) among the runs seen to their end so far.
    pub outcomes: usize,
    /// The search is over: the last report of this search.
    pub done: bool,
}

/// A progress callback (the CLI's draws a spinner on a terminal). Called
/// on the searching thread, between states: it should be quick.
#[derive(Clone)]
pub struct OnProgress(pub Arc<dyn Fn(&Progress) + Send + Sync>);

impl OnProgress {
    pub fn new(f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        OnProgress(Arc::new(f))
    }

    /// Report `p`.
    #[inline]
    pub fn report(&self, p: &Progress) {
        (self.0)(p)
    }
}

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

/// Memory the machine can still give, in bytes (Linux), if known.
pub fn available_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Peak resident memory of this process in bytes (Linux), if known.
pub fn peak_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resident memory of this process in bytes (Linux), if known.
pub fn resident_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
