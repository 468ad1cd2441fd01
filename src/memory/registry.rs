//! The memory models a caller can name, and the one place that turns a
//! name into the model's type: [`Memory::with`] is the only `match` on the
//! model in grace. The check is generic over [`MemoryModel`] (each model's
//! memory is part of the explored state, so the search is compiled once per
//! model); everything that starts from a [`Memory`] value — the library's
//! `check_*` functions, the command line's `--memory`, `grace test`'s
//! header lines — goes through here.
//!
//! Adding a model: its file in `src/memory/`, a variant below, its arm in
//! [`Memory::with`] and its place in [`Memory::ALL`] (the command line
//! lists and parses the models from there).

use super::MemoryModel;
use super::go::Go;
use super::sc::Sc;
use super::tso::Tso;

/// A memory model for plain shared variables (LANGUAGE.md §5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Memory {
    /// Sequential consistency: a read returns the latest write.
    Sc,
    /// x86-TSO: per-goroutine FIFO store buffers, flushed at any time.
    Tso,
    /// The Go memory model: a read may return any write the reader is not
    /// yet ordered after by happens-before (stale reads). The default, as
    /// on the command line.
    #[default]
    Go,
}

/// Work to do with a model whose type is known: a closure generic over the
/// model, which Rust closures cannot be. [`Memory::with`] calls
/// [`WithModel::run`] with the model named.
pub trait WithModel {
    type Output;
    fn run<M: MemoryModel>(self, model: &M) -> Self::Output;
}

impl Memory {
    /// Every model, in the order `--help` lists them.
    pub const ALL: [Memory; 3] = [Memory::Sc, Memory::Tso, Memory::Go];

    /// Run `work` with the model's type: the only match on the model.
    pub fn with<W: WithModel>(self, work: W) -> W::Output {
        match self {
            Memory::Sc => work.run(&Sc),
            Memory::Tso => work.run(&Tso),
            Memory::Go => work.run(&Go),
        }
    }

    /// The name on the command line and in reports: `sc`, `tso`, `go`.
    pub fn name(self) -> &'static str {
        struct Name;
        impl WithModel for Name {
            type Output = &'static str;
            fn run<M: MemoryModel>(self, model: &M) -> &'static str {
                model.name()
            }
        }
        self.with(Name)
    }

    /// One line saying what a read may return (for `--help`).
    pub fn about(self) -> &'static str {
        struct About;
        impl WithModel for About {
            type Output = &'static str;
            fn run<M: MemoryModel>(self, model: &M) -> &'static str {
                model.about()
            }
        }
        self.with(About)
    }

    /// The model of a name, if there is one.
    pub fn from_name(name: &str) -> Option<Memory> {
        Memory::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_has_its_own_name() {
        for m in Memory::ALL {
            assert_eq!(Memory::from_name(m.name()), Some(m));
            assert!(!m.about().ends_with('.'), "{m}: --help adds no period");
        }
        assert_eq!(Memory::from_name("seq"), None);
        assert_eq!(Memory::default(), Memory::Go);
    }

    /// What each model declares about DRF-SC and being sc.
    #[test]
    fn models_declare_what_the_analysis_relies_on() {
        struct Declares;
        impl WithModel for Declares {
            type Output = (bool, bool);
            fn run<M: MemoryModel>(self, model: &M) -> (bool, bool) {
                (model.drf_sc(), model.is_sc())
            }
        }
        assert_eq!(Memory::Sc.with(Declares), (true, true));
        assert_eq!(Memory::Tso.with(Declares), (true, false));
        assert_eq!(Memory::Go.with(Declares), (true, false));
    }
}
