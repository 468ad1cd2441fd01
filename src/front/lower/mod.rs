//! Checking and lowering of function bodies: names resolved, types checked
//! (by the rules of [`crate::front::types`]) and each function turned into a
//! compact step program ([`crate::ir::Function`]), in one walk per function.
//!
//! This file owns the `Lowerer` (the program being built), the per-function
//! state (`Fx`: code, scopes, loops), the entry point [`lower`] and
//! functions as a whole. Each family of statements and expressions has its
//! own file: `stmt.rs` (dispatch, `if`, `return`, blocks), `assign.rs`
//! (declarations and assignments), `loops.rs` (`for`, `range`),
//! `switch.rs` (`switch`, `fallthrough`), `labels.rs` (labels, `break L`,
//! `continue L`),
//! `consts.rs` (`const` in a body), `expr.rs` (operators, names, indexing), `call.rs` (calls, builtins, `go`,
//! func literals), `results.rs` (several and named results, `return`,
//! `a, b := f()`, `var` specs in bodies), `defer.rs` (`defer`),
//! `recover.rs` (`recover()`, `nil`, what a deferred literal may use of
//! its function), `funcval.rs` (func variables: `f := func…` and its
//! calls), `chan.rs` (send, receive, close, range over a channel,
//! `select`), `maps.rs` (maps: declarations and every operation),
//! `sync.rs` (mutex, RWMutex, WaitGroup and atomic methods),
//! `once.rs` (`once.Do(f)`), `slices.rs` (slice literals read as arrays) and
//! `expect.rs` (`expect` conditions, `assert`, `panic`).

mod assign;
mod atomic_fn;
mod call;
mod capture;
mod chan;
mod consts;
mod defer;
mod expect;
mod expr;
mod funcval;
mod ints;
mod labels;
mod loops;
mod make;
pub(crate) mod maps;
mod multi;
mod once;
mod recover;
mod results;
pub(crate) mod slices;
mod stmt;
mod switch;
mod sync;

use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic, Source};
use crate::front::globals::{GSym, Globals, Sig, check_globals, param_type};
use crate::ir::*;
use std::collections::{HashMap, HashSet};

/// Check a parsed file and lower it to a [`Program`].
pub fn lower(file: &File, src: &Source) -> DResult<Program> {
    lower_file(file, src).map_err(|mut d| {
        d.message = crate::front::structs::tidy(&d.message);
        d
    })
}

fn lower_file(file: &File, src: &Source) -> DResult<Program> {
    let (file, layout) = crate::front::structs::desugar(file, &capture::once_functions(file), src)?;
    let file = &file;
    crate::ir::set_struct_names(layout.names());
    let mut g = check_globals(file)?;
    layout.apply(&mut g)?;
    let g = g;
    // a struct type's fields as a value's: only the types whose fields
    // are all values (the pass makes no value of the others)
    let struct_fields = layout
        .fields()
        .into_iter()
        .map(|fs| {
            fs.iter()
                .map(|(n, t, sp)| Ok((n.clone(), crate::front::globals::value_type(t, *sp)?)))
                .collect::<DResult<Vec<_>>>()
                .unwrap_or_default()
        })
        .collect();
    let mut l = Lowerer {
        struct_fields,
        struct_methods: layout.methods(),
        g: &g,
        src,
        sigs: g.sigs.clone(),
        funcs: vec![None; g.sigs.len()],
        selects: Vec::new(),
        prints: Vec::new(),
        strings: Vec::new(),
        string_ids: HashMap::new(),
        up: None,
        wrapped_with_results: Vec::new(),
        const_memo: Default::default(),
        up_consts: None,
        chans: g.chans.clone(),
        heap_sites: Vec::new(),
        struct_sites: Vec::new(),
        naming: None,
        hidden: Vec::new(),
        up_shared: None,
        lit_once: false,
        plain_names: g.plain_names.clone(),
        plain_tys: g.plain_tys.clone(),
        plain_init: g.plain_init.clone(),
        globals: g.globals.clone(),
        sync_kinds: g.sync_kinds.clone(),
        sync_names: g.sync_names.clone(),
        sync_init: g.sync_init.clone(),
        once_funcs: capture::once_functions(file),
        maps: g.maps.clone(),
        bound: Vec::new(),
        hidden_funcs: Vec::new(),
    };
    l.map_strings();
    for (id, &item) in g.func_items.iter().enumerate() {
        let Item::Func(f) = &file.items[item] else {
            unreachable!()
        };
        let results = g.sigs[id].results.clone();
        let func = l.function(
            &f.name.name,
            &f.params,
            (&f.results, &results),
            &f.body,
            None,
        )?;
        l.funcs[id] = Some(func);
    }
    l.no_recover_through_wrapper()?;
    let expects = l.expects(file)?;
    let main = match g.syms.get("main") {
        Some((GSym::Func(id), _)) => *id,
        _ => unreachable!("checked"),
    };
    Ok(Program {
        funcs: l
            .funcs
            .into_iter()
            .map(|f| f.expect("every function lowered"))
            .collect(),
        main,
        selects: l.selects,
        prints: l.prints,
        strings: l.strings,
        plain_names: l.plain_names,
        plain_tys: l.plain_tys,
        plain_init: l.plain_init,
        sync_kinds: l.sync_kinds,
        sync_names: l.sync_names,
        sync_init: l.sync_init,
        chans: l.chans,
        heap_sites: l.heap_sites,
        struct_sites: l
            .struct_sites
            .into_iter()
            .map(|site| StructSite {
                slots: layout.site_slots(l.g, site.ty, site.first),
                ..site
            })
            .collect(),
        pooled: layout.pooled(l.g),
        globals: l.globals,
        expects,
        daemons: Vec::new(),
        structs: layout.table(),
        struct_fields: l.struct_fields,
        maps: l.maps,
    })
}

