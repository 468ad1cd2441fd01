//! What stopped a check: the first phase a limit stopped ([`Stops`]), what
//! the report says about it, and the check's [`Cancel`] made from the
//! options.

use super::CheckOptions;
use crate::search::{Cancel, Limit};
use std::time::Instant;

/// The first phase of a check that a limit stopped, and the limit.
#[derive(Default)]
pub(super) struct Stops {
    first: Option<(Limit, &'static str)>,
}

impl Stops {
    pub(super) fn note(&mut self, stopped: Option<Limit>, phase: &'static str) {
        if self.first.is_none()
            && let Some(l) = stopped
        {
            self.first = Some((l, phase));
        }
    }

    pub(super) fn stopped(&self) -> bool {
        self.first.is_some()
    }

    /// The limit that stopped the check first.
    pub(super) fn by(&self) -> Option<Limit> {
        self.first.map(|x| x.0)
    }

    /// The phase the first limit stopped.
    pub(super) fn phase(&self) -> Option<&'static str> {
        self.first.map(|x| x.1)
    }

    /// What the report says stopped the check, if anything did.
    pub(super) fn message(&self, opts: &CheckOptions) -> Option<String> {
        self.first.map(|(l, phase)| {
            if l.ends_the_check() {
                format!("{} in the {phase}", limit_message(l, opts))
            } else {
                limit_message(l, opts)
            }
        })
    }
}

/// What stops the whole check: the caller's token, with the deadline
/// (`--timeout` is for the whole check, the sc check before it included)
/// and the memory limit it does not set itself taken from the options.
pub(super) fn cancel_of(opts: &CheckOptions) -> (Cancel, TokenLimits) {
    let cancel = opts.cancel.clone().unwrap_or_default();
    if let Some(own) = opts.token_limits {
        // merged already (a check run inside one, the sc check first)
        return (cancel, own);
    }
    let mut cancel = cancel.for_one_check();
    let own = TokenLimits {
        deadline: cancel.deadline.is_some(),
        memory: cancel.max_memory.is_some(),
    };
    cancel.deadline = cancel.deadline.or_else(|| {
        opts.timeout
            .map(|t| Instant::now() + std::time::Duration::from_secs_f64(timeout_seconds(t)))
    });
    // Without --max-memory, stop before the machine would kill us:
    // at 80 % of what was available when the check started.
    cancel.max_memory = cancel.max_memory.or_else(|| {
        opts.max_memory_mib
            .map(|m| m.saturating_mul(1 << 20))
            .or_else(|| {
                let now = crate::search::resident_bytes().unwrap_or(0);
                crate::search::available_bytes().map(|a| now + a / 5 * 4)
            })
    });
    (cancel, own)
}

/// Which limits the caller's token set itself (they take precedence over
/// the options' `timeout` and `max_memory_mib`).
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenLimits {
    deadline: bool,
    memory: bool,
}

/// A timeout as a number of seconds a deadline can be made of: NaN, not
/// a length of time, stops at once like 0 (`Duration::from_secs_f64`
/// panics on it); the rest clamped to 0 ..= 1e9 (about 31 years, an
/// instant that can still be represented).
fn timeout_seconds(t: f64) -> f64 {
    if t.is_nan() { 0.0 } else { t.clamp(0.0, 1e9) }
}

/// What the report says about a limit that stopped the search.
fn limit_message(l: Limit, opts: &CheckOptions) -> String {
    let own = opts.token_limits.unwrap_or_default();
    match l {
        Limit::MaxStates => format!("--max-states {} reached", opts.max_states.unwrap_or(0)),
        Limit::MaxDepth => format!(
            "--max-depth {} reached: runs longer than that were not explored",
            opts.max_depth.unwrap_or(0)
        ),
        Limit::Timeout if own.deadline => "the deadline of the caller's Cancel token passed".into(),
        Limit::Timeout => format!("--timeout {} s reached", opts.timeout.unwrap_or(0.0)),
        Limit::MaxMemory if own.memory => format!(
            "the memory limit of the caller's Cancel token ({} MiB) reached",
            opts.cancel.as_ref().and_then(|c| c.max_memory).unwrap_or(0) >> 20
        ),
        Limit::MaxMemory => match opts.max_memory_mib {
            Some(m) => format!("--max-memory {m} MiB reached"),
            None => {
                "memory limit reached (80% of the memory available at the start; set --max-memory)"
                    .into()
            }
        },
        Limit::StoreFull => {
            "the state store is full (4 GiB of encoded states or 4 G transitions)".to_string()
        }
        Limit::Interrupted => "interrupted".to_string(),
        Limit::Goroutines { line, col } => format!(
            "goroutine limit ({}) reached by the go statement at {line}:{col}: the program starts goroutines without bound",
            crate::semantics::MAX_GOROUTINES
        ),
        Limit::Channels { line, col } => format!(
            "channel limit reached by the make at {line}:{col}: more than {} of the channels it made were in use at once, or made at all in a program whose structs hold channels (grace does not free channels there; runs that need more were not explored)",
            crate::ir::POOL_SIZE
        ),
        Limit::MapEntries { line, col } => format!(
            "map limit reached by the write at {line}:{col}: the map would hold more than {} entries, which grace keeps at most (runs that need more were not explored)",
            crate::ir::MAP_CAP
        ),
        Limit::Structs { line, col } => format!(
            "struct limit reached by the struct made at {line}:{col}: a run had more than {} of the structs made there in use at once, which grace keeps at most per place, or made more in a program whose structs it does not free (runs that need more were not explored)",
            crate::front::structs::STRUCT_POOL
        ),
    }
}
