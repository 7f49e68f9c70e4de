/* genai-graph explorer page script.
 *
 * Reads the graph from the JSON element #graph-data and draws it with
 * vis-network. Every string from the data reaches the page as
 * text (textContent, createTextNode, option.value): nothing is ever parsed as
 * HTML. Keep this file ASCII; write other characters as \u escapes.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var PATH_COLOUR = "#f59e0b";
  var FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";
  var ARROW = "\u2192";
  var MAX_RELATIONS = 60;
  var LAYOUT_BUDGET_MS = 2500;  /* stop the force simulation after this long, settled or not */

  var byId = new Map();
  var degree = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); degree.set(n.id, 0); });
  data.edges.forEach(function (e) {
    degree.set(e.from, degree.get(e.from) + 1);
    degree.set(e.to, degree.get(e.to) + 1);
  });

  /* -- small DOM helpers (text only) ------------------------------------------ */

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeColour(value, fallback) {
    return typeof value === "string" && COLOUR.test(value) ? value : fallback;
  }

  function swatch(colour, diamond) {
    var s = el("span", diamond ? "gg-swatch gg-diamond" : "gg-swatch");
    s.style.backgroundColor = safeColour(colour, "#64748b");
    return s;
  }

  function labelOf(id) {
    var n = byId.get(id);
    return n ? n.label : String(id);
  }

  /* -- is-a parents and relations -------------------------------------------- */

  var parents = new Map();   // id -> [{to, relation}], stated edges first
  var outgoing = new Map();  // id -> [edge]
  var incoming = new Map();  // id -> [edge]
  function push(map, key, value) {
    var list = map.get(key);
    if (!list) { list = []; map.set(key, list); }
    list.push(value);
  }
  data.edges.forEach(function (e) {
    if (e.kind === "subclass" || e.kind === "type") {
      if (e.from !== e.to) { push(parents, e.from, e); }
    } else {
      push(outgoing, e.from, e);
      push(incoming, e.to, e);
    }
  });
  parents.forEach(function (list) {
    list.sort(function (a, b) { return (b.stated ? 1 : 0) - (a.stated ? 1 : 0); });
  });

  /* The is-a chain from `id` to a root: the first parent at each step, no node twice. */
  function isaChain(id) {
    var chain = [{ id: id, relation: null }];
    var seen = new Set([id]);
    var current = id;
    for (;;) {
      var next = (parents.get(current) || []).find(function (e) { return !seen.has(e.to); });
      if (!next) { break; }
      chain.push({ id: next.to, relation: next.relation });
      seen.add(next.to);
      current = next.to;
    }
    return chain;
  }

  /* -- vis data ------------------------------------------------------------------ */

  function nodeTooltip(n) {
    var box = el("div", "gg-tip");
    box.appendChild(el("div", "gg-tip-title", n.label));
    box.appendChild(el("div", "gg-tip-meta", n.kind + " \u00b7 " + n.category));
    if (n.definition) {
      box.appendChild(el("div", "gg-tip-text", n.definition));
    } else {
      box.appendChild(el("div", "gg-tip-text gg-muted", "No definition."));
    }
    return box;
  }

  function edgeTooltip(e) {
    var box = el("div", "gg-tip");
    box.appendChild(el("div", "gg-tip-title",
      labelOf(e.from) + " \u2014 " + e.relation + " " + ARROW + " " + labelOf(e.to)));
    var notes = [e.stated ? "stated" : "inferred"];
    if (e.highlight) { notes.push("on the explanation path"); }
    box.appendChild(el("div", "gg-tip-meta", notes.join(" \u00b7 ")));
    return box;
  }

  var large = !data.layout.physics;

  function visNode(n) {
    var colour = safeColour(n.color, "#64748b");
    var individual = n.kind === "individual";
    /* Hubs are drawn larger, with larger labels that stay readable when zoomed out. */
    var weight = Math.sqrt(degree.get(n.id) || 0);
    var node = {
      id: n.id,
      label: n.label,
      title: nodeTooltip(n),
      shape: individual ? "diamond" : "dot",
      size: (individual ? 10 : 12) + Math.min(12, 1.6 * weight),
      borderWidth: 1.5,
      borderWidthSelected: 3,
      color: {
        background: colour,
        border: "#ffffff",
        highlight: { background: colour, border: "#0f172a" },
        hover: { background: colour, border: "#0f172a" }
      },
      font: {
        face: FONT,
        size: 14 + Math.min(14, 2 * weight),
        color: "#0f172a",
        strokeWidth: 3,
        strokeColor: "#ffffff"
      },
      kind: n.kind,
      category: n.category
    };
    if (n.highlight) {
      node.borderWidth = 4;
      node.size += 3;
      node.color.border = PATH_COLOUR;
      node.color.highlight.border = PATH_COLOUR;
      node.shadow = { enabled: true, color: "rgba(245,158,11,0.55)", size: 16, x: 0, y: 0 };
      node.font.bold = true;
    }
    if (typeof n.x === "number" && typeof n.y === "number") {
      node.x = n.x;
      node.y = n.y;
    }
    return node;
  }

  function visEdge(e) {
    var colour = safeColour(e.color, "#64748b");
    var edge = {
      id: e.id,
      from: e.from,
      to: e.to,
      label: e.relation,
      title: edgeTooltip(e),
      arrows: { to: { enabled: true, scaleFactor: 0.55, type: e.kind === "relation" ? "arrow" : "triangle" } },
      dashes: e.stated ? false : [6, 5],
      width: e.highlight ? 4.5 : (e.kind === "relation" ? 1.2 : 1.6),
      color: { color: colour, highlight: colour, hover: colour, inherit: false },
      font: { face: FONT, size: 11, color: "#475569", strokeWidth: 3, strokeColor: "#ffffff" },
      kind: e.kind,
      stated: e.stated
    };
    if (e.curve > 0) {
      edge.smooth = {
        enabled: true,
        type: e.curve % 2 ? "curvedCW" : "curvedCCW",
        roundness: 0.2 * Math.ceil(e.curve / 2)
      };
    }
    return edge;
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var count = data.nodes.length;

  var options = {
    autoResize: true,
    layout: { improvedLayout: !large && count <= 100, randomSeed: 7 },
    physics: large ? { enabled: false } : {
      enabled: true,
      solver: "barnesHut",
      barnesHut: {
        gravitationalConstant: -12000,
        centralGravity: 0.2,
        springLength: 170,
        springConstant: 0.035,
        damping: 0.4,
        avoidOverlap: 0.3
      },
      maxVelocity: 60,
      minVelocity: 1,
      timestep: 0.5,
      adaptiveTimestep: false,
      stabilization: { enabled: true, iterations: 1000, updateInterval: 25, fit: true }
    },
    edges: {
      smooth: false,
      selectionWidth: 1.5,
      hoverWidth: 0.5,
      chosen: { edge: true, label: false },
      scaling: { label: { drawThreshold: 8 } }
    },
    nodes: { chosen: true },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: large,
      hideEdgesOnZoom: large,
      multiselect: false,
      navigationButtons: false,
      keyboard: false
    }
  };

  var container = $("gg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.genaiGraph = { network: network, nodes: nodes, edges: edges, data: data };

  /* -- side panel -------------------------------------------------------------- */

  var panel = $("gg-panel");

  function nodeLink(id, current) {
    var b = el("button", current ? "gg-link gg-current" : "gg-link", labelOf(id));
    b.type = "button";
    if (!current) {
      b.addEventListener("click", function () { selectNode(id, true); });
    }
    return b;
  }

  function showPanel(id) {
    var n = byId.get(id);
    if (!n) { hidePanel(); return; }

    var kind = $("gg-panel-kind");
    kind.replaceChildren(swatch(n.color, n.kind === "individual"), document.createTextNode(
      n.category === n.kind ? n.kind : n.category + " \u00b7 " + n.kind));
    if (n.highlight) { kind.appendChild(el("span", "gg-tag", "on path")); }
    $("gg-panel-title").textContent = n.label;

    var def = $("gg-panel-definition");
    def.textContent = n.definition || "No definition.";
    def.className = n.definition ? "gg-definition" : "gg-definition gg-muted";

    var syn = $("gg-panel-synonyms");
    syn.replaceChildren.apply(syn, n.synonyms.map(function (s) { return el("li", "", s); }));
    $("gg-panel-synonyms-section").hidden = n.synonyms.length === 0;

    var chain = $("gg-panel-chain");
    chain.replaceChildren.apply(chain, isaChain(id).map(function (step, i) {
      var li = el("li");
      if (step.relation) { li.appendChild(el("span", "gg-rel", ARROW + " " + step.relation)); }
      li.appendChild(nodeLink(step.id, i === 0));
      return li;
    }));

    var rel = $("gg-panel-relations");
    var items = [];
    var out = outgoing.get(id) || [];
    var inc = incoming.get(id) || [];
    out.slice(0, MAX_RELATIONS).forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", "gg-rel", e.relation + " " + ARROW));
      li.appendChild(nodeLink(e.to, e.to === id));
      if (!e.stated) { li.appendChild(el("span", "gg-tag", "inferred")); }
      items.push(li);
    });
    inc.slice(0, MAX_RELATIONS).forEach(function (e) {
      var li = el("li");
      li.appendChild(nodeLink(e.from, e.from === id));
      li.appendChild(el("span", "gg-rel", " " + e.relation + " " + ARROW + " this"));
      if (!e.stated) { li.appendChild(el("span", "gg-tag", "inferred")); }
      items.push(li);
    });
    var hidden = Math.max(0, out.length - MAX_RELATIONS) + Math.max(0, inc.length - MAX_RELATIONS);
    if (hidden) { items.push(el("li", "gg-muted", "\u2026 and " + hidden + " more")); }
    rel.replaceChildren.apply(rel, items);
    $("gg-panel-relations-section").hidden = items.length === 0;

    $("gg-panel-curie").textContent = n.curie;
    $("gg-panel-iri").textContent = n.id;
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function hidePanel() {
    panel.hidden = true;
  }

  /* How far (in screen pixels, negative = left) the centre of the part of the
     canvas that the open panel leaves visible is from the canvas centre. */
  function panelShift() {
    if (panel.hidden) { return 0; }
    var canvas = container.getBoundingClientRect();
    var box = panel.getBoundingClientRect();
    if (!box.width || box.left < canvas.left + canvas.width / 3) { return 0; }
    return -(canvas.right - box.left) / 2;
  }

  /* Select a node, describe it in the panel and centre it in the visible part. */
  function selectNode(id, animate) {
    if (!byId.has(id)) { return; }
    network.selectNodes([id]);
    showPanel(id);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      offset: { x: panelShift(), y: 0 },
      animation: animate ? { duration: 500, easingFunction: "easeInOutQuad" } : false
    });
  }

  /* Fit `ids` into the visible part of the canvas. */
  function fitNodes(ids) {
    network.fit({ nodes: ids, maxZoomLevel: 1.2, animation: false });
    var shift = panelShift();
    if (!shift) { return; }
    var width = container.clientWidth || 1;
    var scale = network.getScale() * Math.max(0.2, (width + 2 * shift) / width);
    var centre = network.getViewPosition();
    network.moveTo({ position: { x: centre.x - shift / scale, y: centre.y }, scale: scale });
  }

  $("gg-panel-close").addEventListener("click", function () {
    hidePanel();
    network.unselectAll();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      hidePanel();
      network.unselectAll();
    }
  });

  network.on("click", function (params) {
    if (params.nodes.length) {
      showPanel(params.nodes[0]);
    } else if (!params.edges.length) {
      hidePanel();
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) { selectNode(params.nodes[0], true); }
  });

  /* -- search ---------------------------------------------------------------- */

  var names = new Map();  // lower-cased label, synonym, CURIE or IRI -> [ids]
  var labels = [];
  function addName(name, id) {
    if (!name) { return; }
    var key = String(name).trim().toLowerCase();
    var ids = names.get(key);
    if (!ids) { ids = []; names.set(key, ids); }
    if (ids.indexOf(id) < 0) { ids.push(id); }
  }
  data.nodes.forEach(function (n) {
    addName(n.label, n.id);
    n.synonyms.forEach(function (s) { addName(s, n.id); });
    addName(n.curie, n.id);
    addName(n.id, n.id);
    labels.push(n.label);
    n.synonyms.forEach(function (s) { labels.push(s); });
  });
  /* Labels win over synonyms when a name is both. */
  data.nodes.forEach(function (n) {
    var ids = names.get(n.label.trim().toLowerCase());
    var i = ids.indexOf(n.id);
    if (i > 0) { ids.splice(i, 1); ids.unshift(n.id); }
  });

  var datalist = $("gg-names");
  var seenNames = new Set();
  labels.sort(function (a, b) { return a.localeCompare(b); });
  labels.forEach(function (name) {
    if (seenNames.has(name)) { return; }
    seenNames.add(name);
    var option = document.createElement("option");
    option.value = name;
    datalist.appendChild(option);
  });

  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var exact = names.get(q);
    if (exact) { return exact[0]; }
    var best = null;
    var bestScore = Infinity;
    names.forEach(function (ids, name) {
      var at = name.indexOf(q);
      if (at < 0) { return; }
      var score = (at === 0 ? 0 : 1000) + name.length;
      if (score < bestScore) { bestScore = score; best = ids[0]; }
    });
    return best;
  }

  var input = $("gg-search-input");
  var status = $("gg-search-status");
  function search() {
    var id = findNode(input.value);
    if (id === null) {
      status.textContent = input.value.trim() ? "No match" : "";
      return;
    }
    status.textContent = "";
    selectNode(id, true);
  }
  $("gg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function (event) {
    status.textContent = "";
    /* Picking a suggestion from the list searches at once; typing does not. */
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      if (names.has(input.value.trim().toLowerCase())) { search(); }
    }
  });

  /* -- legend ------------------------------------------------------------------ */

  function legendGroup(heading) {
    var group = el("div", "gg-legend-group");
    group.appendChild(el("span", "gg-legend-heading", heading));
    return group;
  }

  function legendItem(mark, name, n) {
    var item = el("span", "gg-legend-item");
    item.appendChild(mark);
    item.appendChild(el("span", "", name));
    item.appendChild(el("span", "gg-count", String(n)));
    return item;
  }

  var legend = $("gg-legend");
  var cats = legendGroup("Categories");
  data.legend.categories.forEach(function (c) {
    cats.appendChild(legendItem(swatch(c.color, false), c.name, c.count));
  });
  var shapes = legendGroup("Shapes");
  data.legend.shapes.forEach(function (s) {
    var mark = swatch("#64748b", s.shape === "diamond");
    shapes.appendChild(legendItem(mark, s.name, s.count));
  });
  var lines = legendGroup("Edges");
  data.legend.edges.forEach(function (e) {
    var mark = el("span", "gg-line" + (e.style === "dashed" ? " gg-dashed" : "") +
      (e.style === "thick" ? " gg-thick" : ""));
    mark.style.borderTopColor = safeColour(e.color, "#64748b");
    lines.appendChild(legendItem(mark, e.name, e.count));
  });
  [cats, shapes, lines].forEach(function (group) {
    if (group.children.length > 1) { legend.appendChild(group); }
  });

  var toggle = $("gg-legend-toggle");
  function showLegend(show) {
    legend.hidden = !show;
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
  }
  toggle.addEventListener("click", function () { showLegend(legend.hidden); });
  if (window.innerWidth < 720) { showLegend(false); }  /* small screens: the graph first */

  /* -- layout, then ready ---------------------------------------------------------- */

  var loading = $("gg-loading");
  var laidOut = large || count === 0;
  var ready = false;

  function finish() {
    if (ready) { return; }
    ready = true;
    loading.hidden = count > 0;
    var onPath = data.nodes.filter(function (n) { return n.highlight; })
      .map(function (n) { return n.id; });
    var focus = data.focus !== null && byId.has(data.focus) ? data.focus : null;
    if (focus !== null && !onPath.length) {
      selectNode(focus, false);
    } else if (onPath.length) {
      /* Show the whole explanation path (and the focus, selected and described). */
      if (focus !== null) {
        network.selectNodes([focus]);
        showPanel(focus);
        if (onPath.indexOf(focus) < 0) { onPath.push(focus); }
      }
      fitNodes(onPath);
    }
    document.body.dataset.ready = "1";
  }

  network.on("afterDrawing", function () {
    if (laidOut) { finish(); }
  });
  if (count === 0) {
    loading.textContent = "This graph is empty.";
  }

  if (laidOut) {
    window.setTimeout(function () { network.redraw(); }, 0);
  } else {
    var started = Date.now();
    network.on("stabilizationProgress", function (p) {
      loading.textContent = "Laying out the graph\u2026 " +
        Math.round(100 * p.iterations / Math.max(1, p.total)) + "%";
      if (Date.now() - started > LAYOUT_BUDGET_MS) {
        network.stopSimulation();  /* ends the stabilisation: good enough beats never */
      }
    });
    network.once("stabilizationIterationsDone", function () {
      /* Freeze the layout: the page must not keep spinning. */
      network.setOptions({ physics: { enabled: false } });
      laidOut = true;
      window.setTimeout(function () { network.redraw(); }, 0);
    });
  }
}());