/// The program being built: the checked top level, the functions lowered
/// so far (func literals are appended as they are met) and the tables of
/// selects, prints and strings that instructions refer to by number.
struct Lowerer<'a> {
    /// Each struct type's fields as a value's ([`Program::struct_fields`]).
    struct_fields: Vec<Vec<(String, Ty)>>,
    /// Each struct type's methods: name → (function, pointer receiver).
    struct_methods: Vec<HashMap<String, (String, bool)>>,
    g: &'a Globals,
    src: &'a Source,
    sigs: Vec<Sig>,
    funcs: Vec<Option<Function>>,
    selects: Vec<SelectSpec>,
    prints: Vec<PrintSpec>,
    strings: Vec<String>,
    string_ids: HashMap<String, u32>,
    /// What the func literal about to be lowered may use of the function
    /// deferring it (set by `defer func() { … }()` only).
    up: Option<HashMap<String, Option<Local>>>,
    /// Declared functions with results deferred by name, through a
    /// wrapper, and where (`recover.rs` refuses those that call recover).
    wrapped_with_results: Vec<(FuncId, Span)>,
    /// Which expressions (by span) are constant: see `ints.rs`.
    const_memo: std::cell::RefCell<HashMap<(usize, usize), bool>>,
    /// The body constants the func literal about to be lowered sees.
    up_consts: Option<HashMap<String, (i64, Ty)>>,
    /// The channels: the top level's, then those `make` adds (`make.rs`).
    chans: Vec<ChanInfo>,
    heap_sites: Vec<HeapSite>,
    struct_sites: Vec<StructSite>,
    /// The variable the value being lowered is for (`ch := make(…)`),
    /// which names the channel a `make` there creates.
    naming: Option<String>,
    /// The variables the func literal about to be lowered captures by
    /// value (`capture.rs`): its hidden parameters, after the declared ones.
    /// A captured array has its length, and whether it was a slice
    /// literal (`slices.rs`).
    hidden: Vec<(String, Ty, Option<u16>, bool)>,
    /// The declared functions whose body runs at most once per run
    /// (`capture::once_functions`).
    once_funcs: HashSet<String>,
    /// The shared variables the func literal about to be lowered sees.
    up_shared: Option<HashMap<String, Local>>,
    /// Does the func literal about to be lowered run at most once per run
    /// (`call.rs`, `lit_function`)?
    lit_once: bool,
    /// The plain shared slots: the top level's, then main's variables
    /// shared with goroutines (`capture.rs`).
    plain_names: Vec<String>,
    plain_tys: Vec<Ty>,
    plain_init: Vec<i64>,
    globals: Vec<GlobalInfo>,
    /// The sync objects: the top level's, then main's (`capture.rs`).
    sync_kinds: Vec<SyncKind>,
    sync_names: Vec<String>,
    sync_init: Vec<i64>,
    /// The maps: the top level's, then those bodies that run once make
    /// (`maps.rs`).
    maps: Vec<MapInfo>,
    /// The functions func variables stand for (`funcval.rs`).
    bound: Vec<funcval::Bound>,
    /// The func variables the func literal about to be lowered calls, each
    /// with its function and the types of the captured values passed to
    /// it as hidden parameters after `hidden` (`funcval.rs`).
    hidden_funcs: Vec<(String, FuncId, u16, Vec<Ty>)>,
}

