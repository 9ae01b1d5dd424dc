/* lmkg landscape map. Every piece of text from the data goes into the page through
   textContent or attribute setters, never through innerHTML; links are http(s) only. */
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('lmkg-data').textContent);
  var NODES = DATA.nodes, EDGES = DATA.edges;
  var TYPES = {}, RELS = {};
  DATA.types.forEach(function (t) { TYPES[t.name] = t; });
  DATA.relations.forEach(function (r) { RELS[r.name] = r; });
  var LARGE = NODES.length > 1500;

  // ---------- safe DOM helpers ----------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'cls') node.className = v;
        else if (k === 'on') Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
        else node.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function safeHref(url) {
    if (typeof url !== 'string') return null;
    try {
      var u = new URL(url);
      return (u.protocol === 'https:' || u.protocol === 'http:') ? u.href : null;
    } catch (e) { return null; }
  }
  function link(label, href) {
    var h = safeHref(href);
    if (!h) return el('span', { text: label });
    return el('a', { href: h, target: '_blank', rel: 'noopener noreferrer', text: label });
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    return n;
  }
  function shapeSwatch(shape, color) {
    var s = svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' });
    var a = { fill: color, stroke: '#333', 'stroke-width': 0.6 }, p;
    function pts(list) { return list.map(function (q) { return q.join(','); }).join(' '); }
    if (shape === 'dot') p = svg('circle', Object.assign({ cx: 7, cy: 7, r: 5.5 }, a));
    else if (shape === 'square') p = svg('rect', Object.assign({ x: 2, y: 2, width: 10, height: 10 }, a));
    else if (shape === 'diamond') p = svg('polygon', Object.assign({ points: pts([[7, 1], [13, 7], [7, 13], [1, 7]]) }, a));
    else if (shape === 'triangle') p = svg('polygon', Object.assign({ points: pts([[7, 1.5], [13, 12.5], [1, 12.5]]) }, a));
    else if (shape === 'triangleDown') p = svg('polygon', Object.assign({ points: pts([[1, 1.5], [13, 1.5], [7, 12.5]]) }, a));
    else if (shape === 'hexagon') p = svg('polygon', Object.assign({ points: pts([[4, 1.5], [10, 1.5], [13, 7], [10, 12.5], [4, 12.5], [1, 7]]) }, a));
    else if (shape === 'star') p = svg('polygon', Object.assign({ points: pts([[7, 0.5], [8.8, 5], [13.5, 5.2], [9.8, 8.2], [11, 13], [7, 10.3], [3, 13], [4.2, 8.2], [0.5, 5.2], [5.2, 5]]) }, a));
    else p = svg('circle', Object.assign({ cx: 7, cy: 7, r: 5.5 }, a));
    s.appendChild(p);
    return s;
  }
  function lineSwatch(color, dashes) {
    var s = svg('svg', { width: 26, height: 10, viewBox: '0 0 26 10', 'aria-hidden': 'true' });
    var attrs = { x1: 1, y1: 5, x2: 25, y2: 5, stroke: color, 'stroke-width': 2.2 };
    if (dashes) attrs['stroke-dasharray'] = dashes.join(' ');
    s.appendChild(svg('line', attrs));
    return s;
  }
  function words(s) { return String(s).replace(/_/g, ' '); }
  function fmt(n) { return n.toLocaleString('en-US'); }

  // ---------- names, as lmkg normalises them (graph/names.py) ----------
  var GREEK = { 'α': 'alpha', 'β': 'beta', 'γ': 'gamma', 'δ': 'delta', 'κ': 'kappa', 'λ': 'lambda' };
  function normalise(text) {
    var t = String(text).normalize('NFKC').toLowerCase();
    Object.keys(GREEK).forEach(function (k) { t = t.split(k).join(GREEK[k]); });
    t = t.split('-positive').join('+').split(' positive').join('+');
    return t.replace(/[^0-9a-z+]/g, '');
  }
  var KEY_INDEX = new Map();
  NODES.forEach(function (n, i) {
    n.keys.forEach(function (k) {
      if (!KEY_INDEX.has(k)) KEY_INDEX.set(k, []);
      KEY_INDEX.get(k).push(i);
    });
  });
  function findNode(query) {
    var q = normalise(query);
    if (!q) return null;
    var best = null, bestScore = -1;
    function consider(i, score) {
      score = score * 1e6 + NODES[i].degree;
      if (score > bestScore) { best = i; bestScore = score; }
    }
    (KEY_INDEX.get(q) || []).forEach(function (i) {
      consider(i, normalise(NODES[i].name) === q ? 4 : 3);
    });
    if (best !== null) return best;
    KEY_INDEX.forEach(function (ids, k) {
      var s = k.indexOf(q) === 0 ? 2 : (k.indexOf(q) > 0 ? 1 : -1);
      if (s > 0) ids.forEach(function (i) { consider(i, s); });
    });
    return best;
  }

  // ---------- adjacency ----------
  var ADJ = NODES.map(function () { return []; });
  EDGES.forEach(function (e, j) { ADJ[e.from].push(j); ADJ[e.to].push(j); });

  // ---------- vis-network ----------
  var FADED = '#e4e7ec';
  var labelsOn = true;
  function nodeRecord(i) {
    var n = NODES[i], t = TYPES[n.type];
    return {
      id: i, label: labelsOn ? n.label : '', value: n.degree, shape: t.shape,
      color: { background: t.color, border: '#2b2f36', highlight: { background: t.color, border: '#000' },
               hover: { background: t.color, border: '#000' } },
      font: { color: '#1d2330' }
    };
  }
  function edgeRecord(j) {
    var e = EDGES[j], r = RELS[e.rel];
    return {
      id: j, from: e.from, to: e.to, dashes: r.dashes || false,
      color: { color: r.color, highlight: r.color, hover: r.color, opacity: 0.7 }
    };
  }
  var nodesDS = new vis.DataSet(NODES.map(function (n, i) {
    var r = nodeRecord(i); r.x = n.x; r.y = n.y; return r;
  }));
  var edgesDS = new vis.DataSet(EDGES.map(function (e, j) { return edgeRecord(j); }));
  var container = document.getElementById('graph');
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: {
      enabled: false, solver: 'forceAtlas2Based',
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.3 },
      stabilization: { enabled: true, iterations: 150, updateInterval: 25, fit: false },
      minVelocity: 1.5, timestep: 0.4
    },
    interaction: {
      hover: true, tooltipDelay: 150, hideEdgesOnDrag: LARGE, hideEdgesOnZoom: LARGE,
      multiselect: false, navigationButtons: false, keyboard: false
    },
    nodes: {
      borderWidth: 1, borderWidthSelected: 3,
      font: { size: 13, face: 'system-ui, Arial, sans-serif', strokeWidth: 3, strokeColor: '#ffffff' },
      // Size and label by number of relations (square root); on-screen labels stay between
      // 7 px (smaller ones are not drawn, so zooming out leaves the hubs named) and 40 units (26 px).
      scaling: {
        min: 7, max: 42,
        customScalingFunction: function (min, max, total, value) {
          return max === min ? 0.3 : Math.sqrt((value - min) / (max - min));
        },
        label: { enabled: true, min: 10, max: 40, drawThreshold: 7, maxVisible: 26 }
      }
    },
    edges: {
      smooth: false, width: 1, selectionWidth: 2, hoverWidth: 0.5,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      font: { size: 0 }
    }
  };
  var network = new vis.Network(container, { nodes: nodesDS, edges: edgesDS }, options);
  network.once('afterDrawing', function () {
    window.lmkgReadyAt = performance.now();
    document.body.setAttribute('data-ready', '1');
  });

  // ---------- filter state ----------
  var state = {
    types: new Set(DATA.types.map(function (t) { return t.name; })),
    rels: new Set(DATA.relations.map(function (r) { return r.name; })),
    statuses: new Set(DATA.statuses),
    facet: { cancer: null, company: null, biomarker: null },
    overview: DATA.overview !== null,
    reveal: new Set()
  };
  var FACETS = {};
  ['cancer', 'company', 'biomarker'].forEach(function (f) {
    FACETS[f] = (DATA.facets[f] || []).map(function (e) {
      return { node: e.node, name: e.name, members: new Set(e.members) };
    });
  });
  var OVERVIEW = DATA.overview ? new Set(DATA.overview) : null;
  var nodeShown = NODES.map(function () { return true; });
  var edgeShown = EDGES.map(function () { return true; });

  function wantNode(i) {
    if (state.reveal.has(i)) return true;
    var n = NODES[i];
    if (!state.types.has(n.type)) return false;
    if (n.type === 'Agent' && n.status && !state.statuses.has(n.status)) return false;
    var anyFacet = false;
    for (var f in state.facet) {
      var sel = state.facet[f];
      if (sel !== null) {
        anyFacet = true;
        if (!FACETS[f][sel].members.has(i)) return false;
      }
    }
    if (state.overview && OVERVIEW && !anyFacet && !OVERVIEW.has(i)) return false;
    return true;
  }
  function applyFilters() {
    var nodeChanges = [], edgeChanges = [], nVisible = 0, eVisible = 0;
    NODES.forEach(function (n, i) {
      var v = wantNode(i);
      if (v) nVisible++;
      if (v !== nodeShown[i]) { nodeShown[i] = v; nodeChanges.push({ id: i, hidden: !v }); }
    });
    EDGES.forEach(function (e, j) {
      var v = nodeShown[e.from] && nodeShown[e.to] && state.rels.has(e.rel);
      if (v) eVisible++;
      if (v !== edgeShown[j]) { edgeShown[j] = v; edgeChanges.push({ id: j, hidden: !v }); }
    });
    if (nodeChanges.length) nodesDS.update(nodeChanges);
    if (edgeChanges.length) edgesDS.update(edgeChanges);
    if (selected !== null && !nodeShown[selected]) clearSelection();
    document.getElementById('counts').textContent =
      'Showing ' + fmt(nVisible) + ' of ' + fmt(NODES.length) + ' entities, ' +
      fmt(eVisible) + ' of ' + fmt(EDGES.length) + ' relations';
    var banner = document.getElementById('banner');
    var anyFacet = Object.keys(state.facet).some(function (f) { return state.facet[f] !== null; });
    banner.replaceChildren();
    if (state.overview && OVERVIEW && !anyFacet) {
      banner.appendChild(document.createTextNode(
        'Overview: the ' + fmt(OVERVIEW.size) + ' most connected of ' + fmt(NODES.length) +
        ' entities. Search or focus on a cancer, company or biomarker to see the rest.'));
      banner.appendChild(el('button', { type: 'button', id: 'show-all', text: 'Show all',
        on: { click: function () { state.overview = false; applyFilters(); } } }));
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    return { nodes: nVisible, edges: eVisible };
  }

  // ---------- cards (tooltip and side panel) ----------
  function typeBadge(type) {
    var t = TYPES[type];
    return el('span', { cls: 'type' }, shapeSwatch(t.shape, t.color), t.label);
  }
  function sourceItem(s) {
    var li = el('li', null, link(s.label, s.href));
    if (s.scope) li.appendChild(el('span', { cls: 'tag' + (s.scope === 'lm' ? ' lm' : ''), text: words(s.scope) }));
    if (s.secondary) li.appendChild(el('span', { cls: 'tag', text: 'secondary' }));
    if (s.title && s.title !== s.label) li.appendChild(el('div', { cls: 'note', text: s.title }));
    if (s.note) li.appendChild(el('div', { cls: 'note', text: s.note }));
    return li;
  }
  function sourceList(list, limit) {
    var ul = el('ul', { cls: 'sources' });
    list.slice(0, limit).forEach(function (s) { ul.appendChild(sourceItem(s)); });
    if (list.length > limit) ul.appendChild(el('li', { cls: 'more', text: '+ ' + (list.length - limit) + ' more (click the node)' }));
    return ul;
  }
  function clip(text, max) { return text.length > max ? text.slice(0, max - 1) + '…' : text; }
  function factTable(facts, limit, max) {
    var table = el('table');
    facts.slice(0, limit).forEach(function (f) {
      table.appendChild(el('tr', null, el('th', { text: f[0] }), el('td', { text: max ? clip(f[1], max) : f[1] })));
    });
    if (facts.length > limit) table.appendChild(el('tr', null, el('td', { colspan: 2, cls: 'more', text: '+ ' + (facts.length - limit) + ' more facts' })));
    return table;
  }
  function nodeCard(i, full) {
    var n = NODES[i];
    var card = el('div', { cls: 'card', 'data-node': n.id });
    card.appendChild(el('h3', { cls: 'name', text: n.name }));
    card.appendChild(typeBadge(n.type));
    if (n.synonyms.length) card.appendChild(el('div', { cls: 'syn', text: 'also: ' + n.synonyms.join(', ') }));
    if (n.description) card.appendChild(el('div', { cls: 'desc', text: full ? n.description : clip(n.description, 200) }));
    if (n.facts.length) card.appendChild(factTable(n.facts, full ? 1000 : 6, full ? 0 : 110));
    if (n.xrefs.length) {
      var x = el('div', { cls: 'xrefs' });
      n.xrefs.slice(0, full ? 1000 : 6).forEach(function (r, k) {
        if (k) x.appendChild(document.createTextNode(' · '));
        x.appendChild(link(r.label, r.href));
      });
      card.appendChild(el('h4', { text: 'Identifiers' }));
      card.appendChild(x);
    }
    if (n.sources.length) {
      card.appendChild(el('h4', { text: 'Sources' }));
      card.appendChild(sourceList(n.sources, full ? 1000 : 4));
    }
    if (n.related_sources.length) {
      card.appendChild(el('h4', { text: 'Sources of its relations' }));
      card.appendChild(sourceList(n.related_sources, full ? 1000 : (n.sources.length ? 3 : 5)));
    }
    if (full) card.appendChild(relationList(i));
    else card.appendChild(el('div', { cls: 'more', text: 'Click for relations and all sources.' }));
    return card;
  }
  function relationList(i) {
    var wrap = el('div', { cls: 'relations' });
    var items = ADJ[i].map(function (j) {
      var e = EDGES[j], out = e.from === i, other = out ? e.to : e.from;
      return { j: j, e: e, out: out, other: other };
    }).sort(function (a, b) {
      return (a.out === b.out ? 0 : (a.out ? -1 : 1)) || a.e.rel.localeCompare(b.e.rel) ||
        NODES[a.other].name.localeCompare(NODES[b.other].name);
    });
    wrap.appendChild(el('h4', { text: 'Relations (' + items.length + ')' }));
    var ul = el('ul');
    items.forEach(function (it) {
      var btn = el('button', { type: 'button', cls: 'rel-link', text: NODES[it.other].name,
        on: { click: function () { focusNode(it.other); } } });
      var li = el('li', null,
        el('span', { cls: 'verb', text: it.out ? it.e.rel + ' → ' : '← ' + it.e.rel + ' ' }), btn);
      if (it.e.derived) li.appendChild(el('span', { cls: 'tag', text: 'derived' }));
      if (it.e.facts.length) li.appendChild(el('div', { cls: 'note', text: it.e.facts.map(function (f) { return f[0] + ': ' + f[1]; }).join('; ') }));
      if (it.e.sources.length) li.appendChild(sourceList(it.e.sources, 5));
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    return wrap;
  }
  function edgeCard(j) {
    var e = EDGES[j];
    var card = el('div', { cls: 'card' });
    card.appendChild(el('h3', { text: NODES[e.from].name }));
    card.appendChild(el('div', null, el('span', { cls: 'verb', text: e.rel + ' → ' }), NODES[e.to].name));
    if (e.derived) card.appendChild(el('div', { cls: 'note', text: 'derived: ' + e.derived }));
    if (e.facts.length) card.appendChild(factTable(e.facts, 20));
    if (e.sources.length) {
      card.appendChild(el('h4', { text: 'Sources' }));
      card.appendChild(sourceList(e.sources, 6));
    }
    return card;
  }

  // ---------- tooltip ----------
  var tooltip = document.getElementById('tooltip');
  var hideTimer = null;
  var armTimer = null;
  function showTooltip(content, pointer) {
    clearTimeout(hideTimer);
    // Passive (clicks and moves go through to the map) until the pointer rests, so a tooltip
    // never sits between the pointer and the next node; then its links can be clicked.
    clearTimeout(armTimer);
    tooltip.classList.add('passive');
    armTimer = setTimeout(function () { tooltip.classList.remove('passive'); }, 600);
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    var stage = document.getElementById('stage').getBoundingClientRect();
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + w > stage.width - 6) x = Math.max(6, pointer.x - w - 14);
    if (y + h > stage.height - 6) y = Math.max(6, stage.height - h - 6);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }
  function hideTooltipSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { tooltip.hidden = true; }, 350);
  }
  tooltip.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
  tooltip.addEventListener('mouseleave', hideTooltipSoon);
  network.on('hoverNode', function (p) { showTooltip(nodeCard(p.node, false), p.pointer.DOM); });
  network.on('blurNode', hideTooltipSoon);
  network.on('hoverEdge', function (p) { showTooltip(edgeCard(p.edge), p.pointer.DOM); });
  network.on('blurEdge', hideTooltipSoon);
  network.on('dragStart', function () { tooltip.hidden = true; });
  network.on('zoom', function () { tooltip.hidden = true; });

  // ---------- selection: highlight the neighbourhood, details panel ----------
  var selected = null;
  var dimmed = false;
  function highlight(i) {
    var keep = new Set([i]), keepEdges = new Set();
    ADJ[i].forEach(function (j) {
      if (!edgeShown[j]) return;
      keepEdges.add(j); keep.add(EDGES[j].from); keep.add(EDGES[j].to);
    });
    var nu = [], eu = [];
    NODES.forEach(function (n, k) {
      if (keep.has(k)) nu.push(nodeRecord(k));
      else nu.push({ id: k, color: { background: FADED, border: '#cfd4dc' }, font: { color: '#c3c8d0' } });
    });
    EDGES.forEach(function (e, j) {
      if (keepEdges.has(j)) { var r = edgeRecord(j); r.width = 2; eu.push(r); }
      else eu.push({ id: j, color: { color: '#dfe3e9', opacity: 0.4 }, width: 1 });
    });
    nodesDS.update(nu); edgesDS.update(eu);
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) return;
    nodesDS.update(NODES.map(function (n, k) { return nodeRecord(k); }));
    edgesDS.update(EDGES.map(function (e, j) { var r = edgeRecord(j); r.width = 1; return r; }));
    dimmed = false;
  }
  var details = document.getElementById('details');
  function resized() {
    // The panel changes the canvas width now, not at vis-network's next resize poll,
    // so a focus animation that follows lands on the right spot.
    var view = network.getViewPosition(), scale = network.getScale();
    network.setSize('100%', '100%');
    network.moveTo({ position: view, scale: scale, animation: false });
  }
  function showDetails(i) {
    document.getElementById('details-body').replaceChildren(nodeCard(i, true));
    if (details.hidden) { details.hidden = false; resized(); }
  }
  function selectNode(i) {
    selected = i;
    network.selectNodes([i], false);
    highlight(i);
    showDetails(i);
  }
  function clearSelection() {
    selected = null;
    network.unselectAll();
    unhighlight();
    if (!details.hidden) { details.hidden = true; resized(); }
  }
  document.getElementById('details-close').addEventListener('click', clearSelection);
  network.on('click', function (p) {
    tooltip.hidden = true;
    if (p.nodes.length) selectNode(p.nodes[0]);
    else if (!p.edges.length) clearSelection();
  });

  function focusNode(i) {
    if (!nodeShown[i]) {
      // A node hidden by the filters is shown with its neighbourhood until the filters change.
      state.reveal = new Set([i]);
      ADJ[i].forEach(function (j) { state.reveal.add(EDGES[j].from); state.reveal.add(EDGES[j].to); });
      applyFilters();
    }
    selectNode(i);
    network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: { duration: 350, easingFunction: 'easeInOutQuad' } });
  }

  // ---------- controls ----------
  document.getElementById('title').textContent = DATA.title || 'lmkg map';
  document.getElementById('subtitle').textContent = DATA.subtitle || '';
  var footer = document.getElementById('footer');
  footer.textContent = 'lmkg · ' + fmt(DATA.graph_nodes) + ' entities and ' + fmt(DATA.graph_edges) +
    ' relations in the graph' + (DATA.built_at ? ' · built ' + DATA.built_at : '') +
    ' · hover for facts and sources, click to highlight';

  var datalist = document.getElementById('names');
  var frag = document.createDocumentFragment();
  NODES.forEach(function (n) { frag.appendChild(el('option', { value: n.name })); });
  datalist.appendChild(frag);
  var searchMsg = document.getElementById('search-msg');
  document.getElementById('search-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = document.getElementById('search').value;
    var i = findNode(q);
    if (i === null) {
      searchMsg.className = 'msg';
      searchMsg.textContent = q.trim() ? 'No entity named "' + q.trim() + '" on this map.' : '';
      return;
    }
    searchMsg.className = 'msg ok';
    searchMsg.textContent = 'Found ' + NODES[i].name + ' (' + TYPES[NODES[i].type].label + ')';
    focusNode(i);
  });

  function legendItem(listId, key, value, swatch, text, count, set) {
    var box = el('input', { type: 'checkbox', 'data-key': key, value: value });
    box.checked = true;
    box.addEventListener('change', function () {
      if (box.checked) set.add(value); else set.delete(value);
      state.reveal = new Set();
      applyFilters();
    });
    document.getElementById(listId).appendChild(el('li', { 'data-value': value },
      el('label', null, box, swatch, el('span', { cls: 'label', text: text }), el('span', { cls: 'n', text: fmt(count) }))));
  }
  DATA.types.forEach(function (t) {
    legendItem('type-list', 'type', t.name, shapeSwatch(t.shape, t.color), t.label, t.count, state.types);
  });
  DATA.relations.forEach(function (r) {
    legendItem('rel-list', 'rel', r.name, lineSwatch(r.color, r.dashes), words(r.name).toLowerCase(), r.count, state.rels);
  });
  var statusCounts = {};
  NODES.forEach(function (n) { if (n.status) statusCounts[n.status] = (statusCounts[n.status] || 0) + 1; });
  DATA.statuses.forEach(function (s) {
    legendItem('status-list', 'status', s, el('span'), words(s), statusCounts[s], state.statuses);
  });
  if (!DATA.statuses.length) document.getElementById('status-section').hidden = true;

  function setAll(setName, on) {
    var set = state[setName], key = setName === 'types' ? 'type' : 'rel';
    document.querySelectorAll('input[data-key="' + key + '"]').forEach(function (b) {
      b.checked = on;
      if (on) set.add(b.value); else set.delete(b.value);
    });
    state.reveal = new Set();
    applyFilters();
  }
  document.querySelectorAll('button[data-all]').forEach(function (b) {
    b.addEventListener('click', function () { setAll(b.getAttribute('data-all'), true); });
  });
  document.querySelectorAll('button[data-none]').forEach(function (b) {
    b.addEventListener('click', function () { setAll(b.getAttribute('data-none'), false); });
  });

  ['cancer', 'company', 'biomarker'].forEach(function (f) {
    var sel = document.getElementById('facet-' + f);
    sel.appendChild(el('option', { value: '', text: 'any (' + FACETS[f].length + ')' }));
    FACETS[f].forEach(function (e, k) {
      sel.appendChild(el('option', { value: String(k), text: e.name + ' (' + e.members.size + ')' }));
    });
    if (!FACETS[f].length) sel.disabled = true;
    sel.addEventListener('change', function () {
      state.facet[f] = sel.value === '' ? null : Number(sel.value);
      state.reveal = new Set();
      applyFilters();
      fitVisible();
    });
  });

  function fitVisible() {
    var ids = [];
    nodeShown.forEach(function (v, i) { if (v) ids.push(i); });
    if (ids.length === NODES.length) network.fit({ animation: false });
    else if (ids.length) network.fit({ nodes: ids, animation: false });
  }
  document.getElementById('fit').addEventListener('click', fitVisible);
  document.getElementById('reset').addEventListener('click', function () {
    state.types = new Set(DATA.types.map(function (t) { return t.name; }));
    state.rels = new Set(DATA.relations.map(function (r) { return r.name; }));
    state.statuses = new Set(DATA.statuses);
    Object.keys(state.facet).forEach(function (f) {
      state.facet[f] = null; document.getElementById('facet-' + f).value = '';
    });
    document.querySelectorAll('ul.legend input').forEach(function (b) { b.checked = true; });
    state.reveal = new Set();
    clearSelection();
    applyFilters();
    fitVisible();
  });
  document.getElementById('physics').addEventListener('change', function (ev) {
    if (ev.target.checked) {
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(LARGE ? 60 : 150);  // bounded; dragging afterwards stays live
    } else {
      network.setOptions({ physics: { enabled: false } });
    }
  });
  document.getElementById('labels').addEventListener('change', function (ev) {
    labelsOn = ev.target.checked;
    nodesDS.update(NODES.map(function (n, k) { return { id: k, label: labelsOn ? n.label : '' }; }));
  });

  applyFilters();
  if (OVERVIEW) fitVisible(); else network.fit({ animation: false });

  // For tests and scripts: read-only views of the state.
  window.lmkgMap = {
    network: network, nodes: nodesDS, edges: edgesDS, data: DATA,
    visible: function () {
      return { nodes: nodeShown.filter(Boolean).length, edges: edgeShown.filter(Boolean).length };
    },
    visibleIds: function () {
      var out = [];
      nodeShown.forEach(function (v, i) { if (v) out.push(NODES[i].id); });
      return out;
    },
    indexOf: function (id) {
      for (var i = 0; i < NODES.length; i++) if (NODES[i].id === id) return i;
      return -1;
    },
    selected: function () { return selected === null ? null : NODES[selected].id; },
    focus: focusNode
  };
})();
