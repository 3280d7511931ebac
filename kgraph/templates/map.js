// The map page: the world outline (topojson-client + d3-geo), places as dots, flows as arcs that
// bend to the right of their direction (so A→B and B→A are two arcs), solid when reciprocated.
// Expects the globals world (TopoJSON), mapData ({points, arcs, colours}), d3 and topojson.
var map = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg", W = 1000, H = 620, GROUP_COLOURS = {North: "#4e79a7", South: "#e15759"};
  function el(name, attrs, parent, text) {
    var x = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { x.setAttribute(k, attrs[k]); });
    if (text !== undefined) { var t = document.createElementNS(NS, "title"); t.textContent = text; x.appendChild(t); }
    if (parent) { parent.appendChild(x); }
    return x;
  }
  var svg = el("svg", {viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": document.title});
  document.getElementById("map").appendChild(svg);
  var defs = el("defs", {}, svg);
  var projection = d3.geoNaturalEarth1();
  var coords = mapData.points.map(function (p) { return [p.long, p.lat]; });
  if (coords.length >= 2) {  // fit the places with a margin of 8 degrees around them
    var lons = coords.map(function (c) { return c[0]; }), lats = coords.map(function (c) { return c[1]; });
    var w = Math.max(-180, Math.min.apply(null, lons) - 8), e = Math.min(180, Math.max.apply(null, lons) + 8);
    var s = Math.max(-85, Math.min.apply(null, lats) - 8), n = Math.min(85, Math.max.apply(null, lats) + 8);
    projection.fitExtent([[20, 20], [W - 20, H - 20]], {type: "MultiPoint", coordinates: [[w, s], [w, n], [e, s], [e, n]].concat(coords)});
  } else {
    projection.fitExtent([[10, 10], [W - 10, H - 10]], {type: "Sphere"});
  }
  var path = d3.geoPath(projection);
  el("path", {"class": "sphere", d: path({type: "Sphere"})}, svg);
  el("path", {"class": "graticule", d: path(d3.geoGraticule10())}, svg);
  var land = el("g", {"class": "countries"}, svg);
  topojson.feature(world, world.objects.countries).features.forEach(function (f) {
    el("path", {"class": "country", d: path(f) || "", "data-name": f.properties.name}, land, f.properties.name);
  });
  var at = {};
  mapData.points.forEach(function (p) { at[p.id] = projection([p.long, p.lat]); });
  function show(text) { document.getElementById("details").textContent = text; }

  var arcs = el("g", {"class": "arcs"}, svg), perPair = {};
  Object.keys(mapData.colours).forEach(function (kind, i) {
    var m = el("marker", {id: "arrow-" + i, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5, markerHeight: 5,
                          orient: "auto-start-reverse", markerUnits: "strokeWidth"}, defs);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: mapData.colours[kind]}, m);
  });
  var kindIndex = {};
  Object.keys(mapData.colours).forEach(function (k, i) { kindIndex[k] = i; });
  mapData.arcs.forEach(function (a) {
    var p = at[a.from], q = at[a.to], key = a.from + "\u0000" + a.to;
    var k = perPair[key] = (perPair[key] || 0) + 1;  // several kinds between the same places: bend each further
    var dx = q[0] - p[0], dy = q[1] - p[1], len = Math.sqrt(dx * dx + dy * dy) || 1, bend = (0.12 + 0.07 * (k - 1)) * len;
    var cx = (p[0] + q[0]) / 2 - dy / len * bend, cy = (p[1] + q[1]) / 2 + dx / len * bend;
    var text = a.kind + " × " + a.count + ": " + a.from + " → " + a.to + (a.reciprocal ? " (flows also run back)" : " (one-way)") +
               "\n" + a.flows.join("\n");
    var arc = el("path", {"class": "arc", d: "M" + p[0].toFixed(2) + "," + p[1].toFixed(2) + " Q" + cx.toFixed(2) + "," + cy.toFixed(2) +
                          " " + q[0].toFixed(2) + "," + q[1].toFixed(2),
                          stroke: mapData.colours[a.kind], "stroke-width": (1.2 + Math.min(a.count, 6) * 0.8).toFixed(1),
                          "stroke-opacity": 0.85, "stroke-dasharray": a.reciprocal ? "none" : "6 4",
                          "marker-end": "url(#arrow-" + kindIndex[a.kind] + ")", "data-from": a.from, "data-to": a.to,
                          "data-kind": a.kind, "data-count": a.count, "data-reciprocal": a.reciprocal}, arcs, text);
    arc.addEventListener("click", function () { show(text); });
  });

  var dots = el("g", {"class": "places"}, svg), labels = el("g", {"class": "labels"}, svg), placed = [];
  mapData.points.slice().sort(function (a, b) { return b.agents.length - a.agents.length || (a.id < b.id ? -1 : 1); }).forEach(function (p) {
    var xy = at[p.id], text = p.id + (p.country && p.country !== p.id ? ", " + p.country : "") + "\n" + p.agents.join("\n");
    var dot = el("circle", {"class": "place", cx: xy[0].toFixed(2), cy: xy[1].toFixed(2), r: (4 + 1.5 * Math.sqrt(p.agents.length)).toFixed(1),
                            fill: GROUP_COLOURS[p.group] || "#bab0ac", "data-id": p.id, "data-country": p.country}, dots, text);
    dot.addEventListener("click", function () { show(text); });
    var label = el("text", {"class": "place-label", x: (xy[0] + 8).toFixed(1), y: (xy[1] + 4).toFixed(1), "data-id": p.id}, labels);
    label.textContent = p.id;
    var b = label.getBBox();  // a label that would overlap one already placed gives way (the dot's tooltip keeps it)
    if (placed.some(function (o) { return b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height; })) {
      label.remove();
    } else { placed.push(b); }
  });
  return {project: function (lon, lat) { return projection([lon, lat]); }, ready: true};
})();
