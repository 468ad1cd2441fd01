//! Never-ending runs: the states from which no run can end, found by
//! sweeping the explored graph backwards (analysis turns them into loops).

use super::Explored;
use super::limits::{Cancel, Limit, Stopper};

impl<Mm> Explored<Mm> {
    /// States from which no run can end (only meaningful when complete).
    ///
    /// Sweeps from the last state to the first, marking a state that has a
    /// transition into one marked: the search numbers states breadth first,
    /// so most transitions lead to later states and one sweep marks nearly
    /// everything; a sweep that marks nothing more is the fixpoint. Only
    /// when a few sweeps have not settled it (long chains back to earlier
    /// states) does it build the predecessor lists and walk them backwards.
    ///
    /// `Err` when `cancel` stopped it.
    pub fn never_ending(&self, cancel: &Cancel) -> Result<Vec<bool>, Limit> {
        self.never_ending_sweeping(3, cancel)
    }

    pub(super) fn never_ending_sweeping(
        &self,
        sweeps: usize,
        cancel: &Cancel,
    ) -> Result<Vec<bool>, Limit> {
        let n = self.states.len();
        let mut can_end = vec![false; n];
        for t in &self.terminals {
            can_end[t.0 as usize] = true;
        }
        let mut stop = Stopper::new(cancel);
        let mut settled = false;
        for _ in 0..sweeps {
            let mut changed = false;
            for x in (0..n).rev() {
                if stop.now() {
                    return Err(stop.stopped.unwrap_or(Limit::Interrupted));
                }
                if !can_end[x]
                    && self
                        .graph
                        .out(x as u32)
                        .iter()
                        .any(|e| can_end[e.to() as usize])
                {
                    can_end[x] = true;
                    changed = true;
                }
            }
            if !changed {
                settled = true;
                break;
            }
        }
        if !settled {
            let need = (n as u64 + 1) * 8 + self.graph.edge_count() as u64 * 4 + n as u64 * 4;
            if let Some(l) = cancel.stopped_reserving(need) {
                return Err(l);
            }
            let mut stack: Vec<u32> = (0..n as u32).filter(|&x| can_end[x as usize]).collect();
            let (start, preds) = self.graph.predecessors(n);
            while let Some(x) = stack.pop() {
                if stop.now() {
                    return Err(stop.stopped.unwrap_or(Limit::Interrupted));
                }
                for &p in &preds[start[x as usize] as usize..start[x as usize + 1] as usize] {
                    if !can_end[p as usize] {
                        can_end[p as usize] = true;
                        stack.push(p);
                    }
                }
            }
        }
        Ok(can_end.into_iter().map(|c| !c).collect())
    }
}