/// A local variable: its first slot, its type, and its length if it is an
/// array (one slot per element).
#[derive(Clone, Copy, Debug)]
struct Local {
    slot: u16,
    ty: Ty,
    len: Option<u16>,
    /// A constant declared in the body (`const n = 3`) has no slot: its
    /// value (for a string, its number in `Program::strings`). Only
    /// `lookup_konst` finds it; `lookup_local` sees it as hiding the name.
    konst: Option<i64>,
    /// A variable of main shared with goroutines (`capture.rs`) has no
    /// slot either: it is this plain shared slot, read and written in steps.
    shared: Option<u32>,
    /// A sync object declared in main (`var wg sync.WaitGroup`) has none
    /// either: it is this object of the sync table.
    object: Option<(SyncKind, u32)>,
    /// A func variable (`add := func(n int) { … }`, never reassigned) has
    /// none either: it is this entry of [`Lowerer::bound`], the function
    /// every call of it calls (`funcval.rs`).
    func: Option<u32>,
}

impl Local {
    /// A name with no slot of its own (a shared variable, a sync object, a
    /// func variable: the caller sets which), of type `ty`.
    fn slotless(ty: Ty) -> Local {
        Local {
            slot: u16::MAX,
            ty,
            len: None,
            konst: None,
            shared: None,
            object: None,
            func: None,
        }
    }
}

/// An enclosing loop or `select`: the jumps of its `break`s and
/// `continue`s, patched when its end is known.
struct LoopCx {
    is_select: bool,
    breaks: Vec<usize>,
    continues: Vec<usize>,
}

/// The function being lowered: its code with a source position per
/// instruction, its scopes and enclosing loops.
struct Fx {
    code: Vec<Instr>,
    locs: Vec<(u32, u32)>,
    scopes: Vec<HashMap<String, Local>>,
    nlocals: u32,
    /// The function's result types.
    results: Vec<Ty>,
    /// Its results are named (a bare `return` returns them).
    named: bool,
    /// The first of its result locals, when it has some (`results.rs`).
    result_slot: Option<u16>,
    loops: Vec<LoopCx>,
    /// Locals of enclosing functions (for a func literal), which it may not use.
    outer: HashSet<String>,
    /// Constants declared in the bodies of enclosing functions, which a
    /// func literal may use (and which hide globals of the same name).
    outer_consts: HashMap<String, (i64, Ty)>,
    /// For a deferred func literal: the locals of the function deferring
    /// it that it uses in place (`recover.rs`).
    up: HashMap<String, Option<Local>>,
    /// The labels met so far (Go's labels are known in the whole function).
    labels: Vec<labels::LabelCx>,
    /// The names the body may assign after their declaration (`capture.rs`).
    assigned: HashSet<String>,
    /// Does the function being lowered run at most once per run (main,
    /// an init, a function called once: `capture::once_functions`; a func
    /// literal started, deferred or `Do`ne at loop depth 0 of such a
    /// body)? Outside loops, a `make` there makes one channel, a map one
    /// map, a sync object or shared variable one for the run.
    once: bool,
    /// How many `for` loops the code being lowered is in.
    loop_depth: u32,
    /// The type of each local slot (what the heap's walk reads).
    local_tys: Vec<Ty>,
    /// The variables of main shared with the goroutines of its func
    /// literals, seen by every func literal inside (`capture.rs`).
    shared: HashMap<String, Local>,
    /// The names the func literals that `go` starts here use (deep).
    go_used: HashSet<String>,
    /// The names this body (func literals in it included) gives `&` to,
    /// each with its first `&`: a local of one of these names is an atomic
    /// variable (`capture.rs`, `declare_atomic_var`).
    atomic_targets: HashMap<String, Span>,
    /// The first slots of the local arrays made from slice literals
    /// (`slices.rs`), for the messages that refuse them as slices.
    slices: HashSet<u16>,
    /// The local arrays whose elements the body may assign (deep): the
    /// others are read only, and a func literal may copy them.
    index_assigned: HashSet<String>,
}

