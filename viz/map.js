/* lmkg landscape map. Every piece of text from the data goes into the page through
   textContent or attribute setters, never through innerHTML; links are http(s) only. */
(function () {
  'use strict';
  // ---------- names, as lmkg normalises them (graph/names.py) ----------
  var GREEK = { 'α': 'alpha', 'β': 'beta', 'γ': 'gamma', 'δ': 'delta', 'κ': 'kappa', 'λ': 'lambda' };
  function normalise(text) {
    var t = String(text).normalize('NFKC').toLowerCase();
    Object.keys(GREEK).forEach(function (k) { t = t.split(k).join(GREEK[k]); });
    t = t.split('-positive').join('+').split(' positive').join('+');
    return t.replace(/[^0-9a-z+]/g, '');
  }

  // ---------- the page's data, packed by viz/pagedata.py: read back as map_data made it ----------
  // The format is described once, in its schema (pagedata.SCHEMA), which comes with the data.
  function unpack(doc) {
    if (doc.format !== 2) throw new Error('lmkg map: unknown data format ' + doc.format);
    var S = doc.strings, schema = doc.schema, tables = doc.tables;
    function path(v) { return v === null ? null : S[v[0]] + v[1]; }
    function ungap(g) { var out = new Array(g.length), at = 0; for (var k = 0; k < g.length; k++) { at += g[k]; out[k] = at; } return out; }
    var CODECS = {
      num: null, text: null, texts: null,
      str: function (v) { return v === null ? null : S[v]; },
      strs: function (v) { return v.map(function (i) { return S[i]; }); },
      pairs: function (v) { var out = []; for (var k = 0; k < v.length; k += 2) out.push([S[v[k]], S[v[k + 1]]]); return out; },
      path: path,
      links: function (v) { var out = []; for (var k = 0; k < v.length; k += 2) out.push({ label: S[v[k]], href: path(v[k + 1]) }); return out; },
      refs: function (v) { return typeof v === 'number' ? [v] : v; },
      ids: ungap
    };
    function isDefault(v, d) {
      return v === d || (Array.isArray(d) && Array.isArray(v) && v.length === 0 && d.length === 0);
    }
    function table(enc, spec) {
      var n = enc.n, rows = new Array(n);
      for (var i = 0; i < n; i++) rows[i] = {};
      spec.fields.forEach(function (f) {
        var name = f[0], dec = CODECS[f[1]], col = enc.cols[name], hasDefault = f.length > 2, d = f[2];
        if (dec === undefined) throw new Error('lmkg map: unknown codec ' + f[1]);
        var absent = !!spec.omit && hasDefault && !(d && typeof d === 'object' && !Array.isArray(d));
        if (Array.isArray(col)) {
          for (var i = 0; i < n; i++) {
            var v = dec ? dec(col[i]) : col[i];
            if (!(absent && isDefault(v, d))) rows[i][name] = v;
          }
          return;
        }
        var at = ungap(col.at), set = new Uint8Array(n);
        for (var k = 0; k < at.length; k++) { rows[at[k]][name] = dec ? dec(col.v[k]) : col.v[k]; set[at[k]] = 1; }
        if (absent) return;
        for (var j = 0; j < n; j++) {
          if (set[j]) continue;
          if (Array.isArray(d)) rows[j][name] = d.slice();
          else if (d && typeof d === 'object') rows[j][name] = d.as === '#' ? j : rows[j][d.as];
          else rows[j][name] = d;
        }
      });
      return rows;
    }
    var data = {};
    Object.keys(doc).forEach(function (k) {
      if (['format', 'schema', 'strings', 'tables'].indexOf(k) < 0) data[k] = doc[k];
    });
    ['nodes', 'edges', 'sources', 'pipeline', 'events', 'deals', 'companies'].forEach(function (t) {
      data[t] = table(tables[t], schema[t]);
    });
    data.source_group = data.sources.map(function (s) { var g = s.group; delete s.group; return g; });
    var degree = data.nodes.map(function () { return 0; });
    data.edges.forEach(function (e) { degree[e.from]++; degree[e.to]++; });
    var ASCII = /^[\x00-\x7f]*$/;
    data.nodes.forEach(function (n, i) {
      n.degree = degree[i];
      n.size = Math.round(Math.min(40, 8 + 4 * Math.sqrt(degree[i])) * 10) / 10;
      // The search keys of its ASCII name, synonyms and id, made here as graph/names.py makes them.
      var keys = new Set(n.keys), not = new Set(n.keys_not);
      [n.name].concat(n.synonyms, [n.id.slice(n.id.indexOf('/') + 1)]).forEach(function (t) {
        if (t && ASCII.test(t)) { var k = normalise(t); if (k) keys.add(k); }
      });
      delete n.keys_not;
      n.keys = Array.from(keys).filter(function (k) { return !not.has(k); }).sort();
    });
    data.facets = {};
    Object.keys(tables.facets).forEach(function (f) {
      data.facets[f] = table(tables.facets[f], schema.facets).map(function (e) {
        e.name = data.nodes[e.node].name; e.type = data.nodes[e.node].type; return e;
      });
    });
    return data;
  }
  var DATA = unpack(JSON.parse(document.getElementById('lmkg-data').textContent));
  var NODES = DATA.nodes, EDGES = DATA.edges, SOURCES = DATA.sources, SOURCE_GROUP = DATA.source_group;
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

  // ---------- search ----------
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
      id: i, value: n.degree, shape: t.shape,
      color: { background: t.color, border: '#2b2f36', highlight: { background: t.color, border: '#000' },
               hover: { background: t.color, border: '#000' } },
      font: { color: '#1d2330' }
    };
  }
  function edgeRecord(j) {
    var e = EDGES[j], r = RELS[e.rel];
    return {
      id: j, from: e.from, to: e.to, dashes: r.dashes || false,
      color: { color: r.color, highlight: r.color, hover: r.color, opacity: layout === 'layers' ? 0.28 : 0.6 }
    };
  }
  // Two precomputed layouts: the landscape in layers (default) and the force-directed network.
  var layout = 'layers';
  function posOf(n) { return layout === 'layers' ? { x: n.lx, y: n.ly } : { x: n.x, y: n.y }; }
  var nodesDS = new vis.DataSet(NODES.map(function (n, i) {
    var r = nodeRecord(i), p = posOf(n); r.x = p.x; r.y = p.y; return r;
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
      // Size by number of relations (square root). Labels are not vis-network's: the page
      // draws them itself (drawLabels), at a fixed screen size, where they collide with nothing.
      scaling: {
        min: 3.5, max: 8.5,
        customScalingFunction: function (min, max, total, value) {
          return max === min ? 0.3 : Math.sqrt((value - min) / (max - min));
        },
        label: { enabled: false }
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

  // ---------- labels: placed by importance where they collide with no other label or node ----------
  var LABEL_PX = 12, LABEL_H = 14, FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  var drawnLabels = [];          // [{x, y, w, h, text, node}] in CSS pixels of the canvas, this frame
  var widthCache = new Map();
  var priority = null;           // visible node indices, most important first (null: recompute)
  var emphasis = null;           // Set of node indices other views asked to stand out
  function textWidth(ctx, font, text) {
    var key = font + '\u0000' + text, w = widthCache.get(key);
    if (w === undefined) { ctx.font = font; w = ctx.measureText(text).width; widthCache.set(key, w); }
    return w;
  }
  function invalidateLabels() { priority = null; }
  function rankOf(i, near) {
    if (i === selected) return 0;
    if (near && near.has(i)) return 1;
    if (emphasis && emphasis.has(i)) return 1;
    return 2;
  }
  function priorityOrder() {
    if (priority) return priority;
    var near = selected !== null ? neighbourSet(selected) : null;
    var ids = [];
    nodeShown.forEach(function (v, i) { if (v) ids.push(i); });
    var rank = ids.map(function (i) { return rankOf(i, near); });
    var order = ids.map(function (_i, k) { return k; });
    order.sort(function (a, b) {
      return rank[a] - rank[b] || NODES[ids[b]].degree - NODES[ids[a]].degree || ids[a] - ids[b];
    });
    priority = order.map(function (k) { return ids[k]; });
    return priority;
  }
  function neighbourSet(i) {
    var s = new Set([i]);
    ADJ[i].forEach(function (j) { if (edgeShown[j]) { s.add(EDGES[j].from); s.add(EDGES[j].to); } });
    return s;
  }
  function Grid(cell) { this.cell = cell; this.map = new Map(); this.items = []; }
  Grid.prototype.keys = function (r, fn) {
    var c = this.cell, x0 = Math.floor(r.x / c), x1 = Math.floor((r.x + r.w) / c),
        y0 = Math.floor(r.y / c), y1 = Math.floor((r.y + r.h) / c);
    for (var gx = x0; gx <= x1; gx++) for (var gy = y0; gy <= y1; gy++) fn(gx * 100003 + gy);
  };
  Grid.prototype.add = function (r) {
    var k = this.items.push(r) - 1, map = this.map;
    this.keys(r, function (key) { var b = map.get(key); if (b) b.push(k); else map.set(key, [k]); });
  };
  Grid.prototype.hits = function (r, skipNode) {
    var map = this.map, items = this.items, hit = false;
    this.keys(r, function (key) {
      if (hit) return;
      var b = map.get(key);
      if (!b) return;
      for (var q = 0; q < b.length; q++) {
        var o = items[b[q]];
        if (o.node === skipNode && o.marker) continue;
        if (r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h) { hit = true; return; }
      }
    });
    return hit;
  };
  function drawLabels(ctx) {
    drawnLabels = [];
    if (!labelsOn) return;
    var W = container.clientWidth, H = container.clientHeight;
    if (!W || !H) return;
    var scale = network.getScale(), vp = network.getViewPosition();
    var pr = ctx.canvas.width / W;
    var body = network.body && network.body.nodes;
    var grid = new Grid(48), pts = {};
    var order = priorityOrder();
    order.forEach(function (i) {
      var bn = body && body[i];
      var p = bn ? { x: bn.x, y: bn.y } : network.getPosition(i);
      var sx = (p.x - vp.x) * scale + W / 2, sy = (p.y - vp.y) * scale + H / 2;
      if (sx < -50 || sy < -50 || sx > W + 50 || sy > H + 50) return;
      var size = bn && bn.options && bn.options.size ? bn.options.size : NODES[i].size;
      var rad = Math.max(2.5, size * scale);
      pts[i] = { x: sx, y: sy, r: rad };
      grid.add({ x: sx - rad, y: sy - rad, w: 2 * rad, h: 2 * rad, node: i, marker: true });
    });
    ctx.save();
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    function place(r, text, font, colour, node) {
      if (r.x < 2 || r.y < 2 || r.x + r.w > W - 2 || r.y + r.h > H - 2) return false;
      if (grid.hits(r, node)) return false;
      grid.add(r);
      ctx.font = font;
      ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.92)';
      ctx.strokeText(text, r.x, r.y + r.h / 2);
      ctx.fillStyle = colour;
      ctx.fillText(text, r.x, r.y + r.h / 2);
      drawnLabels.push({ x: r.x, y: r.y, w: r.w, h: r.h, text: text, node: node });
      return true;
    }
    if (layout === 'layers') {
      var counts = {};
      nodeShown.forEach(function (v, i) { if (v) counts[NODES[i].type] = (counts[NODES[i].type] || 0) + 1; });
      HEADERS.forEach(function (h) {
        var n = h.types.reduce(function (a, t) { return a + (counts[t] || 0); }, 0);
        if (!n) return;
        var text = h.label.toUpperCase() + ' (' + fmt(n) + ')', font = '700 ' + LABEL_PX + 'px ' + FONT;
        var w = textWidth(ctx, font, text);
        var sx = (h.x - vp.x) * scale + W / 2, sy = (h.y - vp.y) * scale + H / 2;
        place({ x: Math.max(3, Math.min(sx - w / 2, W - w - 3)), y: Math.max(4, sy - LABEL_H / 2), w: w, h: LABEL_H, header: true },
              text, font, '#3d4656', -1);
      });
    }
    var near = selected !== null ? neighbourSet(selected) : null;
    for (var k = 0; k < order.length; k++) {
      var i = order[k], pt = pts[i];
      if (!pt) continue;
      var important = i === selected || (near && near.has(i)) || (emphasis && emphasis.has(i));
      var faded = dimmed && !(near && near.has(i));
      var font = (i === selected ? '700 ' : (important ? '600 ' : '')) + LABEL_PX + 'px ' + FONT;
      var text = NODES[i].label, w = textWidth(ctx, font, text) + 1, g = 3;
      // In the layers every column has room for its labels on the right: a label put to the
      // left would take the room of the column before, so it goes there only in the network.
      var cands = layout === 'layers' ? [
        { x: pt.x + pt.r + g, y: pt.y - LABEL_H / 2 },
        { x: pt.x + pt.r + g, y: pt.y - LABEL_H / 2 - 3 },
        { x: pt.x + pt.r + g, y: pt.y - LABEL_H / 2 + 3 }
      ] : [
        { x: pt.x + pt.r + g, y: pt.y - LABEL_H / 2 },
        { x: pt.x - pt.r - g - w, y: pt.y - LABEL_H / 2 },
        { x: pt.x - w / 2, y: pt.y + pt.r + 1 },
        { x: pt.x - w / 2, y: pt.y - pt.r - 1 - LABEL_H }
      ];
      for (var c = 0; c < cands.length; c++) {
        var r = { x: cands[c].x, y: cands[c].y, w: w, h: LABEL_H, node: i };
        if (place(r, text, font, faded ? '#aeb4bf' : '#1d2330', i)) break;
      }
    }
    ctx.restore();
  }
  network.on('afterDrawing', drawLabels);
  function labelOverlaps() {
    var n = 0, L = drawnLabels;
    for (var a = 0; a < L.length; a++) {
      for (var b = a + 1; b < L.length; b++) {
        var p = L[a], q = L[b];
        if (p.x < q.x + q.w - 0.5 && q.x < p.x + p.w - 0.5 && p.y < q.y + q.h - 0.5 && q.y < p.y + p.h - 0.5) n++;
      }
    }
    return n;
  }

  // ---------- filter state ----------
  var state = {
    types: new Set(DATA.open_types || DATA.types.map(function (t) { return t.name; })),
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
    if (layout === 'layers' && nodeChanges.length && typeof packLayers === 'function' && packReady) packLayers();
    invalidateLabels();
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
  // ``refs``: row numbers in the page's source table.
  function sourceList(refs, limit) {
    var ul = el('ul', { cls: 'sources' });
    refs.slice(0, limit).forEach(function (r) { ul.appendChild(sourceItem(SOURCES[r])); });
    if (refs.length > limit) ul.appendChild(el('li', { cls: 'more', text: '+ ' + (refs.length - limit) + ' more (click the node)' }));
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
    var related = relatedSources(i);
    if (related.length) {
      card.appendChild(el('h4', { text: 'Sources of its relations' }));
      card.appendChild(sourceList(related, full ? 1000 : (n.sources.length ? 3 : 5)));
    }
    if (full) card.appendChild(relationList(i));
    else card.appendChild(el('div', { cls: 'more', text: 'Click for relations and all sources.' }));
    return card;
  }
  // The sources of its relations that it does not cite itself: one entry a source (a group of
  // entries: the same paper with another note), the first cited, in the order of the relations
  // (lmkg.viz.map.related_sources is the same in Python).
  function relatedSources(i) {
    var own = new Set(NODES[i].sources.map(function (r) { return SOURCE_GROUP[r]; }));
    var first = new Map();
    ADJ[i].forEach(function (j) {
      EDGES[j].sources.forEach(function (r) {
        var g = SOURCE_GROUP[r];
        if (!first.has(g)) first.set(g, r);
      });
    });
    var out = [];
    first.forEach(function (r, g) { if (!own.has(g)) out.push(r); });
    return out;
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
    // ``pointer`` is in client (viewport) coordinates; the tooltip is position: fixed.
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    var vw = window.innerWidth, vh = window.innerHeight;
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + w > vw - 6) x = Math.max(6, pointer.x - w - 14);
    if (y + h > vh - 6) y = Math.max(6, vh - h - 6);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }
  function hideTooltipSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { tooltip.hidden = true; }, 350);
  }
  tooltip.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
  tooltip.addEventListener('mouseleave', hideTooltipSoon);
  function clientPoint(dom) {
    var r = container.getBoundingClientRect();
    return { x: r.left + dom.x, y: r.top + dom.y };
  }
  network.on('hoverNode', function (p) { showTooltip(nodeCard(p.node, false), clientPoint(p.pointer.DOM)); });
  network.on('blurNode', hideTooltipSoon);
  network.on('hoverEdge', function (p) { showTooltip(edgeCard(p.edge), clientPoint(p.pointer.DOM)); });
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
  var listeners = [];
  function notify(sel) { listeners.forEach(function (fn) { fn(sel); }); }
  function selectNode(i, quiet) {
    selected = i;
    network.selectNodes([i], false);
    highlight(i);
    showDetails(i);
    invalidateLabels();
    network.redraw();
    if (!quiet) notify({ node: i });
  }
  function clearSelection() {
    selected = null;
    network.unselectAll();
    unhighlight();
    if (!details.hidden) { details.hidden = true; resized(); }
    invalidateLabels();
    network.redraw();
    notify(null);
  }
  function showCard(card) {
    document.getElementById('details-body').replaceChildren(card);
    if (details.hidden) { details.hidden = false; resized(); }
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
  footer.textContent = 'lmkg · ' + (DATA.left_out_text || (fmt(DATA.graph_nodes) + ' entities and ' +
    fmt(DATA.graph_edges) + ' relations in the graph')) + (DATA.built_at ? ' · built ' + DATA.built_at : '') +
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
  document.querySelectorAll('#type-list input').forEach(function (b) { b.checked = state.types.has(b.value); });
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

  // ---------- the layers, packed again for what is shown ----------
  // The page opens on the layout computed in Python; when filters change what is shown (a
  // cancer, company or biomarker, some types), the shown nodes of each layer are packed again
  // into its columns, in the same order, so that a selection fills the page instead of keeping
  // the holes of what is hidden.
  var LAYER_OF = {}, HEADERS = DATA.layers.map(function (h) { return Object.assign({}, h); });
  HEADERS.forEach(function (h, k) { h.types.forEach(function (t) { LAYER_OF[t] = k; }); });
  var ROW = 16.5, GAP = 26;
  function packLayers() {
    var byLayer = HEADERS.map(function () { return []; });
    nodeShown.forEach(function (v, i) { if (v && LAYER_OF[NODES[i].type] !== undefined) byLayer[LAYER_OF[NODES[i].type]].push(i); });
    byLayer.forEach(function (m) { m.sort(function (a, b) { return NODES[a].ly - NODES[b].ly || NODES[a].lx - NODES[b].lx || a - b; }); });
    var bands = {};
    HEADERS.forEach(function (h, k) { if (byLayer[k].length) (bands[h.band] = bands[h.band] || []).push(k); });
    var bandKeys = Object.keys(bands).map(Number).sort();
    var tall = bandKeys.map(function (b) { return Math.max.apply(null, bands[b].map(function (k) { return byLayer[k].length; })); });
    var sumTall = tall.reduce(function (a, b) { return a + b; }, 0) || 1;
    var pageH = Math.max(300, container.clientHeight - 60) - (bandKeys.length - 1) * 2.5 * ROW;
    var top = 0, boxes = [], updates = [];
    var widthOf = {};
    HEADERS.forEach(function (h, k) {
      var lens = byLayer[k].map(function (i) { return NODES[i].label.length; }).sort(function (a, c) { return a - c; });
      widthOf[k] = lens.length ? Math.min(260, Math.max(80, lens[Math.floor(0.8 * (lens.length - 1))] * 6.9 + 28)) : 0;
    });
    // Labels are drawn at a fixed size: a band wider than the canvas would shrink the view
    // until they no longer fit, so a band takes more rows (fewer sub-columns) to stay in it.
    var availW = Math.max(300, container.clientWidth - 150);
    function bandWidth(ks, rows) {
      return ks.reduce(function (a, k) { return a + Math.ceil(byLayer[k].length / rows) * widthOf[k] + GAP; }, -GAP);
    }
    bandKeys.forEach(function (b, bi) {
      // The rows that let the band be drawn largest: wider when short, taller when narrow.
      var availH = pageH * tall[bi] / sumTall, rowsMax = tall[bi], best = -1;
      for (var r = Math.min(3, tall[bi]); r <= tall[bi]; r++) {
        var sc = Math.min(availW / Math.max(bandWidth(bands[b], r), 1), availH / (r * ROW), 1.25);
        if (sc > best + 1e-9) { best = sc; rowsMax = r; }
      }
      var height = rowsMax * ROW, x0 = 0;
      bands[b].forEach(function (k) {
        var m = byLayer[k], width = widthOf[k];
        var cols = Math.max(1, Math.ceil(m.length / rowsMax)), rows = Math.ceil(m.length / cols);
        var step = Math.min(height / rows, 2.5 * ROW), y0 = top + (height - step * rows) / 2;
        m.forEach(function (i, q) {
          updates.push({ id: i, x: x0 + (q % cols) * width, y: y0 + (Math.floor(q / cols) + 0.5) * step });
        });
        HEADERS[k].x = x0 + cols * width / 2 - 16; HEADERS[k].y = top - ROW; HEADERS[k].bandIndex = bi;
        x0 += cols * width + GAP;
      });
      boxes.push(x0 - GAP);
      top += height + 2.5 * ROW;
    });
    // Centre each band under the widest one.
    var pageW = Math.max.apply(null, boxes.concat([0]));
    var bandOfNode = {};
    bandKeys.forEach(function (b, bi) { bands[b].forEach(function (k) { byLayer[k].forEach(function (i) { bandOfNode[i] = bi; }); }); });
    updates.forEach(function (u) { u.x += (pageW - boxes[bandOfNode[u.id]]) / 2; NODES[u.id].px = u.x; NODES[u.id].py = u.y; });
    HEADERS.forEach(function (h) { if (h.bandIndex !== undefined) h.x += (pageW - boxes[h.bandIndex]) / 2; });
    if (updates.length) nodesDS.update(updates);
  }
  function fitLayers(ids) {
    // The layers' labels sit right of their nodes: fit the nodes plus the room the rightmost
    // column's labels need (in pixels, whatever the scale), and the headers above the top row.
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    function X(n) { return n.px !== undefined ? n.px : n.lx; }
    function Y(n) { return n.py !== undefined ? n.py : n.ly; }
    ids.forEach(function (i) {
      var n = NODES[i], x = X(n), y = Y(n);
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
    });
    var right = 0;
    ids.forEach(function (i) { if (X(NODES[i]) > x1 - 1) right = Math.max(right, NODES[i].label.length * 6.2 + 16); });
    var W = container.clientWidth, H = container.clientHeight;
    var w = Math.max(x1 - x0, 1), h = Math.max(y1 - y0, 1);
    var scale = Math.min((W - right - 24) / w, (H - 56) / h, 2.2);
    if (!(scale > 0)) { network.fit({ nodes: ids, animation: false }); return; }
    // Centre so that the left margin equals the right one (after the labels), headers inside.
    var cx = x0 + (w + right / scale) / 2 - 12 / scale;
    var cy = y0 + h / 2 - 16 / scale;
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
  }
  function fitVisible() {
    var ids = [];
    nodeShown.forEach(function (v, i) { if (v) ids.push(i); });
    if (layout === 'layers' && ids.length) { fitLayers(ids); return; }
    if (ids.length === NODES.length) network.fit({ animation: false });
    else if (ids.length) network.fit({ nodes: ids, animation: false });
    // A margin, so that the outer columns' labels and the layer headers are on the page.
    network.moveTo({ scale: network.getScale() * 0.97, animation: false });
  }
  function packAndFit() { if (layout === 'layers') packLayers(); fitVisible(); }
  document.getElementById('fit').addEventListener('click', packAndFit);
  document.getElementById('reset').addEventListener('click', function () {
    state.types = new Set(DATA.open_types || DATA.types.map(function (t) { return t.name; }));
    state.rels = new Set(DATA.relations.map(function (r) { return r.name; }));
    state.statuses = new Set(DATA.statuses);
    Object.keys(state.facet).forEach(function (f) {
      state.facet[f] = null; document.getElementById('facet-' + f).value = '';
    });
    document.querySelectorAll('ul.legend input').forEach(function (b) {
      b.checked = b.getAttribute('data-key') !== 'type' || state.types.has(b.value);
    });
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
    network.redraw();
  });
  function setLayout(name) {
    if (name === layout) return;
    layout = name;
    if (document.getElementById('physics').checked) {
      document.getElementById('physics').checked = false;
      network.setOptions({ physics: { enabled: false } });
    }
    // Markers fit the layers' rows; in the network, hubs may be larger.
    network.setOptions({ nodes: { scaling: layout === 'layers' ? { min: 3.5, max: 8.5 } : { min: 5, max: 26 } } });
    nodesDS.update(NODES.map(function (n, k) { var p = posOf(n); return { id: k, x: p.x, y: p.y }; }));
    if (layout === 'layers') packLayers();
    edgesDS.update(EDGES.map(function (e, j) { return edgeRecord(j); }));
    if (dimmed && selected !== null) highlight(selected);
    document.querySelectorAll('#layout-switch button').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-layout') === layout ? 'true' : 'false');
    });
    fitVisible();
  }
  document.querySelectorAll('#layout-switch button').forEach(function (b) {
    b.addEventListener('click', function () { setLayout(b.getAttribute('data-layout')); });
  });

  var packReady = true;
  applyFilters();
  packLayers();
  fitVisible();

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
    focus: focusNode,
    layout: function () { return layout; },
    setLayout: setLayout,
    labelOverlaps: labelOverlaps,
    drawnLabels: function () { return drawnLabels.map(function (l) { return Object.assign({}, l); }); }
  };
  // For the linked views (views.js): the shared selection, cards and helpers.
  window.lmkgApp = {
    DATA: DATA, NODES: NODES, EDGES: EDGES, ADJ: ADJ, TYPES: TYPES, el: el, link: link,
    nodeCard: nodeCard, sourceList: sourceList, relatedSources: relatedSources, factTable: factTable, fmt: fmt, words: words,
    showTooltip: showTooltip, hideTooltipSoon: hideTooltipSoon, showCard: showCard,
    select: function (i) { if (!nodeShown[i]) focusNode(i); else selectNode(i); },
    clear: clearSelection,
    onSelect: function (fn) { listeners.push(fn); },
    emphasise: function (set) { emphasis = set && set.size ? set : null; invalidateLabels(); network.redraw(); },
    resize: function () { network.setSize('100%', '100%'); network.redraw(); },
    fit: packAndFit
  };
})();
