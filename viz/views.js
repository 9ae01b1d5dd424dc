/* lmkg linked views: the pipeline board, the timeline and the company view, in the same page as
   the map. One selection is shared: selecting an item in any view selects it on the map, opens
   its sourced facts in the side panel, and highlights what is related in every view. All text
   from the data goes in through textContent (app.el) or SVG text nodes, never innerHTML. */
(function () {
  'use strict';
  var A = window.lmkgApp;
  if (!A) return;
  var D = A.DATA, NODES = A.NODES, el = A.el;
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    return n;
  }
  var MOD = {}; (D.modalities || []).forEach(function (m) { MOD[m.name] = m; });
  var EVT = {}; (D.event_types || []).forEach(function (t) { EVT[t.name] = t; });
  var AGENCY = {}; (D.agencies || []).forEach(function (a) { AGENCY[a.name] = a.label; });
  var STAGES = D.stages || [];

  // ---------- tabs ----------
  var current = 'map';
  var rendered = {};
  function show(name) {
    current = name;
    document.querySelectorAll('#tabs button[data-view]').forEach(function (b) {
      b.setAttribute('aria-selected', b.getAttribute('data-view') === name ? 'true' : 'false');
    });
    ['map', 'pipeline', 'timeline', 'companies'].forEach(function (v) {
      document.getElementById('view-' + v).hidden = v !== name;
    });
    if (name === 'map') { A.resize(); }
    else if (!rendered[name]) { RENDER[name](); rendered[name] = true; }
    else if (name === 'timeline') { renderTimeline(); }
    applyHighlight();
  }
  document.querySelectorAll('#tabs button[data-view]').forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-view')); });
  });

  // ---------- the shared selection ----------
  var sel = null;            // {node: i} or {deal: k}
  var related = null;        // Set of node indices related to the selection
  function relatedTo(i) {
    var s = new Set([i]);
    A.ADJ[i].forEach(function (j) { s.add(A.EDGES[j].from); s.add(A.EDGES[j].to); });
    if (NODES[i].type === 'Company') {
      // A company: its agents' designations too.
      D.pipeline.forEach(function (p) {
        if (p.companies.indexOf(i) >= 0) {
          s.add(p.node);
          A.ADJ[p.node].forEach(function (j) { s.add(A.EDGES[j].from); s.add(A.EDGES[j].to); });
        }
      });
    }
    return s;
  }
  A.onSelect(function (s) {
    if (s === null) { sel = null; related = null; }
    else if (s.node !== undefined) { sel = { node: s.node }; related = relatedTo(s.node); }
    applyHighlight();
  });
  function pickDeal(k) {
    var d = D.deals[k];
    A.select(d.from);            // the map and the other views follow the acquirer / partner
    sel = { deal: k };
    related = new Set(d.companies);
    d.companies.forEach(function (c) { relatedTo(c).forEach(function (x) { related.add(x); }); });
    A.showCard(dealCard(d));
    applyHighlight();
  }
  function isHl(item) {
    if (!related) return false;
    if (item.deal !== undefined) return sel && sel.deal === item.deal ||
      item.companies.some(function (c) { return sel && sel.node === c; });
    if (related.has(item.node)) return true;
    if (sel && sel.node !== undefined) {
      if (item.agents && item.agents.indexOf(sel.node) >= 0) return true;
      if (item.companies && item.companies.indexOf(sel.node) >= 0) return true;
    }
    return false;
  }
  var highlighted = { pipeline: [], timeline: [], companies: [] };
  function applyHighlight() {
    var note = document.getElementById('selection-note');
    note.textContent = sel === null ? 'Select anything to see it in every view' :
      'Selected: ' + (sel.node !== undefined ? NODES[sel.node].name : D.deals[sel.deal].label);
    ['pipeline', 'companies'].forEach(function (v) {
      var root = document.getElementById('view-' + v);
      var hl = [];
      root.classList.toggle('dimmed', !!related);
      root.querySelectorAll('[data-node]').forEach(function (n) {
        var i = Number(n.getAttribute('data-node'));
        var on = !!related && (related.has(i) || (sel && sel.node === i));
        n.classList.toggle('hl', on);
        if (on && hl.indexOf(NODES[i].id) < 0) hl.push(NODES[i].id);
      });
      highlighted[v] = hl;
    });
    var tl = document.getElementById('timeline-svg');
    highlighted.timeline = [];
    if (tl) {
      tl.classList.toggle('dimmed', !!related);
      tl.querySelectorAll('.ev').forEach(function (g) {
        var item = TL_ITEMS[Number(g.getAttribute('data-k'))];
        var on = isHl(item);
        g.classList.toggle('hl', on);
        if (on) highlighted.timeline.push(item.node !== undefined ? NODES[item.node].id : 'deal:' + item.deal);
      });
      if (current === 'timeline') renderTimelineLabels();
    }
    A.emphasise(related);
  }

  // ---------- cards ----------
  function dealCard(d) {
    var card = el('div', { cls: 'card' });
    card.appendChild(el('h3', { cls: 'name', text: d.label }));
    card.appendChild(el('span', { cls: 'type', text: d.kind === 'acquisition' ? 'Acquisition' : 'Partnership' }));
    card.appendChild(A.factTable([['date', d.date || 'not dated in the sources read'],
                                  ['terms', d.terms || 'not stated']], 10));
    if (d.sources.length) {
      card.appendChild(el('h4', { text: 'Sources' }));
      card.appendChild(A.sourceList(d.sources, 50));
    }
    var who = el('div', { cls: 'relations' });
    d.companies.forEach(function (c) {
      who.appendChild(el('button', { type: 'button', cls: 'rel-link', text: NODES[c].name,
        on: { click: function () { A.select(c); } } }));
      who.appendChild(document.createTextNode(' '));
    });
    card.appendChild(el('h4', { text: 'Companies' }));
    card.appendChild(who);
    return card;
  }
  function chip(i) {
    var p = PIPE_BY_NODE[i];
    var colour = MOD[(p && p.modality) || 'other'] ? MOD[(p && p.modality) || 'other'].color : '#b0b0b0';
    var b = el('button', { type: 'button', cls: 'chip', 'data-node': i, text: NODES[i].name,
      title: NODES[i].name + (p ? ' · ' + stageLabel(p.stage) + ' (' + p.basis + ') · ' + (MOD[p.modality] || {}).label : '') });
    b.style.borderLeftColor = colour;
    b.addEventListener('click', function () { A.select(i); });
    b.addEventListener('mouseenter', function (ev) { A.showTooltip(A.nodeCard(i, false), { x: ev.clientX, y: ev.clientY }); });
    b.addEventListener('mouseleave', A.hideTooltipSoon);
    return b;
  }
  var PIPE_BY_NODE = {};
  D.pipeline.forEach(function (p) { PIPE_BY_NODE[p.node] = p; });
  function stageLabel(s) {
    for (var k = 0; k < STAGES.length; k++) if (STAGES[k].name === s) return STAGES[k].label;
    return s;
  }
  function modalityLegend() {
    var used = {};
    D.pipeline.forEach(function (p) { used[p.modality] = true; });
    var box = el('div', { cls: 'swatches', 'aria-label': 'Colour: modality' });
    box.appendChild(el('strong', { text: 'Modality:' }));
    (D.modalities || []).forEach(function (m) {
      if (!used[m.name]) return;
      var sw = el('span', { cls: 'sw' }); sw.style.background = m.color;
      box.appendChild(el('span', null, sw, m.label));
    });
    return box;
  }

  // ---------- pipeline board ----------
  var pipeGroup = 'biomarker';
  function renderPipeline() {
    var root = document.getElementById('view-pipeline');
    root.replaceChildren();
    var basis = D.pipeline.length ? D.pipeline[0].basis : '';
    root.appendChild(el('h2', { text: 'Pipeline: agents by development stage' }));
    root.appendChild(el('p', { cls: 'sub', text: D.pipeline.length + ' agents. Stage: ' + basis +
      '. Grouped by the ' + (pipeGroup === 'biomarker' ? 'biomarker each targets' : 'drug class it belongs to') +
      ' (an agent with several appears in each); click an agent for its sourced facts.' }));
    var controls = el('div', { cls: 'controls' });
    ['biomarker', 'class'].forEach(function (g) {
      var r = el('input', { type: 'radio', name: 'pipe-group', value: g, id: 'pipe-group-' + g });
      r.checked = g === pipeGroup;
      r.addEventListener('change', function () { pipeGroup = g; renderPipeline(); applyHighlight(); });
      controls.appendChild(el('label', { 'for': 'pipe-group-' + g }, r, 'Group by ' + g));
    });
    controls.appendChild(modalityLegend());
    root.appendChild(controls);
    var stages = STAGES.filter(function (s) {
      return ['preclinical', 'phase1', 'phase2', 'phase3', 'approved'].indexOf(s.name) >= 0 ||
        D.pipeline.some(function (p) { return p.stage === s.name; });
    });
    var groups = {};
    var none = pipeGroup === 'biomarker' ? '(no biomarker target)' : '(no class)';
    D.pipeline.forEach(function (p) {
      var gs = p[pipeGroup].length ? p[pipeGroup] : [none];
      gs.forEach(function (g) { (groups[g] = groups[g] || []).push(p); });
    });
    var names = Object.keys(groups).sort(function (a, b) {
      return (a === none) - (b === none) || groups[b].length - groups[a].length || a.localeCompare(b);
    });
    var table = el('table', { cls: 'board', id: 'pipeline-board' });
    var head = el('tr', null, el('th', { cls: 'group', text: pipeGroup === 'biomarker' ? 'Biomarker' : 'Drug class' }));
    stages.forEach(function (s) {
      var n = D.pipeline.filter(function (p) { return p.stage === s.name; }).length;
      head.appendChild(el('th', { text: s.label + ' (' + n + ')' }));
    });
    table.appendChild(el('thead', null, head));
    var tbody = el('tbody');
    names.forEach(function (g) {
      var tr = el('tr', null, el('th', { cls: 'group', text: g + ' (' + groups[g].length + ')' }));
      stages.forEach(function (s) {
        var td = el('td', { 'data-stage': s.name });
        groups[g].filter(function (p) { return p.stage === s.name; })
          .sort(function (a, b) { return NODES[a.node].name.localeCompare(NODES[b.node].name); })
          .forEach(function (p) { td.appendChild(chip(p.node)); });
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    root.appendChild(table);
  }

  // ---------- timeline ----------
  var tlRows = 'agency', tlLmOnly = false;
  var TL_ITEMS = [];
  var tlGeom = null;   // what renderTimelineLabels needs: positions of markers
  function timelineItems() {
    var items = [];
    D.events.forEach(function (e, k) {
      if (tlLmOnly && !e.lm) return;
      // What became of it (graph/outcome.py): a refused application is drawn hollow and
      // crossed, an approval withdrawn since hollow, and the label says which.
      var outcome = e.outcome || 'granted';
      items.push({ node: e.node, year: e.year, date: e.date, kind: e.type, agency: e.agency,
                   agents: e.agents, companies: e.companies, lm: e.lm, ev: k, outcome: outcome,
                   label: e.label + (outcome === 'granted' ? '' : ' (' + e.outcome_label + ')') });
    });
    if (!tlLmOnly) D.deals.forEach(function (d, k) {
      items.push({ deal: k, year: d.year, date: d.date, kind: d.kind, companies: d.companies,
                   label: d.label, lm: false });
    });
    return items;
  }
  function renderTimeline() {
    var root = document.getElementById('view-timeline');
    root.replaceChildren();
    root.appendChild(el('h2', { text: 'Timeline: approvals, designations and deals' }));
    var nLm = D.events.filter(function (e) { return e.lm; }).length;
    var nRefused = D.events.filter(function (e) { return e.outcome && e.outcome !== 'granted' && e.outcome !== 'withdrawn'; }).length;
    var nGone = D.events.filter(function (e) { return e.outcome === 'withdrawn'; }).length;
    root.appendChild(el('p', { cls: 'sub', text: D.events.length + ' approvals and designations (' + nLm +
      ' for a leptomeningeal indication, outlined; ' + nRefused + ' refused or not granted, hollow and crossed; ' +
      nGone + ' approvals withdrawn since with their product, hollow) and ' + D.deals.length + ' acquisitions and partnerships. ' +
      'A date known to the year only is drawn mid-year; click a mark for its sourced facts.' }));
    var controls = el('div', { cls: 'controls' });
    ['agency', 'company'].forEach(function (g) {
      var r = el('input', { type: 'radio', name: 'tl-rows', value: g, id: 'tl-rows-' + g });
      r.checked = g === tlRows;
      r.addEventListener('change', function () { tlRows = g; renderTimeline(); applyHighlight(); });
      controls.appendChild(el('label', { 'for': 'tl-rows-' + g }, r, 'Rows by ' + g));
    });
    var lm = el('input', { type: 'checkbox', id: 'tl-lm' });
    lm.checked = tlLmOnly;
    lm.addEventListener('change', function () { tlLmOnly = lm.checked; renderTimeline(); applyHighlight(); });
    controls.appendChild(el('label', { 'for': 'tl-lm' }, lm, 'LM indications only'));
    var legend = el('div', { cls: 'swatches' });
    (D.event_types || []).forEach(function (t) {
      var s = svg('svg', { width: 12, height: 12, viewBox: '-6 -6 12 12' });
      s.appendChild(marker(t.marker, t.color, 4.5));
      legend.appendChild(el('span', null, s, ' ' + t.label));
    });
    [['refused', 'refused or not granted'], ['withdrawn', 'withdrawn since']].forEach(function (o) {
      var s = svg('svg', { width: 12, height: 12, viewBox: '-6 -6 12 12' });
      outcomeMarks(s, 'circle', '#1f4fb4', 4.5, o[0]);
      legend.appendChild(el('span', { cls: 'outcome-' + o[0] }, s, ' ' + o[1]));
    });
    controls.appendChild(legend);
    root.appendChild(controls);

    TL_ITEMS = timelineItems();
    var dated = TL_ITEMS.filter(function (it) { return it.year !== null; });
    var years = dated.map(function (it) { return it.year; });
    var y0 = years.length ? Math.floor(Math.min.apply(null, years)) : 2000;
    var y1 = years.length ? Math.ceil(Math.max.apply(null, years)) : 2025;
    if (y1 - y0 < 5) y0 = y1 - 5;
    tlWidth = root.clientWidth;
    var width = Math.max(600, root.clientWidth - 30), left = 190, right = 84;
    var xOf = function (y) { return left + (y - y0) / (y1 - y0) * (width - left - right); };
    var undatedX = width - right / 2;
    // Rows.
    var rows = [], rowOf = {};
    function addRow(key, label, node) { if (!(key in rowOf)) { rowOf[key] = rows.length; rows.push({ key: key, label: label, node: node, items: [] }); } return rowOf[key]; }
    if (tlRows === 'agency') {
      (D.agencies || []).forEach(function (a) {
        if (TL_ITEMS.some(function (it) { return it.agency === a.name; })) addRow(a.name, a.label);
      });
      TL_ITEMS.forEach(function (it) {
        var r = it.deal !== undefined ? addRow('deals', 'Deals (companies)') : addRow(it.agency, AGENCY[it.agency] || it.agency);
        rows[r].items.push(it);
      });
    } else {
      var count = {};
      TL_ITEMS.forEach(function (it) { it.companies.forEach(function (c) { count[c] = (count[c] || 0) + 1; }); });
      Object.keys(count).map(Number).sort(function (a, b) { return count[b] - count[a] || NODES[a].name.localeCompare(NODES[b].name); })
        .forEach(function (c) { addRow('c' + c, NODES[c].name, c); });
      TL_ITEMS.forEach(function (it) {
        var cs = it.companies.length ? it.companies : [];
        if (!cs.length) rows[addRow('none', '(no company in the graph)')].items.push(it);
        cs.forEach(function (c) { rows[rowOf['c' + c]].items.push(it); });
      });
    }
    // Lanes inside a row, so that marks never sit on each other.
    var LANE = 13, PAD = 8, y = 34;
    rows.forEach(function (row) {
      var lanes = [];
      row.items.slice().sort(function (a, b) { return (a.year === null) - (b.year === null) || (a.year || 0) - (b.year || 0); })
        .forEach(function (it) {
          var x = it.year === null ? undatedX : xOf(it.year);
          var lane = 0;
          while (lanes[lane] !== undefined && x - lanes[lane] < 10) lane++;
          lanes[lane] = x;
          (it.pos = it.pos || []).push({ x: x, lane: lane, row: row });
        });
      row.lanes = Math.max(1, lanes.length);
      row.top = y;
      row.h = row.lanes * LANE + PAD;
      y += row.h;
    });
    var height = y + 10;
    var s = svg('svg', { id: 'timeline-svg', width: width, height: height, role: 'img',
                         'aria-label': 'Timeline of approvals, designations and deals' });
    // Axis and grid.
    var step = (y1 - y0) > 30 ? 5 : (y1 - y0) > 12 ? 2 : 1;
    for (var yr = Math.ceil(y0 / step) * step; yr <= y1; yr += step) {
      var gx = xOf(yr);
      s.appendChild(svg('line', { x1: gx, x2: gx, y1: 26, y2: height - 6, stroke: '#eceff3' }));
      var t = svg('text', { x: gx, y: 18, 'text-anchor': 'middle', fill: '#5a6273' }); t.textContent = String(yr);
      s.appendChild(t);
    }
    if (TL_ITEMS.some(function (it) { return it.year === null; })) {
      var ut = svg('text', { x: undatedX, y: 18, 'text-anchor': 'middle', fill: '#5a6273' }); ut.textContent = 'undated';
      s.appendChild(ut);
    }
    rows.forEach(function (row, r) {
      if (r % 2 === 0) s.appendChild(svg('rect', { x: 0, y: row.top, width: width, height: row.h, fill: '#f8f9fb' }));
      var lab = svg('text', { x: 6, y: row.top + row.h / 2 + 4, fill: '#1d2330' });
      lab.textContent = row.label.length > 30 ? row.label.slice(0, 29) + '…' : row.label;
      if (row.node !== undefined) {
        lab.setAttribute('class', 'ev-row');
        lab.style.cursor = 'pointer';
        lab.addEventListener('click', function () { A.select(row.node); });
      }
      s.appendChild(lab);
    });
    var marks = [];
    TL_ITEMS.forEach(function (it, k) {
      var style = EVT[it.kind] || { color: '#888', marker: 'circle' };
      it.pos.forEach(function (p) {
        var cy = p.row.top + PAD / 2 + p.lane * LANE + LANE / 2;
        var g = svg('g', { 'class': 'ev', 'data-k': k, transform: 'translate(' + p.x.toFixed(1) + ',' + cy.toFixed(1) + ')' });
        if (it.node !== undefined) g.setAttribute('data-node-id', NODES[it.node].id);
        var m = outcomeMarks(g, style.marker, style.color, 4.6, it.outcome || 'granted');
        m.setAttribute('class', 'mk');
        if (it.outcome && it.outcome !== 'granted') g.setAttribute('data-outcome', it.outcome);
        if (it.lm) { m.setAttribute('stroke', '#000'); m.setAttribute('stroke-width', '1.4'); }
        g.addEventListener('click', function () {
          if (it.deal !== undefined) pickDeal(it.deal); else A.select(it.node);
        });
        g.addEventListener('mouseenter', function (ev) {
          var card = it.deal !== undefined ? dealCard(D.deals[it.deal]) : A.nodeCard(it.node, false);
          A.showTooltip(card, { x: ev.clientX, y: ev.clientY });
        });
        g.addEventListener('mouseleave', A.hideTooltipSoon);
        s.appendChild(g);
        marks.push({ x: p.x, y: cy, k: k });
      });
    });
    s.appendChild(svg('g', { id: 'timeline-labels' }));
    root.appendChild(s);
    tlGeom = { marks: marks, width: width, height: height, left: left };
    renderTimelineLabels();
  }
  // A mark as its outcome draws it: filled when granted, hollow when withdrawn since, hollow
  // and crossed when refused, not filed or withdrawn before a decision. Returns the marker.
  function outcomeMarks(parent, kind, colour, r, outcome) {
    var m = marker(kind, colour, r);
    if (outcome !== 'granted') {
      m.setAttribute('fill', '#fff');
      m.setAttribute('stroke', colour);
      m.setAttribute('stroke-width', '1.6');
    }
    parent.appendChild(m);
    if (outcome !== 'granted' && outcome !== 'withdrawn') {
      parent.appendChild(svg('line', { x1: -r, y1: r, x2: r, y2: -r, stroke: colour, 'stroke-width': 1.6 }));
    }
    return m;
  }
  function marker(kind, colour, r) {
    if (kind === 'square') return svg('rect', { x: -r * 0.85, y: -r * 0.85, width: r * 1.7, height: r * 1.7, fill: colour });
    if (kind === 'diamond') return svg('polygon', { points: [0, -r, r, 0, 0, r, -r, 0].join(' '), fill: colour });
    if (kind === 'triangle') return svg('polygon', { points: [0, -r, r, r * 0.8, -r, r * 0.8].join(' '), fill: colour });
    if (kind === 'star') {
      var pts = [];
      for (var q = 0; q < 10; q++) {
        var a = Math.PI / 5 * q - Math.PI / 2, rr = q % 2 ? r * 0.45 : r * 1.15;
        pts.push((Math.cos(a) * rr).toFixed(2), (Math.sin(a) * rr).toFixed(2));
      }
      return svg('polygon', { points: pts.join(' '), fill: colour });
    }
    if (kind === 'ring') return svg('circle', { r: r * 0.85, fill: '#fff', stroke: colour, 'stroke-width': 2 });
    return svg('circle', { r: r, fill: colour });
  }
  // Labels on the timeline: the selection's marks first, then LM ones, then approvals; each
  // placed right of its mark only where it overlaps no other label or mark.
  var tlLabels = [];
  function renderTimelineLabels() {
    var layer = document.getElementById('timeline-labels');
    if (!layer || !tlGeom) return;
    layer.replaceChildren();
    tlLabels = [];
    // With a selection, the faded marks are background: only the selection's marks are obstacles.
    var boxes = tlGeom.marks.filter(function (m) { return !related || isHl(TL_ITEMS[m.k]); })
      .map(function (m) { return { x: m.x - 6, y: m.y - 6, w: 12, h: 12, k: m.k, mark: true }; });
    function rank(m) {
      var it = TL_ITEMS[m.k];
      if (isHl(it)) return 0;
      if (it.lm) return 1;
      if (/approval/.test(it.kind) && (it.outcome || 'granted') === 'granted') return 2;
      return 3;
    }
    var order = tlGeom.marks.slice().sort(function (a, b) { return rank(a) - rank(b) || a.x - b.x; });
    var probe = svg('text', { x: 0, y: 0 });
    layer.appendChild(probe);
    order.forEach(function (m) {
      var it = TL_ITEMS[m.k];
      if (related && !isHl(it)) return;   // with a selection, only its marks are named
      var text = it.deal !== undefined ? it.label : (it.label || '');
      if (text.length > 28) text = text.slice(0, 27) + '…';
      probe.textContent = text;
      var w = probe.getComputedTextLength ? probe.getComputedTextLength() : text.length * 6;
      var r = { x: m.x + 7, y: m.y - 7, w: w + 2, h: 13 };
      if (r.x + r.w > tlGeom.width - 2) r.x = m.x - 7 - r.w;
      if (r.x < tlGeom.left) return;
      for (var q = 0; q < boxes.length; q++) {
        var o = boxes[q];
        if (o.mark && o.k === m.k && Math.abs(o.x + 6 - m.x) < 0.5 && Math.abs(o.y + 6 - m.y) < 0.5) continue;
        if (r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h) return;
      }
      boxes.push(r);
      var t = svg('text', { x: (r.x + 1).toFixed(1), y: (m.y + 4).toFixed(1), fill: isHl(it) ? '#000' : '#3d4656',
                            'font-weight': isHl(it) ? 600 : 400, 'paint-order': 'stroke', stroke: '#fff', 'stroke-width': 3 });
      t.textContent = text;
      layer.appendChild(t);
      tlLabels.push({ x: r.x, y: r.y, w: r.w, h: r.h, text: text });
    });
    layer.removeChild(probe);
  }

  // ---------- companies ----------
  function renderCompanies() {
    var root = document.getElementById('view-companies');
    root.replaceChildren();
    root.appendChild(el('h2', { text: 'Companies' + (D.rollup ? ' (groups: subsidiaries and acquired companies rolled up)' : '') }));
    root.appendChild(el('p', { cls: 'sub', text: D.companies.length + ' companies and institutions on this map. ' +
      'Agents are coloured by modality; click a company or an agent for its sourced facts.' }));
    root.appendChild(el('div', { cls: 'controls' }, modalityLegend()));
    var table = el('table', { cls: 'board', id: 'company-table' });
    var lm = D.pipeline.length && /^LM stage/.test(D.pipeline[0].basis);
    var cols = ['Company', 'Agents', lm ? 'Approved for LM' : 'Approved', lm ? 'In LM trials' : 'In development',
                'Designations', 'Trials', 'Deals'];
    var head = el('tr');
    cols.forEach(function (c, k) { head.appendChild(el('th', { text: c, cls: k === 0 ? 'group' : (k === 1 ? null : 'n') })); });
    table.appendChild(el('thead', null, head));
    var tbody = el('tbody');
    D.companies.slice().sort(function (a, b) {
      return b.agents.length - a.agents.length || b.designations - a.designations ||
        NODES[a.node].name.localeCompare(NODES[b.node].name);
    }).forEach(function (c) {
      var name = el('th', { cls: 'group' },
        el('button', { type: 'button', cls: 'name-link', text: NODES[c.node].name,
                       on: { click: function () { A.select(c.node); } } }));
      if (c.subsidiaries.length) {
        name.appendChild(el('div', { cls: 'small', text: 'with ' + c.subsidiaries.map(function (m) {
          return m.name + (m.via === 'acquired' ? ' (acquired)' : '');
        }).join(', ') }));
      }
      if (!c.agents.length && c.note) name.appendChild(el('div', { cls: 'small', text: c.note.length > 140 ? c.note.slice(0, 139) + '…' : c.note }));
      var agents = el('td');
      c.agents.forEach(function (i) { agents.appendChild(chip(i)); });
      if (!c.agents.length) agents.appendChild(el('span', { cls: 'small', text: 'no agent in the graph' }));
      var approved = c.agents.filter(function (i) { return PIPE_BY_NODE[i] && PIPE_BY_NODE[i].stage === 'approved'; }).length;
      var dev = c.agents.filter(function (i) {
        return PIPE_BY_NODE[i] && ['preclinical', 'phase1', 'phase2', 'phase3'].indexOf(PIPE_BY_NODE[i].stage) >= 0;
      }).length;
      var tr = el('tr', { cls: 'item', 'data-node': c.node }, name, agents,
        el('td', { cls: 'n', text: String(approved) }), el('td', { cls: 'n', text: String(dev) }),
        el('td', { cls: 'n', text: String(c.designations) }), el('td', { cls: 'n', text: String(c.trials) }),
        el('td', { cls: 'n', text: String(c.deals) }));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    root.appendChild(table);
  }

  var RENDER = { pipeline: renderPipeline, timeline: renderTimeline, companies: renderCompanies };
  // The timeline is drawn to the width it has: again when that changes (the side panel opens).
  var tlWidth = 0;
  var tlView = document.getElementById('view-timeline');
  function timelineFits() {
    if (current !== 'timeline' || !rendered.timeline) return;
    var w = tlView.clientWidth;
    if (Math.abs(w - tlWidth) > 4) { tlWidth = w; renderTimeline(); applyHighlight(); }
  }
  if (window.ResizeObserver) new ResizeObserver(timelineFits).observe(tlView);
  window.addEventListener('resize', timelineFits);
  applyHighlight();

  // For tests and scripts.
  window.lmkgViews = {
    show: show,
    current: function () { return current; },
    highlighted: function (v) { return (highlighted[v] || []).slice(); },
    timelineLabels: function () { return tlLabels.map(function (l) { return Object.assign({}, l); }); },
    selection: function () { return sel === null ? null : (sel.node !== undefined ? NODES[sel.node].id : 'deal:' + sel.deal); },
    pickDeal: pickDeal
  };
})();