impl Fx {
    /// A function's lowering state before its first statement.
    fn new(result: Option<Ty>, outer: HashSet<String>) -> Self {
        Fx {
            code: Vec::new(),
            locs: Vec::new(),
            scopes: vec![HashMap::new()],
            nlocals: 0,
            results: result.into_iter().collect(),
            named: false,
            result_slot: None,
            loops: Vec::new(),
            outer,
            outer_consts: HashMap::new(),
            up: HashMap::new(),
            labels: Vec::new(),
            assigned: HashSet::new(),
            once: false,
            loop_depth: 0,
            local_tys: Vec::new(),
            shared: HashMap::new(),
            go_used: HashSet::new(),
            atomic_targets: HashMap::new(),
            slices: HashSet::new(),
            index_assigned: HashSet::new(),
        }
    }
}

/// Where a channel, sync object or atomic lives, as resolved from an
/// expression (a channel with its type: its element and direction).
enum Obj {
    Sync(SyncKind, Ref),
    Chan(ChanTy, Ref),
}

/// An error at `span`, as a result.
fn err<T>(span: Span, msg: impl Into<String>) -> DResult<T> {
    Err(Diagnostic::new(span, msg))
}

impl<'a> Lowerer<'a> {
    /// Check and lower one function (or func literal, with the locals of
    /// the functions around it in `outer`).
    fn function(
        &mut self,
        name: &str,
        params: &[Param],
        (results, result_tys): (&[ResultParam], &[Ty]),
        body: &Block,
        outer: Option<HashSet<String>>,
    ) -> DResult<Function> {
        let is_literal = outer.is_some();
        let mut fx = Fx::new(None, outer.unwrap_or_default());
        let names = capture::Names::of_block(body);
        fx.assigned = names.assigned;
        fx.index_assigned = names.index_assigned;
        if names.returns_values {
            // `return 5` writes the named results, which a goroutine
            // started before it may still read
            let named = results.iter().filter_map(|r| r.name.as_ref());
            fx.assigned.extend(named.map(|n| n.name.clone()));
        }
        fx.go_used = capture::go_literal_names(body);
        fx.atomic_targets = crate::front::atomics::targets_in(body);
        fx.shared = self.up_shared.take().unwrap_or_default();
        fx.once = match is_literal {
            true => std::mem::take(&mut self.lit_once),
            false => self.once_funcs.contains(name),
        };
        fx.up = self.up.take().unwrap_or_default();
        fx.outer_consts = self.up_consts.take().unwrap_or_default();
        let mut param_tys = Vec::new();
        for p in params {
            let ty = param_type(&p.ty, p.ty_span)?;
            param_tys.push(ty);
            if p.name.name == "_" {
                fx.nlocals += 1;
                fx.local_tys.push(ty);
                continue;
            }
            if fx.scopes[0].contains_key(&p.name.name) {
                return err(
                    p.name.span,
                    format!("duplicate parameter `{}`", p.name.name),
                );
            }
            self.declare(&mut fx, &p.name, ty, None)?;
        }
        let hidden = std::mem::take(&mut self.hidden);
        for (n, ty, len, slice) in &hidden {
            param_tys.extend(std::iter::repeat_n(*ty, len.unwrap_or(1) as usize));
            let id = Ident {
                name: n.clone(),
                span: body.span,
            };
            let l = self.declare(&mut fx, &id, *ty, *len)?;
            if *slice {
                fx.slices.insert(l.slot);
            }
        }
        // a captured array is one hidden parameter per element
        let ncaps: usize = hidden.iter().map(|h| h.2.unwrap_or(1) as usize).sum();
        let nhidden = ncaps + self.declare_called_funcs(&mut fx, &mut param_tys, body.span)?;
        self.result_slots(&mut fx, results, result_tys, body)?;
        if name == "main" {
            self.run_inits(&mut fx, body.span);
        }
        self.block_stmts(&mut fx, &body.stmts)?;
        if !result_tys.is_empty() {
            if !terminates(&body.stmts) {
                let end = Span::new(body.span.end.saturating_sub(1), body.span.end);
                return err(end, "missing return at end of function");
            }
        } else {
            self.emit(
                &mut fx,
                Instr::Return { value: false },
                Span::new(body.span.end.saturating_sub(1), body.span.end),
            );
        }
        // A function that falls off its end after a terminating statement
        // still gets a return, so that no pc runs past the code; a panic
        // recovered in a call it deferred resumes there.
        self.final_return(
            &mut fx,
            Span::new(body.span.end.saturating_sub(1), body.span.end),
        );
        Ok(Function {
            name: name.to_string(),
            nparams: (params.len() + nhidden) as u16,
            nlocals: fx.nlocals as u16,
            param_tys,
            local_tys: fx.local_tys,
            results: result_tys.to_vec(),
            up_tys: Vec::new(),
            code: fx.code,
            locs: fx.locs,
            deferred: false,
        })
    }

