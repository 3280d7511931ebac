// The explorer on graph.html: filters, a year range with play, focus on a node's neighbourhood,
// labels thinned so that none overlaps another, PNG and SVG download of the current view.
// Every filter is also a URL parameter (kind, status, group, class, from, to, focus, labels),
// so a view can be shared. Expects the globals graphData, nodes, edges and network.
var explorer = (function () {
  "use strict";
  var LABEL_COLOUR = "#343434", NO_COLOUR = "rgba(0,0,0,0)", PLAY_STEP_MS = 700;
  var SELECTS = {kind: "f-kind", status: "f-status", group: "f-group", "class": "f-class"};
  var state = {focus: null, settled: false, labelsDirty: true, fitPending: true, timer: null};
  function byId(id) { return document.getElementById(id); }
  function fillSelect(id, values) {
    Array.from(new Set(values)).sort().forEach(function (v) {
      var o = document.createElement("option"); o.textContent = v; byId(id).appendChild(o);
    });
  }
  fillSelect("f-kind", graphData.edges.filter(function (e) { return e.kind !== "tie"; }).map(function (e) { return e.kind; }));
  fillSelect("f-class", graphData.nodes.map(function (n) { return n.class_; }));
  var years = [];
  graphData.nodes.concat(graphData.edges).forEach(function (x) { (x.years || []).forEach(function (y) { years.push(y); }); });
  graphData.nodes.forEach(function (n) { if (n.founded) { years.push(n.founded); } });  // play steps through foundings too
  var distinctYears = Array.from(new Set(years)).sort(function (a, b) { return a - b; });
  var first = distinctYears.length ? distinctYears[0] : 0, last = distinctYears.length ? distinctYears[distinctYears.length - 1] : 0;
  ["f-from", "f-to"].forEach(function (id) { byId(id).min = first; byId(id).max = last; });
  byId("f-from").value = first; byId("f-to").value = last;
  var byNode = {};
  graphData.nodes.forEach(function (n) { byNode[n.id] = n; });

  function inYears(x, from, to) {  // undated things are always shown; dated ones when one of their years is in range
    return !x.years || !x.years.length || x.years.some(function (y) { return y >= from && y <= to; });
  }
  function founded(n, to) {  // an organisation founded after the range's end did not exist in it; undated ones stay
    return !n.founded || n.founded <= to;
  }
  function read() {
    var f = {};
    Object.keys(SELECTS).forEach(function (k) { f[k] = byId(SELECTS[k]).value; });
    f.from = Number(byId("f-from").value); f.to = Number(byId("f-to").value);
    if (f.from > f.to) { f.from = f.to; byId("f-from").value = f.to; }
    return f;
  }
  function apply() {
    var f = read(), shown = {}, linked = {}, visibleEdges = 0;
    byId("f-from-out").textContent = f.from; byId("f-to-out").textContent = f.to;
    graphData.nodes.forEach(function (n) {
      shown[n.id] = (!f.group || n.group_ === f.group || n.group_ === "event") && (!f["class"] || n.class_ === f["class"]) &&
                    inYears(n, f.from, f.to) && founded(n, f.to);
    });
    var focus = state.focus && byNode[state.focus] ? state.focus : null;
    if (focus) { shown[focus] = true; }
    var edgeUpdates = edges.get().map(function (e) {
      var ok = shown[e.from] && shown[e.to] && (!f.kind || e.kind === f.kind) &&
               (!f.status || e.kind === "tie" || e.status.indexOf(f.status) >= 0) && inYears(e, f.from, f.to) &&
               (!focus || e.from === focus || e.to === focus);
      if (ok) { visibleEdges += 1; linked[e.from] = linked[e.to] = true; }
      return {id: e.id, hidden: !ok};
    });
    var onlyLinked = f.kind || f.status || focus;  // a flow filter or a focus keeps only the nodes its edges touch
    // so does a year range, but for nodes known to exist in it: events dated in it, organisations founded by its end
    var narrowed = f.from !== first || f.to !== last;
    var nodeUpdates = graphData.nodes.map(function (n) {
      var ok = shown[n.id] && (linked[n.id] || n.id === focus ||
                               (!onlyLinked && (!narrowed || (n.years && n.years.length > 0) || n.founded)));
      return {id: n.id, hidden: !ok};
    });
    nodes.update(nodeUpdates); edges.update(edgeUpdates);
    var visibleNodes = nodeUpdates.filter(function (u) { return !u.hidden; }).length;
    byId("counts").textContent = visibleNodes + " nodes, " + visibleEdges + " edges shown";
    byId("unfocus").hidden = !focus;
    byId("focus-name").textContent = focus ? "Showing " + byNode[focus].label + " and its neighbours." : "";
    writeUrl(f, focus);
    state.labelsDirty = true; state.fitPending = true; state.settled = false;
    network.redraw();
  }
  function writeUrl(f, focus) {
    var q = new URLSearchParams();
    Object.keys(SELECTS).forEach(function (k) { if (f[k]) { q.set(k, f[k]); } });
    if (f.from !== first) { q.set("from", f.from); }
    if (f.to !== last) { q.set("to", f.to); }
    if (focus) { q.set("focus", focus); }
    if (byId("f-labels").checked) { q.set("labels", "all"); }
    try { history.replaceState(null, "", q.toString() ? "?" + q.toString() : location.pathname); } catch (err) {}
  }

  // Labels: the biggest nodes keep theirs; a label that would overlap one already placed is hidden
  // (its name stays in the tooltip, the details and the search). Font sizes are in canvas units, so a
  // placement without overlap stays without overlap at every zoom.
  function labelBox(id) {
    var body = network.body.nodes[id];
    var s = body && body.labelModule && body.labelModule.size;
    if (!s || !s.width) { return null; }
    return {left: s.left - 2, top: s.top - 1, right: s.left + s.width + 2, bottom: s.top + s.height + 1};
  }
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function thinLabels() {
    var every = byId("f-labels").checked, placed = [], updates = [];
    var visible = nodes.get({filter: function (n) { return !n.hidden; }});
    visible.sort(function (a, b) { return (b.id === state.focus) - (a.id === state.focus) || b.size - a.size || (a.id < b.id ? -1 : 1); });
    visible.forEach(function (n) {
      var box = labelBox(n.id);
      var ok = every || !box || !placed.some(function (p) { return overlaps(box, p); });
      if (ok && box) { placed.push(box); }
      if (n.labelShown !== ok) { updates.push({id: n.id, labelShown: ok, font: {color: ok ? LABEL_COLOUR : NO_COLOUR}}); }
    });
    if (updates.length) { nodes.update(updates); }
    return updates.length;
  }
  function fitAll() {  // fit the visible nodes and their shown labels into the canvas
    var canvas = document.querySelector("#graph canvas"), box = null;
    nodes.get({filter: function (n) { return !n.hidden; }}).forEach(function (n) {
      var b = network.getBoundingBox(n.id), l = n.labelShown ? labelBox(n.id) : null;
      [b, l].forEach(function (x) {
        if (!x) { return; }
        box = box ? {left: Math.min(box.left, x.left), top: Math.min(box.top, x.top), right: Math.max(box.right, x.right),
                     bottom: Math.max(box.bottom, x.bottom)} : {left: x.left, top: x.top, right: x.right, bottom: x.bottom};
      });
    });
    if (!box) { return; }
    var scale = 0.96 * Math.min(canvas.clientWidth / Math.max(box.right - box.left, 1), canvas.clientHeight / Math.max(box.bottom - box.top, 1));
    network.moveTo({position: {x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2}, scale: Math.min(scale, 1.5)});
  }
  function later() { setTimeout(function () { network.redraw(); }, 0); }
  network.on("afterDrawing", function () {  // label pass, then fit, each on a drawn frame
    if (!network.physics.stabilized && network.physics.options.enabled) { return; }
    if (state.labelsDirty) { state.labelsDirty = false; thinLabels(); later(); return; }
    if (state.fitPending) { state.fitPending = false; fitAll(); later(); return; }
    state.settled = true;
  });
  network.on("stabilized", function () { state.labelsDirty = true; state.fitPending = true; state.settled = false; network.redraw(); });

  // Play: step the "to" year through every year something is dated, from the "from" year on.
  function stop() { clearInterval(state.timer); state.timer = null; byId("play").textContent = "▶ Play"; }
  function play() {
    if (state.timer) { stop(); return; }
    var from = Number(byId("f-from").value);
    var steps = distinctYears.filter(function (y) { return y >= from; });
    if (!steps.length) { return; }
    var i = 0;
    byId("play").textContent = "❚❚ Pause";
    byId("f-to").value = steps[0]; apply();
    state.timer = setInterval(function () {
      i += 1;
      if (i >= steps.length) { stop(); return; }
      byId("f-to").value = steps[i]; apply();
    }, PLAY_STEP_MS);
  }

  function setFocus(id) {
    state.focus = id && byNode[id] ? id : null;
    apply();
  }

  // The current view as SVG, from vis-network's positions: what is shown, where it is on screen.
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function polygon(cx, cy, r, points, turn) {
    var out = [];
    for (var i = 0; i < points; i++) {
      var a = turn + 2 * Math.PI * i / points;
      out.push((cx + r * Math.cos(a)).toFixed(1) + "," + (cy + r * Math.sin(a)).toFixed(1));
    }
    return out.join(" ");
  }
  function star(cx, cy, r) {
    var out = [];
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + Math.PI * i / 5, q = i % 2 ? r * 0.45 : r;
      out.push((cx + q * Math.cos(a)).toFixed(1) + "," + (cy + q * Math.sin(a)).toFixed(1));
    }
    return out.join(" ");
  }
  function nodeSvg(n, p, r) {
    var a = ' class="node" data-id="' + esc(n.id) + '" fill="' + esc(n.color) + '" stroke="#0006"';
    var x = p.x.toFixed(1), y = p.y.toFixed(1);
    if (n.shape === "diamond") { return '<polygon' + a + ' points="' + polygon(p.x, p.y, r, 4, 0) + '"/>'; }
    if (n.shape === "triangle") { return '<polygon' + a + ' points="' + polygon(p.x, p.y, r, 3, -Math.PI / 2) + '"/>'; }
    if (n.shape === "hexagon") { return '<polygon' + a + ' points="' + polygon(p.x, p.y, r, 6, 0) + '"/>'; }
    if (n.shape === "star") { return '<polygon' + a + ' points="' + star(p.x, p.y, r) + '"/>'; }
    if (n.shape === "square") { return '<rect' + a + ' x="' + (p.x - r).toFixed(1) + '" y="' + (p.y - r).toFixed(1) + '" width="' + (2 * r).toFixed(1) + '" height="' + (2 * r).toFixed(1) + '"/>'; }
    return '<circle' + a + ' cx="' + x + '" cy="' + y + '" r="' + r.toFixed(1) + '"/>';
  }
  function edgeSvg(e, from, to, via, rTo, scale) {
    var colour = e.color && e.color.color || "#999", opacity = e.color && e.color.opacity !== undefined ? e.color.opacity : 1;
    var d = "M" + from.x.toFixed(1) + " " + from.y.toFixed(1) + (via ? " Q" + via.x.toFixed(1) + " " + via.y.toFixed(1) : " L") +
            " " + to.x.toFixed(1) + " " + to.y.toFixed(1);
    var back = via || from, dx = to.x - back.x, dy = to.y - back.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / len, uy = dy / len, tipX = to.x - ux * rTo, tipY = to.y - uy * rTo, s = 9 * scale;
    var head = [[tipX, tipY], [tipX - ux * s - uy * s * 0.5, tipY - uy * s + ux * s * 0.5], [tipX - ux * s + uy * s * 0.5, tipY - uy * s - ux * s * 0.5]];
    return '<g class="edge" data-from="' + esc(e.from) + '" data-to="' + esc(e.to) + '" opacity="' + opacity + '">' +
           '<path d="' + d + '" fill="none" stroke="' + esc(colour) + '" stroke-width="' + ((e.width || 1) * scale).toFixed(2) + '"' +
           (e.dashes ? ' stroke-dasharray="' + (5 * scale).toFixed(1) + ' ' + (5 * scale).toFixed(1) + '"' : "") + '/>' +
           '<polygon points="' + head.map(function (q) { return q[0].toFixed(1) + "," + q[1].toFixed(1); }).join(" ") +
           '" fill="' + esc(colour) + '"/></g>';
  }
  function labelSvg(n, scale) {
    var lm = network.body.nodes[n.id].labelModule, s = lm.size;
    var lines = (lm.lines || []).map(function (l) { return (l.blocks || []).map(function (b) { return b.text; }).join(""); });
    if (!lines.length) { lines = [String(n.label)]; }
    var size = 14 * scale, lineHeight = s.height / lines.length;
    var topLeft = network.canvasToDOM({x: s.left + s.width / 2, y: s.top});
    return '<text class="label" text-anchor="middle" font-size="' + size.toFixed(1) + '" fill="' + LABEL_COLOUR + '">' +
           lines.map(function (t, i) {
             return '<tspan x="' + topLeft.x.toFixed(1) + '" y="' + (topLeft.y + (i + 0.8) * lineHeight * scale).toFixed(1) + '">' + esc(t) + '</tspan>';
           }).join("") + '</text>';
  }
  function svg() {
    var canvas = document.querySelector("#graph canvas"), w = canvas.clientWidth, h = canvas.clientHeight, scale = network.getScale();
    var shownNodes = nodes.get({filter: function (n) { return !n.hidden; }});
    var shownEdges = edges.get({filter: function (e) { return !e.hidden; }});
    var pos = network.getPositions(), dom = {}, radius = {};
    shownNodes.forEach(function (n) { dom[n.id] = network.canvasToDOM(pos[n.id]); radius[n.id] = (n.size || 10) * scale; });
    var parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h +
                 '" font-family="arial, sans-serif"><title>' + esc(document.title) + '</title><rect width="100%" height="100%" fill="#fff"/>'];
    shownEdges.forEach(function (e) {
      var via = null;
      try { var v = network.body.edges[e.id].edgeType._getViaCoordinates(); if (v && v.x !== undefined) { via = network.canvasToDOM(v); } } catch (err) {}
      parts.push(edgeSvg(e, dom[e.from], dom[e.to], via, radius[e.to], scale));
    });
    shownNodes.forEach(function (n) { parts.push(nodeSvg(n, dom[n.id], radius[n.id])); });
    shownNodes.forEach(function (n) { if (n.labelShown !== false) { parts.push(labelSvg(n, scale)); } });
    parts.push("</svg>");
    return parts.join("\n");
  }
  function download(name, href) { var a = document.createElement("a"); a.download = name; a.href = href; document.body.appendChild(a); a.click(); a.remove(); }

  // Wiring: URL parameters first (year= is the former name of to=), then the controls.
  var initial = new URLSearchParams(location.search);
  Object.keys(SELECTS).forEach(function (k) { if (initial.has(k)) { byId(SELECTS[k]).value = initial.get(k); } });
  if (initial.has("from")) { byId("f-from").value = initial.get("from"); }
  if (initial.has("to") || initial.has("year")) { byId("f-to").value = initial.get("to") || initial.get("year"); }
  if (initial.get("labels") === "all") { byId("f-labels").checked = true; }
  state.focus = initial.has("focus") && byNode[initial.get("focus")] ? initial.get("focus") : null;
  Object.values(SELECTS).concat(["f-from", "f-to", "f-labels"]).forEach(function (id) {
    byId(id).addEventListener("input", apply);
    byId(id).addEventListener("change", apply);
  });
  byId("play").addEventListener("click", play);
  byId("focus").addEventListener("click", function () { var s = network.getSelectedNodes(); if (s.length) { setFocus(s[0]); } });
  byId("unfocus").addEventListener("click", function () { setFocus(null); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && state.focus) { setFocus(null); } });
  byId("png").addEventListener("click", function () { download("graph.png", document.querySelector("#graph canvas").toDataURL("image/png")); });
  byId("svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([svg()], {type: "image/svg+xml"}));
    download("graph.svg", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  });
  var list = byId("labels");
  graphData.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.label; list.appendChild(o); });
  function show(text) { byId("details").textContent = text; }
  byId("search").addEventListener("change", function (ev) {
    var wanted = ev.target.value.trim().toLowerCase();
    if (!wanted) { return; }
    var hit = graphData.nodes.find(function (n) { return String(n.label).toLowerCase() === wanted; }) ||
              graphData.nodes.find(function (n) { return String(n.label).toLowerCase().indexOf(wanted) >= 0; });
    if (hit) { setFocus(hit.id); network.selectNodes([hit.id]); show(hit.info); byId("focus").disabled = false; }
  });
  network.on("click", function (params) {
    byId("focus").disabled = !params.nodes.length;
    if (params.nodes.length) { show(nodes.get(params.nodes[0]).info); }
    else if (params.edges.length) { show(edges.get(params.edges[0]).info); }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) { setFocus(params.nodes[0]); } });
  apply();
  return {apply: apply, svg: svg, play: play, focus: setFocus, years: distinctYears,
          get settled() { return state.settled; }, get focused() { return state.focus; }};
})();
