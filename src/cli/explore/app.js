// grace explore: the page. Plain JavaScript, no framework, no network but
// this server. The state shown is the one the path in the URL (#path=0.1.1)
// reaches: every click asks the server for the view of a path
// (GET /api/state?path=...), which it remakes from the path alone.
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#805ad5', '#b83280', '#0987a0', '#975a16', '#4a5568'];
  var program = null;   // {file, memory, text}
  var view = null;      // the state shown (GET /api/state)
  var future = [];      // choices ahead: undone by back, or the rest of a witness
  var findings = null;  // the background check's findings, once done
  var timer = null;     // playing a witness
  var asked = 0;        // the latest request for a state (older answers are dropped)

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function pathList(text) {
    if (!text) return [];
    if (!/^[0-9]+(\.[0-9]+)*$/.test(text)) return null;
    return text.split('.').map(Number);
  }
  function pathText(p) { return p.join('.'); }
  function isPrefix(a, b) {
    if (a.length > b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function hashPath() {
    var m = /(?:^#|&)path=([^&]*)/.exec(location.hash);
    var p = m ? pathList(m[1]) : [];
    if (p === null) { showError('not a path: ' + m[1] + ' (expected choices separated by dots, such as 0.1.1.0)'); return []; }
    return p;
  }
  function showError(text) {
    var e = $('error');
    e.textContent = text || '';
    e.hidden = !text;
  }
  function getJSON(url, options) {
    return fetch(url, options).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || r.statusText);
        return j;
      });
    });
  }

  // goroutine colours, by the order they were started (their index)
  var colorOf = {};
  function color(name) { return colorOf[name] || '#444'; }

  // ---- moving -------------------------------------------------------------

  function current() { return view ? pathList(view.path) : []; }

  // Go to the state `p` reaches; the steps ahead stay when `p` is on the
  // way of the current path and its future.
  function goTo(p) {
    var whole = current().concat(future);
    future = isPrefix(p, whole) ? whole.slice(p.length) : [];
    load(p);
  }
  function take(k) { stopPlaying(); goTo(current().concat([k])); }
  function back() { var p = current(); if (p.length) goTo(p.slice(0, -1)); }
  function forward() { if (future.length) goTo(current().concat([future[0]])); }

  function load(p) {
    var mine = ++asked;
    document.body.removeAttribute('data-path');
    return getJSON('/api/state?path=' + pathText(p)).then(function (v) {
      if (mine !== asked) return;
      showError('');
      view = v;
      history.replaceState(null, '', '#path=' + v.path);
      render();
    }, function (e) {
      if (mine !== asked) return;
      stopPlaying();
      showError(e.message);
      if (!view) load([]);
      else document.body.setAttribute('data-path', view.path);
    });
  }

  // Play a witness: from the start, a step at a time.
  function play(path) {
    stopPlaying();
    var target = pathList(path) || [];
    future = target.slice();
    load([]).then(function () {
      future = target.slice();
      renderButtons();
      $('pause').hidden = false;
      timer = setInterval(function () {
        if (!future.length) { stopPlaying(); return; }
        goTo(current().concat([future[0]]));
      }, 600);
    });
  }
  function stopPlaying() {
    if (timer) clearInterval(timer);
    timer = null;
    $('pause').hidden = true;
  }

  // ---- drawing the state --------------------------------------------------

  function render() {
    colorOf = {};
    view.goroutines.forEach(function (g, i) { colorOf[g.name] = COLORS[i % COLORS.length]; });
    renderSource();
    renderChoices();
    renderEnd();
    renderGoroutines();
    renderLines($('memory'), view.memory);
    renderLines($('sync'), view.sync.length ? view.sync : ['(all at rest)']);
    $('output').textContent = view.output;
    renderLanes();
    renderGraph();
    renderButtons();
    markFindings();
    $('share').href = '#path=' + view.path;
    $('share').textContent = view.path ? 'link: #path=' + view.path : 'link to this run';
    document.body.setAttribute('data-path', view.path);
  }

  function renderButtons() {
    $('back').disabled = !view || current().length === 0;
    $('restart').disabled = !view || current().length === 0;
    $('forward').disabled = future.length === 0;
  }

  function renderSource() {
    var pre = clear($('source'));
    var lines = program.text.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    var at = {};
    view.goroutines.forEach(function (g) {
      if (g.status === 'done' || !g.line) return;
      (at[g.line] = at[g.line] || []).push(g);
    });
    var last = view.taken.length ? view.taken[view.taken.length - 1].line : 0;
    lines.forEach(function (text, i) {
      var n = i + 1;
      var line = el('span', 'line');
      line.id = 'line-' + n;
      line.appendChild(el('span', 'no', String(n)));
      // the goroutines about to take a step here, before the code (a long
      // line scrolls, and must not hide them)
      if (at[n]) {
        line.classList.add('at');
        at[n].forEach(function (g) {
          var b = el('span', 'badge', g.name + (g.status === 'blocked' ? ' (blocked)' : ''));
          b.style.background = color(g.name);
          b.title = g.name + ' at ' + g.line + ':' + g.col + ', next: ' + g.next + ' (' + g.status + ')';
          line.appendChild(b);
        });
      }
      line.appendChild(document.createTextNode(text.replace(/\t/g, '    ')));
      if (n === last) line.classList.add('last');
      pre.appendChild(line);
    });
  }

  function hover(line, on) {
    var e = $('line-' + line);
    if (e) e.classList.toggle('hover', on);
  }

  function renderChoices() {
    var list = clear($('choices'));
    view.choices.forEach(function (c) {
      var li = el('li');
      var b = el('button', 'choice' + (c.memory ? ' memory' : ''));
      b.type = 'button';
      b.setAttribute('data-choice', c.choice);
      b.setAttribute('data-goroutine', c.goroutine);
      b.setAttribute('data-step', c.step);
      b.appendChild(el('span', 'key', c.choice < 9 ? String(c.choice + 1) : ''));
      var g = el('span', 'gor', c.goroutine);
      g.style.color = color(c.goroutine);
      b.appendChild(g);
      b.appendChild(el('span', 'loc', c.line + ':' + c.col));
      b.appendChild(el('span', 'what' + (c.stale ? ' stale' : ''), (c.memory ? 'memory: ' : '') + c.step));
      c.races.forEach(function (r) { b.appendChild(el('span', 'race-note', '\u26A0 ' + r)); });
      if (future.length && future[0] === c.choice) b.title = 'the next step of the run ahead (forward)';
      b.addEventListener('click', function () { take(c.choice); });
      b.addEventListener('mouseenter', function () { hover(c.line, true); });
      b.addEventListener('mouseleave', function () { hover(c.line, false); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  // The outcome of the check that has these final values and end, if known.
  function outcomeOf(end) {
    if (!findings || !end) return null;
    for (var i = 0; i < findings.outcomes.length; i++) {
      var o = findings.outcomes[i];
      if (o.kind === end.kind && o.values === end.values && o.output === end.output
          && (o.message || null) === (end.message || null)) return o;
    }
    return null;
  }

  function renderEnd() {
    var box = clear($('end'));
    var e = view.end;
    box.hidden = !e;
    if (!e) return;
    box.className = e.kind === 'ok' ? '' : 'bad';
    box.appendChild(el('strong', null, e.kind === 'deadlock' ? 'Deadlock. ' : 'The run has ended: '));
    box.appendChild(el('span', 'kind', e.kind + ' '));
    box.appendChild(el('span', 'values', e.values));
    if (e.output) box.appendChild(el('span', null, ' output ' + JSON.stringify(e.output)));
    if (e.message) box.appendChild(el('div', null, e.message));
    e.left.forEach(function (p) {
      box.appendChild(el('div', null, (e.kind === 'deadlock' ? 'blocked: ' : 'left behind (a leak): ')
        + p.goroutine + ' at ' + p.line + ':' + p.col + ' (' + p.at + ')'));
    });
    var o = outcomeOf(e);
    if (o) {
      var m = el('div', o.race_outcome ? 'mark' : null,
        'Outcome #' + o.number + ' of the check, ' + (o.class || 'unclassed')
        + (o.race_outcome ? ': a race outcome (no run without preemption reaches it)' : ''));
      if (o.race_outcome) box.classList.add('race');
      box.appendChild(m);
    }
    if (view.choices.length) box.appendChild(el('div', null, 'The memory system may still flush buffered writes:'));
  }

  function renderGoroutines() {
    var t = clear($('goroutines'));
    view.goroutines.forEach(function (g) {
      var tr = el('tr');
      var name = el('td', 'gor', g.name);
      name.style.color = color(g.name);
      tr.appendChild(name);
      tr.appendChild(el('td', 'status-' + g.status, g.status));
      tr.appendChild(el('td', 'loc', g.status === 'done' ? '' : g.line + ':' + g.col));
      tr.appendChild(el('td', null, g.status === 'done' ? '' : 'next: ' + g.next));
      t.appendChild(tr);
    });
  }

  function renderLines(list, lines) {
    clear(list);
    lines.forEach(function (l) { list.appendChild(el('li', null, l)); });
  }

  function renderLanes() {
    var t = clear($('lanes'));
    var lanes = view.goroutines.map(function (g) { return g.name; });
    var head = el('tr');
    head.appendChild(el('th', null, '#'));
    lanes.forEach(function (l) {
      var th = el('th', 'gor', l);
      th.style.color = color(l);
      head.appendChild(th);
    });
    t.appendChild(head);
    var start = el('tr');
    var n0 = el('td', 'n', '0');
    n0.title = 'go back to the start';
    n0.addEventListener('click', function () { stopPlaying(); goTo([]); });
    start.appendChild(n0);
    var s0 = el('td', 'loc', 'start');
    s0.colSpan = lanes.length;
    start.appendChild(s0);
    t.appendChild(start);
    var p = current();
    view.taken.forEach(function (s, i) {
      var tr = el('tr', s.preemption ? 'preempt' : null);
      var n = el('td', 'n', String(i + 1));
      n.title = 'go back to the state after this step';
      n.addEventListener('click', function () { stopPlaying(); goTo(p.slice(0, i + 1)); });
      tr.appendChild(n);
      lanes.forEach(function (l) {
        if (l !== s.goroutine) { tr.appendChild(el('td')); return; }
        var cls = 'step' + (s.races.length ? ' race' : '') + (s.memory ? ' memory' : '');
        var td = el('td', cls);
        td.appendChild(el('span', 'at', (s.preemption ? '\u00BB ' : '') + s.line + ':' + s.col));
        td.appendChild(document.createTextNode(' ' + (s.memory ? 'memory: ' : '') + s.step
          + (s.races.length ? ' \u26A0' : '')));
        if (s.races.length) td.title = s.races.join('\n');
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    if (future.length) {
      var tr = el('tr', 'future');
      tr.appendChild(el('td', 'n', '\u2026'));
      var td = el('td', null, future.length + (future.length === 1 ? ' step' : ' steps') + ' ahead (forward)');
      td.colSpan = lanes.length;
      tr.appendChild(td);
      t.appendChild(tr);
    }
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The states around the current one, in columns by their distance from
  // it: the path behind on the left, the steps ahead on the right.
  function renderGraph() {
    var box = clear($('graph'));
    var g = view.graph;
    var depths = g.nodes.map(function (n) { return n.depth; });
    var lo = Math.min.apply(null, depths.concat([0]));
    var hi = Math.max.apply(null, depths.concat([0]));
    var COL = 110, ROW = 28, TOP = 24, LEFT = 16;
    var rows = {};
    var pos = g.nodes.map(function (n) {
      var r = rows[n.depth] = (rows[n.depth] || 0) + 1;
      return { x: LEFT + (n.depth - lo) * COL, y: TOP + (r - 1) * ROW };
    });
    var height = TOP + Math.max.apply(null, Object.keys(rows).map(function (k) { return rows[k]; }).concat([1])) * ROW + 10;
    var width = LEFT + (hi - lo) * COL + 112;
    var s = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, 'class': 'graph' });
    for (var d = lo; d <= hi; d++) {
      var label = d === 0 ? 'now' : (d < 0 ? d + '' : '+' + d);
      s.appendChild(svg('text', { x: LEFT + (d - lo) * COL - 8, y: 12, 'class': 'note' }, label));
    }
    g.edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      var attrs = { 'class': 'edge' + (e.race ? ' race' : ''), stroke: e.race ? '#c33' : color(e.goroutine) };
      var line;
      if (e.from === e.to) {
        line = svg('path', Object.assign(attrs, { d: 'M' + a.x + ' ' + (a.y - 8) + ' c 20 -22 30 4 8 8' }));
      } else {
        line = svg('line', Object.assign(attrs, { x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
      }
      line.appendChild(svg('title', {}, e.goroutine + ': ' + e.step + (e.race ? ' (data race)' : '')));
      s.appendChild(line);
    });
    g.nodes.forEach(function (n, i) {
      var p = pos[i];
      var cls = 'node' + (n.depth === 0 ? ' current' : '') + (n.end ? ' end' : '');
      var node = svg('g', { 'class': cls });
      if (n.end) {
        var text = n.end.kind + ' ' + n.end.values;
        if (text.length > 16) text = text.slice(0, 15) + '\u2026';
        var race = findings && findings.outcomes.some(function (o) {
          return o.race_outcome && o.kind === n.end.kind && o.values === n.end.values;
        });
        if (n.end.kind !== 'ok' || race) node.setAttribute('class', cls + (race ? ' race' : ' bad'));
        node.appendChild(svg('rect', { x: p.x - 6, y: p.y - 9, width: text.length * 6.2 + 12, height: 18, rx: 4 }));
        node.appendChild(svg('text', { x: p.x, y: p.y + 4 }, text));
      } else {
        node.appendChild(svg('circle', { cx: p.x, cy: p.y, r: n.depth === 0 ? 9 : 6 }));
      }
      node.appendChild(svg('title', {}, (n.depth === 0 ? 'the current state' : 'go to #path=' + n.path)
        + (n.end ? ': ' + n.end.kind + ' ' + n.end.values : '')));
      node.addEventListener('click', function () { stopPlaying(); goTo(pathList(n.path)); });
      s.appendChild(node);
    });
    if (g.cut) {
      s.appendChild(svg('text', { x: LEFT, y: height - 2, 'class': 'note' }, 'more states ahead than drawn'));
    }
    box.appendChild(s);
  }

  // ---- the background check -----------------------------------------------

  function pollOutcomes() {
    getJSON('/api/outcomes').then(function (o) {
      if (o.state === 'running' || o.state === 'stopping') {
        var p = o.progress;
        $('progress').textContent = (o.state === 'stopping' ? 'stopping\u2026 ' : 'checking every run\u2026 ')
          + (p ? p.search + ': ' + p.states.toLocaleString('en') + ' states, ' + p.outcomes + ' outcomes so far' : '');
        $('stop').hidden = o.state === 'stopping';
        setTimeout(pollOutcomes, 400);
        return;
      }
      $('stop').hidden = true;
      if (o.state === 'failed') { $('progress').textContent = 'the check could not run: ' + o.error; return; }
      findings = o.findings;
      renderFindings();
      if (view) { renderEnd(); markFindings(); }
    }, function (e) {
      $('progress').textContent = 'no answer from the server: ' + e.message;
      setTimeout(pollOutcomes, 2000);
    });
  }

  function playButtons(li, path) {
    if (path === null || path === undefined) return;
    var b = el('button', 'play', '\u25B6 play');
    b.type = 'button';
    b.title = 'play the witness from the start, a step at a time';
    b.addEventListener('click', function () { play(path); });
    li.appendChild(b);
    var j = el('button', 'jump', 'end \u00BB');
    j.type = 'button';
    j.title = 'go to where the witness ends (#path=' + path + ')';
    j.addEventListener('click', function () { stopPlaying(); future = []; goTo(pathList(path)); });
    li.appendChild(j);
  }

  function renderFindings() {
    var f = findings;
    var races = f.outcomes.filter(function (o) { return o.race_outcome; }).length;
    $('progress').textContent = (f.complete ? 'every run explored: ' : 'stopped (' + (f.limit || 'a limit') + '): ')
      + f.states.toLocaleString('en') + ' states, under ' + (f.explored_under || f.memory);
    $('summary').textContent = f.outcomes.length + (f.outcomes.length === 1 ? ' outcome' : ' outcomes')
      + ' (' + races + (races === 1 ? ' race outcome' : ' race outcomes') + '), '
      + f.races.length + (f.races.length === 1 ? ' data race' : ' data races');
    var list = clear($('outcomes'));
    f.outcomes.forEach(function (o) {
      var li = el('li', (o.race_outcome ? 'race-outcome' : '') + (o.kind !== 'ok' ? ' ' + o.kind : ''));
      li.setAttribute('data-outcome', o.number);
      li.appendChild(el('span', 'tag', '#' + o.number));
      li.appendChild(el('span', 'tag' + (o.kind !== 'ok' ? ' bad' : ''), o.kind));
      li.appendChild(el('span', 'tag class', o.class || 'unclassed'));
      li.appendChild(el('span', 'values', o.values + (o.output ? ' output=' + JSON.stringify(o.output) : '')));
      if (o.race_outcome) li.appendChild(el('strong', 'mark', ' \u2190 race outcome'));
      if (o.message) li.appendChild(el('div', null, o.message));
      playButtons(li, o.path);
      list.appendChild(li);
    });
    var rl = clear($('races'));
    if (!f.races.length) rl.appendChild(el('li', null, 'none'));
    f.races.forEach(function (r) {
      var li = el('li', 'race-outcome');
      li.appendChild(el('span', 'tag bad', '#' + r.number));
      li.appendChild(el('span', 'values', r.var + ': ' + r.a.op + ' ' + r.a.line + ':' + r.a.col + ' (' + r.a.goroutine
        + ') / ' + r.b.op + ' ' + r.b.line + ':' + r.b.col + ' (' + r.b.goroutine + ')'));
      playButtons(li, r.path);
      rl.appendChild(li);
    });
    var more = clear($('more'));
    function section(title, items, text, bad) {
      if (!items.length) return;
      more.appendChild(el('h3', null, title));
      var ol = el('ol', 'findings');
      items.forEach(function (x) {
        var li = el('li', bad(x) ? 'fails' : '');
        li.appendChild(el('span', 'values', text(x)));
        playButtons(li, x.path);
        ol.appendChild(li);
      });
      more.appendChild(ol);
    }
    section('Leaks', f.leaks, function (l) { return l.goroutine + ' at ' + l.line + ':' + l.col + ' (' + l.waiting + ')'; },
      function () { return true; });
    section('Never-ending runs', f.never_ending, function (n) {
      return n.goroutines.map(function (p) { return p.goroutine + ' at ' + p.line + ':' + p.col; }).join(', ');
    }, function () { return true; });
    section('Expects', f.expects, function (x) { return 'line ' + x.line + ': ' + x.text + ': ' + x.verdict; },
      function (x) { return x.verdict === 'fails'; });
  }

  // The outcome the current state ends in, outlined in the list.
  function markFindings() {
    var o = view && outcomeOf(view.end);
    Array.prototype.forEach.call(document.querySelectorAll('#outcomes li'), function (li) {
      li.classList.toggle('here', !!o && li.getAttribute('data-outcome') === String(o.number));
    });
  }

  // ---- start --------------------------------------------------------------

  $('restart').addEventListener('click', function () { stopPlaying(); goTo([]); });
  $('back').addEventListener('click', function () { stopPlaying(); back(); });
  $('forward').addEventListener('click', function () { stopPlaying(); forward(); });
  $('pause').addEventListener('click', stopPlaying);
  $('stop').addEventListener('click', function () {
    getJSON('/api/stop', { method: 'POST' }).catch(function (e) { showError(e.message); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !view) return;
    if (e.key === 'ArrowLeft') { stopPlaying(); back(); }
    else if (e.key === 'ArrowRight') { stopPlaying(); forward(); }
    else if (e.key === 'Home') { stopPlaying(); goTo([]); }
    else if (/^[1-9]$/.test(e.key) && Number(e.key) <= view.choices.length) take(Number(e.key) - 1);
    else return;
    e.preventDefault();
  });
  window.addEventListener('hashchange', function () {
    var p = hashPath();
    if (pathText(p) !== (view ? view.path : null)) { stopPlaying(); goTo(p); }
  });
  getJSON('/api/program').then(function (p) {
    program = p;
    document.title = 'grace explore: ' + p.file;
    $('file').textContent = p.file;
    $('model').textContent = 'memory ' + p.memory;
    $('memory-note').textContent = {
      sc: 'sc: every read sees the latest write',
      tso: 'tso: writes wait in per-goroutine store buffers',
      go: 'go: a read may see any write it is not ordered after'
    }[p.memory] || p.memory;
    load(hashPath());
    pollOutcomes();
  }, function (e) { showError(e.message); });
})();