    /// Go runs the `func init`s, in declaration order, on the main goroutine
    /// before `main`'s body: calls at its start, so their steps are main's.
    fn run_inits(&self, fx: &mut Fx, body: Span) {
        for &id in &self.g.inits {
            self.emit(fx, Instr::Call { func: id, argc: 0 }, body);
        }
    }

    /// Append an instruction, remembering the source position of `span`;
    /// returns its pc.
    fn emit(&self, fx: &mut Fx, i: Instr, span: Span) -> usize {
        let (l, c) = self.src.line_col(span.start);
        fx.code.push(i);
        fx.locs.push((l as u32, c as u32));
        fx.code.len() - 1
    }

    /// The pc the next instruction will have.
    fn here(fx: &Fx) -> u32 {
        fx.code.len() as u32
    }

    /// Point the jump at `at` to `target`, once it is known.
    fn patch(fx: &mut Fx, at: usize, target: u32) {
        fx.code[at] = match fx.code[at] {
            Instr::Jump(_) => Instr::Jump(target),
            Instr::JumpIf(b, _) => Instr::JumpIf(b, target),
            other => unreachable!("patching {other:?}"),
        };
    }

    /// The number of the string `s` in the program's table (each stored once).
    fn string_id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), id);
        id
    }

    /// Give `name` the next free slots (one, or `len` for an array) in the
    /// innermost scope; `_` takes its slots but is never found.
    fn declare(&self, fx: &mut Fx, name: &Ident, ty: Ty, len: Option<u16>) -> DResult<Local> {
        let size = len.unwrap_or(1) as u32;
        if fx.nlocals + size > u16::MAX as u32 {
            return err(name.span, "too many local variables in one function");
        }
        let local = Local {
            slot: fx.nlocals as u16,
            ty,
            len,
            konst: None,
            shared: None,
            object: None,
            func: None,
        };
        fx.nlocals += size;
        fx.local_tys.extend(std::iter::repeat_n(ty, size as usize));
        if name.name != "_" {
            fx.scopes
                .last_mut()
                .unwrap()
                .insert(name.name.clone(), local);
        }
        Ok(local)
    }

    /// A hidden local for the lowering's own use (loop counters, limits).
    fn temp(&self, fx: &mut Fx, span: Span) -> DResult<Local> {
        let name = Ident {
            name: String::new(),
            span,
        };
        self.declare(fx, &name, Ty::Int, None)
    }

    /// The innermost local variable named `name`, if any (a constant
    /// declared in the body hides the variables around it).
    fn lookup_local(fx: &Fx, name: &str) -> Option<Local> {
        let l = fx
            .scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name).copied())
            .or_else(|| fx.shared.get(name).copied())?;
        l.konst.is_none().then_some(l)
    }

    /// Why `name`, found neither as a variable nor at top level, cannot be
    /// used here: it is a body's constant, or undefined.
    fn undefined(fx: &Fx, name: &str) -> String {
        match Self::lookup_konst(fx, name) {
            Some(_) => format!(
                "{name} is a constant: it cannot be assigned, called, indexed or used as an object"
            ),
            None => format!("undefined: {name}"),
        }
    }

    /// The constant declared in the body (or in a function around a func
    /// literal) that `name` names here: its value and type.
    fn lookup_konst(fx: &Fx, name: &str) -> Option<(i64, Ty)> {
        match fx.scopes.iter().rev().find_map(|s| s.get(name).copied()) {
            Some(l) => l.konst.map(|v| (v, l.ty)),
            None => fx.outer_consts.get(name).copied(),
        }
    }

    /// Fail if `name` is a local of an enclosing function (a capture).
    fn no_capture(fx: &Fx, name: &str, span: Span) -> DResult<()> {
        if Self::lookup_local(fx, name).is_none() && fx.outer.contains(name) {
            return err(
                span,
                format!(
                    "func literal captures the local `{name}` of the enclosing function: pass it as an argument instead"
                ),
            );
        }
        Ok(())
    }

    /// Statements in a scope of their own.
    fn block_stmts(&mut self, fx: &mut Fx, stmts: &[Stmt]) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        for s in stmts {
            self.stmt(fx, s)?;
        }
        fx.scopes.pop();
        Ok(())
    }
}

