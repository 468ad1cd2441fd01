//! What stops a search or a whole check: the search's own limits
//! ([`SearchLimits`]), the check-wide [`Cancel`] (deadline, interrupt,
//! memory) with the [`Limit`] that stopped it, and the memory probes they
//! read.

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

/// Set by the Ctrl-C / SIGTERM handler; every search stops at its next check.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What stops a whole check wherever it is — in a search or in an
/// analysis after it: a deadline, an interrupt flag, and the resident
/// memory of the process. Every phase asks it in its long loops (every
/// 1024 states, or a few thousand cheaper iterations), and a phase it stops
/// leaves the check incomplete.
#[derive(Clone, Copy, Debug)]
pub struct Cancel {
    pub deadline: Option<std::time::Instant>,
    /// Set from outside (the Ctrl-C / SIGTERM handler sets [`INTERRUPTED`]).
    pub interrupted: &'static std::sync::atomic::AtomicBool,
    /// Resident memory of the process, in bytes.
    pub max_memory: Option<u64>,
}

impl Default for Cancel {
    fn default() -> Self {
        Cancel {
            deadline: None,
            interrupted: &INTERRUPTED,
            max_memory: None,
        }
    }
}

impl Cancel {
    /// Why the check must stop now, if it must.
    pub fn stopped(&self) -> Option<Limit> {
        self.stopped_reserving(0)
    }

    /// [`Cancel::stopped`], counting `reserve` more bytes as held (memory
    /// that the phase is about to need).
    pub fn stopped_reserving(&self, reserve: u64) -> Option<Limit> {
        if self.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
            return Some(Limit::Interrupted);
        }
        if self
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            return Some(Limit::Timeout);
        }
        if let Some(max) = self.max_memory
            && resident_bytes().is_some_and(|b| b.saturating_add(reserve) >= max)
        {
            return Some(Limit::MaxMemory);
        }
        None
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

/// Limits on a search.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchLimits {
    pub max_states: Option<usize>,
    pub max_depth: Option<u32>,
    pub cancel: Cancel,
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