/// The Go name of a sync object's type, for messages.
fn sync_type_name(k: SyncKind) -> std::borrow::Cow<'static, str> {
    std::borrow::Cow::Borrowed(match k {
        SyncKind::Mutex => "sync.Mutex",
        SyncKind::RWMutex => "sync.RWMutex",
        SyncKind::WaitGroup => "sync.WaitGroup",
        SyncKind::Once => "sync.Once",
        SyncKind::Cond => "*sync.Cond",
        SyncKind::AtomicInt(Ty::Int32) => "atomic.Int32",
        SyncKind::AtomicInt(Ty::Uint32) => "atomic.Uint32",
        SyncKind::AtomicInt(Ty::Uint64) => "atomic.Uint64",
        SyncKind::AtomicInt(_) => "atomic.Int64",
        SyncKind::AtomicVar(t) => return t.name(),
        SyncKind::AtomicBool => "atomic.Bool",
    })
}

/// Go's "terminating statement" rule, simplified: does control never reach
/// the end of this statement list?
fn terminates(stmts: &[Stmt]) -> bool {
    let Some(last) = stmts.last() else {
        return false;
    };
    match &last.kind {
        StmtKind::Return(_) => true,
        StmtKind::Expr(e) => {
            matches!(&e.kind, ExprKind::Call(f, _) if matches!(&f.kind, ExprKind::Name(n) if n == "panic"))
        }
        StmtKind::Block(b) => terminates(&b.stmts),
        StmtKind::If(_, _, then, Some(els)) => {
            terminates(&then.stmts) && terminates(std::slice::from_ref(els))
        }
        StmtKind::For(ForKind::Forever, body)
        | StmtKind::For(ForKind::Clause(_, None, _), body) => !has_break(&body.stmts),
        StmtKind::Select(cl) => cl
            .iter()
            .all(|c| terminates(&c.body) && !has_break(&c.body)),
        StmtKind::Switch(_, _, cl) => {
            cl.iter().any(|c| c.default) && cl.iter().all(|c| {
                (terminates(&c.body)
                    || matches!(c.body.last(), Some(s) if matches!(s.kind, StmtKind::Fallthrough)))
                    && !has_break(&c.body)
            })
        }
        StmtKind::Labeled(l, s) => {
            terminates(std::slice::from_ref(s)) && !breaks_to(&l.name, std::slice::from_ref(s))
        }
        _ => false,
    }
}

/// Does a `break` in these statements leave the enclosing loop or select?
fn has_break(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::Block(b) => has_break(&b.stmts),
        StmtKind::If(_, _, t, e) => {
            has_break(&t.stmts)
                || e.as_ref()
                    .is_some_and(|e| has_break(std::slice::from_ref(e)))
        }
        _ => false,
    })
}

/// Is there a `break L` for the label `name` anywhere in these statements
/// (such a break makes the labelled statement non-terminating)?
fn breaks_to(name: &str, stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::BreakTo(l) => l.name == name,
        StmtKind::Block(b) | StmtKind::For(_, b) => breaks_to(name, &b.stmts),
        StmtKind::If(_, _, t, e) => {
            breaks_to(name, &t.stmts)
                || e.as_ref()
                    .is_some_and(|e| breaks_to(name, std::slice::from_ref(e)))
        }
        StmtKind::Select(cl) => cl.iter().any(|c| breaks_to(name, &c.body)),
        StmtKind::Switch(_, _, cl) => cl.iter().any(|c| breaks_to(name, &c.body)),
        StmtKind::Labeled(_, s) => breaks_to(name, std::slice::from_ref(s)),
        _ => false,
    })
}
