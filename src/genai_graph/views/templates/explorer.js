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
  var kids = new Map();  // id -> [is-a or instance-of edge whose parent is id]
  parents.forEach(function (list) {
    list.forEach(function (e) { push(kids, e.to, e); });
  });
  function childCount(id) { return (kids.get(id) || []).length; }

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

  /* Every is-a ancestor of `id` (itself included): id -> {dist, edge it was reached by}. */
  function upward(id) {
    var info = new Map([[id, { dist: 0, edge: null }]]);
    var queue = [id];
    for (var i = 0; i < queue.length; i++) {
      var here = info.get(queue[i]);
      (parents.get(queue[i]) || []).forEach(function (e) {
        if (!info.has(e.to)) {
          info.set(e.to, { dist: here.dist + 1, edge: e });
          queue.push(e.to);
        }
      });
    }
    return info;
  }

  /* The is-a edges from the start of `info` up to `top`, in order. */
  function pathUp(info, top) {
    var path = [];
    var step = info.get(top);
    while (step && step.edge) {
      path.unshift(step.edge);
      step = info.get(step.edge.from);
    }
    return path;
  }

  /* The lowest common ancestors of a and b: common ancestors with no common
     ancestor below them; of those, the one with the shortest paths (then by label). */
  function lowestCommonAncestor(a, b) {
    var ua = upward(a);
    var ub = upward(b);
    var common = new Set();
    ua.forEach(function (_, id) { if (ub.has(id)) { common.add(id); } });
    var above = new Set();
    common.forEach(function (id) {
      (parents.get(id) || []).forEach(function (e) { if (common.has(e.to)) { above.add(e.to); } });
    });
    var best = null;
    var bestScore = Infinity;
    common.forEach(function (id) {
      if (above.has(id)) { return; }
      var score = ua.get(id).dist + ub.get(id).dist;
      if (score < bestScore || (score === bestScore && labelOf(id) < labelOf(best))) {
        best = id;
        bestScore = score;
      }
    });
    if (best === null) { return null; }
    return { ancestor: best, a: pathUp(ua, best), b: pathUp(ub, best) };
  }

  /* Depth of each node in the is-a forest (roots 1), breadth first. */
  function treeDepths() {
    var depth = new Map();
    var queue = [];
    function walk() {
      for (var i = 0; i < queue.length; i++) {
        var d = depth.get(queue[i]) + 1;
        (kids.get(queue[i]) || []).forEach(function (e) {
          if (!depth.has(e.from)) { depth.set(e.from, d); queue.push(e.from); }
        });
      }
      queue = [];
    }
    data.nodes.forEach(function (n) {
      if (!(parents.get(n.id) || []).length) { depth.set(n.id, 1); queue.push(n.id); }
    });
    walk();
    data.nodes.forEach(function (n) {  /* cycles without a root */
      if (!depth.has(n.id)) { depth.set(n.id, 1); queue.push(n.id); walk(); }
    });
    return depth;
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

  /* -- what is shown: filters, view, collapsed subtrees ------------------------------ */

  var LCA_COLOUR = "#e11d48";
  var TREE_GAP_X = 320;
  var TREE_GAP_Y = 46;
  var TREE_GAP_LEAF = 240;
  var TREE_ROWS = 8;
  var hiddenCats = new Set();  // category names switched off in the legend
  var hiddenRels = new Set();  // relKey(edge) switched off in the legend
  var collapsed = new Set();   // ids whose is-a subtree is folded away
  var view = "everything";     // or "taxonomy"
  var shownNode = new Map();   // id -> drawn?
  var shownEdge = new Map();
  var nodeLabel = new Map();   // id -> label currently drawn
  var placed = new Set();      // ids that have a position worth keeping
  var home = null;             // positions in the "everything" view, while the taxonomy shows
  var depths = treeDepths();
  var panelId = null;          // node described in the panel
  var pickFrom = null;         // first node of a common-ancestor pick
  var comparedTo = null;       // second node of the pick on show
  var marks = { nodes: [], edges: [] };
  data.nodes.forEach(function (n) {
    shownNode.set(n.id, true);
    nodeLabel.set(n.id, n.label);
    if (typeof n.x === "number") { placed.add(n.id); }
  });
  data.edges.forEach(function (e) { shownEdge.set(e.id, true); });
  var byEdgeId = new Map(data.edges.map(function (e) { return [e.id, e]; }));

  function relKey(e) { return e.kind + "\n" + e.relation; }

  /* Ids hidden because every way down to them from a root passes a collapsed node. */
  function foldedAway() {
    var away = new Set();
    if (!collapsed.size) { return away; }
    var below = new Set();
    var stack = [];
    collapsed.forEach(function (id) {
      (kids.get(id) || []).forEach(function (e) { stack.push(e.from); });
    });
    while (stack.length) {
      var id = stack.pop();
      if (below.has(id)) { continue; }
      below.add(id);
      (kids.get(id) || []).forEach(function (e) { stack.push(e.from); });
    }
    var open = new Set();
    var queue = [];
    data.nodes.forEach(function (n) {
      if (!below.has(n.id)) { open.add(n.id); queue.push(n.id); }
    });
    for (var i = 0; i < queue.length; i++) {
      if (collapsed.has(queue[i])) { continue; }
      (kids.get(queue[i]) || []).forEach(function (e) {
        if (!open.has(e.from)) { open.add(e.from); queue.push(e.from); }
      });
    }
    below.forEach(function (id) { if (!open.has(id)) { away.add(id); } });
    return away;
  }

  /* Apply filters, view and collapsed subtrees to the drawing. */
  function refresh() {
    var away = foldedAway();
    var nodeUpdates = [];
    var appeared = [];
    data.nodes.forEach(function (n) {
      var show = !hiddenCats.has(n.category) && !away.has(n.id);
      var label = collapsed.has(n.id) && childCount(n.id) ?
        n.label + " (+" + childCount(n.id) + ")" : n.label;
      if (shownNode.get(n.id) !== show || nodeLabel.get(n.id) !== label) {
        if (show && !shownNode.get(n.id)) { appeared.push(n.id); }
        shownNode.set(n.id, show);
        nodeLabel.set(n.id, label);
        nodeUpdates.push({ id: n.id, hidden: !show, label: label });
      }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var show = shownNode.get(e.from) && shownNode.get(e.to) && !hiddenRels.has(relKey(e)) &&
        (view === "everything" || e.kind !== "relation");
      if (shownEdge.get(e.id) !== show) {
        shownEdge.set(e.id, show);
        edgeUpdates.push({ id: e.id, hidden: !show });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    if (view === "taxonomy") {
      layoutTree();
    } else {
      placeNear(appeared);
    }
    updateStats();
  }

  /* Move many nodes in one DataSet update (network.moveNode costs O(graph) each). */
  function moveNodes(moves) {
    if (moves.length) { nodes.update(moves); }
  }

  /* Give nodes shown for the first time a place next to a drawn parent or child. */
  function placeNear(ids) {
    if (!ids.length) { return; }
    var positions = network.getPositions();
    var moves = [];
    ids.forEach(function (id, k) {
      if (placed.has(id)) { return; }
      var anchor = (parents.get(id) || []).concat(kids.get(id) || []).map(function (e) {
        return e.from === id ? e.to : e.from;
      }).find(function (other) { return shownNode.get(other) && placed.has(other); });
      if (anchor === undefined) { return; }
      var at = positions[anchor];
      var angle = k * 2.39996;  /* golden angle: siblings spread round their parent */
      var r = 140 + 12 * Math.sqrt(k);
      positions[id] = { x: at.x + r * Math.cos(angle), y: at.y + r * Math.sin(angle) };
      moves.push({ id: id, x: positions[id].x, y: positions[id].y });
      placed.add(id);
    });
    moveNodes(moves);
  }

  /* Left-to-right tree layout of the drawn nodes along is-a edges. Each node's
     children that have no drawn children of their own (the leaves) stand in a
     grid of at most TREE_ROWS rows beside it, so wide levels stay compact. */
  function layoutTree() {
    var pos = new Map();
    var slot = 0;
    function byLabel(a, b) { return labelOf(a).localeCompare(labelOf(b)); }
    function hasDrawnKids(id) {
      return (kids.get(id) || []).some(function (e) { return shownNode.get(e.from); });
    }
    function grow(root) {
      pos.set(root, null);
      var frames = [{ id: root, depth: 0, kids: null, leaves: null, i: 0 }];
      while (frames.length) {
        var f = frames[frames.length - 1];
        if (f.kids === null) {
          f.kids = [];
          f.leaves = [];
          (kids.get(f.id) || []).forEach(function (e) {
            if (shownNode.get(e.from) && !pos.has(e.from)) {
              pos.set(e.from, null);
              (hasDrawnKids(e.from) ? f.kids : f.leaves).push(e.from);
            }
          });
          f.kids.sort(byLabel);
          f.leaves.sort(byLabel);
        }
        if (f.i < f.kids.length) {
          frames.push({ id: f.kids[f.i++], depth: f.depth + 1, kids: null, leaves: null, i: 0 });
          continue;
        }
        frames.pop();
        var x = (f.depth + 1) * TREE_GAP_X;
        var rows = Math.min(f.leaves.length, Math.max(TREE_ROWS, Math.ceil(Math.sqrt(f.leaves.length / 3))));
        f.leaves.forEach(function (leaf, k) {
          pos.set(leaf, {
            x: x + Math.floor(k / rows) * TREE_GAP_LEAF,
            y: (slot + (k % rows)) * TREE_GAP_Y
          });
        });
        slot += rows;
        var low = Infinity;
        var high = -Infinity;
        f.kids.concat(f.leaves).forEach(function (c) {
          var y0 = pos.get(c).y;
          if (y0 < low) { low = y0; }
          if (y0 > high) { high = y0; }
        });
        var y;
        if (low <= high) {
          y = (low + high) / 2;
        } else {
          y = slot * TREE_GAP_Y;
          slot += 1;
        }
        pos.set(f.id, { x: f.depth * TREE_GAP_X, y: y });
      }
      slot += 1;  /* a little air between trees */
    }
    var drawn = data.nodes.filter(function (n) { return shownNode.get(n.id); })
      .map(function (n) { return n.id; });
    var roots = drawn.filter(function (id) {
      return !(parents.get(id) || []).some(function (e) { return shownNode.get(e.to); });
    });
    /* Trees first, then the nodes with no is-a link at all (in a grid of their own). */
    var trees = roots.filter(hasDrawnKids).sort(byLabel);
    var loners = roots.filter(function (id) { return !hasDrawnKids(id); }).sort(byLabel);
    var lonely = new Set(loners);
    trees.forEach(grow);
    drawn.forEach(function (id) { if (!pos.has(id) && !lonely.has(id)) { grow(id); } });
    var rows = Math.max(TREE_ROWS, Math.ceil(Math.sqrt(loners.length)));
    loners.forEach(function (id, k) {
      if (!pos.has(id)) {
        pos.set(id, { x: Math.floor(k / rows) * TREE_GAP_LEAF, y: (slot + (k % rows)) * TREE_GAP_Y });
      }
    });
    var moves = [];
    pos.forEach(function (p, id) { moves.push({ id: id, x: p.x, y: p.y }); });
    moveNodes(moves);
  }

  function setView(name) {
    if (name === view) { return; }
    network.stopSimulation();
    network.setOptions({ physics: { enabled: false } });
    if (name === "taxonomy") {
      home = network.getPositions();
      view = name;
      refresh();
    } else {
      view = name;
      refresh();
      if (home) {
        moveNodes(Object.keys(home).map(function (id) {
          return { id: id, x: home[id].x, y: home[id].y };
        }));
      }
    }
    $("gg-view-everything").setAttribute("aria-pressed", String(view === "everything"));
    $("gg-view-taxonomy").setAttribute("aria-pressed", String(view === "taxonomy"));
    document.body.dataset.view = view;
    fitDrawn();
  }

  function toggleSubtree(id) {
    var before = network.getPositions([id])[id];
    if (collapsed.has(id)) { collapsed.delete(id); } else { collapsed.add(id); }
    refresh();
    /* Keep the node where it was on the screen, whatever moved around it. */
    var after = network.getPositions([id])[id];
    var centre = network.getViewPosition();
    network.moveTo({
      position: { x: centre.x + after.x - before.x, y: centre.y + after.y - before.y },
      scale: network.getScale()
    });
    if (panelId === id) { showPanel(id); }
  }

  /* Fold the hierarchy below depth `levels` (roots are level 1); 0 opens everything. */
  function showLevels(levels) {
    collapsed.clear();
    if (levels > 0) {
      depths.forEach(function (d, id) {
        if (d === levels && childCount(id)) { collapsed.add(id); }
      });
    }
    refresh();
    if (ready) { fitDrawn(); }
  }

  /* Make `id` drawn: switch its category back on and open the subtrees hiding it. */
  function reveal(id) {
    var n = byId.get(id);
    if (!n || shownNode.get(id)) { return; }
    if (hiddenCats.has(n.category)) {
      hiddenCats.delete(n.category);
      var box = catBoxes.get(n.category);
      if (box) { box.checked = true; }
    }
    upward(id).forEach(function (_, above) { if (above !== id) { collapsed.delete(above); } });
    refresh();
  }

  function updateStats() {
    var drawnNodes = 0;
    shownNode.forEach(function (show) { if (show) { drawnNodes += 1; } });
    var drawnEdges = 0;
    shownEdge.forEach(function (show) { if (show) { drawnEdges += 1; } });
    var text = data.nodes.length + " nodes \u00b7 " + data.edges.length + " edges";
    if (drawnNodes !== data.nodes.length || drawnEdges !== data.edges.length) {
      text = drawnNodes + " of " + data.nodes.length + " nodes \u00b7 " +
        drawnEdges + " of " + data.edges.length + " edges shown";
    }
    var stats = $("gg-stats");
    if (stats.textContent !== text) {
      stats.textContent = text;
      resized();  /* the header may have wrapped differently */
    }
    setNote();
  }

  /* The note under the legend: large-graph advice, or what a pick is waiting for. */
  function setNote(message) {
    var note = $("gg-note");
    var parts = [];
    if (message) {
      parts.push(message);
    } else if (pickFrom !== null) {
      parts.push("Click a second node to see its lowest common ancestor with " +
        labelOf(pickFrom) + " (Esc cancels).");
    } else {
      if (large) {
        parts.push("Large graph (" + data.nodes.length + " nodes, more than " +
          data.layout.nodeLimit + "): drawn on a precomputed layout without physics.");
      }
      if (collapsed.size) {
        parts.push("Nodes marked (+n) are collapsed: double-click one to open it, or use Expand all.");
      }
      if (large) {
        parts.push("For a readable picture, filter, or draw a focus: to_html(focus=..., depth=...).");
      }
    }
    note.textContent = parts.join(" ");
    note.hidden = parts.length === 0;
  }

  /* The header changed height: fit the canvas to its box now, not on vis' next check. */
  function resized() {
    if (typeof network !== "undefined") { network.setSize("100%", "100%"); }
  }
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(function () { resized(); }).observe(container);
  }

  /* -- lowest common ancestor ---------------------------------------------------- */

  function clearMarks() {
    if (marks.edges.length) {
      edges.update(marks.edges.map(function (id) {
        var v = visEdge(byEdgeId.get(id));
        return { id: id, color: v.color, width: v.width };
      }));
    }
    if (marks.nodes.length) {
      nodes.update(marks.nodes.map(function (id) {
        var v = visNode(byId.get(id));
        return { id: id, color: v.color, borderWidth: v.borderWidth, shadow: v.shadow || false, size: v.size };
      }));
    }
    marks = { nodes: [], edges: [] };
  }

  function chainList(list, start, path) {
    var items = [el("li")];
    items[0].appendChild(nodeLink(start, false));
    path.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", "gg-rel", ARROW + " " + e.relation));
      li.appendChild(nodeLink(e.to, false));
      items.push(li);
    });
    list.replaceChildren.apply(list, items);
  }

  function compare(a, b) {
    pickFrom = null;
    clearMarks();
    var found = lowestCommonAncestor(a, b);
    reveal(a);
    reveal(b);
    network.selectNodes([b]);
    showPanel(b);
    comparedTo = b;
    var section = $("gg-panel-lca-section");
    section.hidden = false;
    if (!found) {
      $("gg-panel-lca").textContent = labelOf(a) + " and " + labelOf(b) + " have no common ancestor.";
      $("gg-panel-lca-a").replaceChildren();
      $("gg-panel-lca-b").replaceChildren();
      setNote();
      return;
    }
    reveal(found.ancestor);
    $("gg-panel-lca").textContent = labelOf(found.ancestor);
    chainList($("gg-panel-lca-a"), a, found.a);
    chainList($("gg-panel-lca-b"), b, found.b);
    var edgeIds = found.a.concat(found.b).map(function (e) { return e.id; });
    var nodeIds = [a, b, found.ancestor];
    found.a.concat(found.b).forEach(function (e) {
      if (nodeIds.indexOf(e.to) < 0) { nodeIds.push(e.to); }
    });
    marks = { nodes: nodeIds, edges: edgeIds };
    edges.update(edgeIds.map(function (id) {
      return { id: id, width: 5, color: { color: LCA_COLOUR, highlight: LCA_COLOUR, hover: LCA_COLOUR, inherit: false } };
    }));
    nodes.update(nodeIds.map(function (id) {
      var v = visNode(byId.get(id));
      var colour = v.color;
      colour.border = LCA_COLOUR;
      colour.highlight.border = LCA_COLOUR;
      return {
        id: id,
        color: colour,
        borderWidth: id === found.ancestor ? 6 : 4,
        shadow: { enabled: id === found.ancestor, color: "rgba(225,29,72,0.5)", size: 18, x: 0, y: 0 }
      };
    }));
    setNote();
    fitNodes(nodeIds);
  }

  window.genaiGraph = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    lowestCommonAncestor: lowestCommonAncestor,
    collapsed: collapsed,
    view: function () { return view; }
  };

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

    var src = $("gg-panel-sources");
    src.replaceChildren.apply(src, n.sources.map(function (s) {
      var li = el("li");
      var url = webUrl(s);
      if (url) {
        var a = el("a", "", s);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.appendChild(el("span", "", s));
      }
      return li;
    }));
    $("gg-panel-sources-section").hidden = n.sources.length === 0;

    var sub = $("gg-panel-subtree");
    sub.hidden = childCount(id) === 0;
    sub.textContent = collapsed.has(id) ? "Expand subtree (" + childCount(id) + ")" : "Collapse subtree";
    if (id !== comparedTo) { $("gg-panel-lca-section").hidden = true; }
    panelId = id;

    $("gg-panel-curie").textContent = n.curie;
    $("gg-panel-iri").textContent = n.id;
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function hidePanel() {
    panel.hidden = true;
    panelId = null;
    pickFrom = null;
    comparedTo = null;
    clearMarks();
    setNote();
  }

  /* An http(s) URL for a source, or null: nothing else becomes a link. */
  function webUrl(text) {
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
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
    reveal(id);
    network.selectNodes([id]);
    showPanel(id);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      offset: { x: panelShift(), y: 0 },
      animation: animate ? { duration: 500, easingFunction: "easeInOutQuad" } : false
    });
  }

  /* Fit what is drawn into the part of the canvas the panel leaves visible. */
  function fitDrawn() {
    fitNodes(data.nodes.filter(function (n) { return shownNode.get(n.id); })
      .map(function (n) { return n.id; }));
  }

  /* Fit `ids` into the visible part of the canvas. */
  function fitNodes(ids) {
    network.redraw();  /* draw first: fit measures the nodes as drawn */
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
    if (event.key !== "Escape") { return; }
    if (pickFrom !== null) {
      pickFrom = null;
      setNote();
    } else if (!panel.hidden) {
      hidePanel();
      network.unselectAll();
    }
  });
  $("gg-panel-subtree").addEventListener("click", function () {
    if (panelId !== null) { toggleSubtree(panelId); }
  });
  $("gg-panel-compare").addEventListener("click", function () {
    if (panelId === null) { return; }
    clearMarks();
    comparedTo = null;
    $("gg-panel-lca-section").hidden = true;
    pickFrom = panelId;
    setNote();
  });
  $("gg-view-everything").addEventListener("click", function () { setView("everything"); });
  $("gg-view-taxonomy").addEventListener("click", function () { setView("taxonomy"); });
  $("gg-expand-all").addEventListener("click", function () { showLevels(0); });
  $("gg-collapse-all").addEventListener("click", function () {
    showLevels(data.layout.levels > 0 ? data.layout.levels : 2);
  });

  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (pickFrom !== null && id !== pickFrom) {
        compare(pickFrom, id);
      } else {
        showPanel(id);
      }
    } else if (!params.edges.length) {
      hidePanel();
    }
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (childCount(id)) {
      toggleSubtree(id);
    } else {
      selectNode(id, true);
    }
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

  /* A legend entry that is also a filter: unticking it hides what it names. */
  function filterItem(mark, name, n, hidden, key) {
    var item = el("label", "gg-legend-item gg-filter");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(key); } else { hidden.add(key); }
      refresh();
    });
    item.appendChild(box);
    item.appendChild(mark);
    item.appendChild(el("span", "", name));
    item.appendChild(el("span", "gg-count", String(n)));
    return { item: item, box: box };
  }
  var catBoxes = new Map();

  var legend = $("gg-legend");
  var cats = legendGroup("Categories");
  data.legend.categories.forEach(function (c) {
    var f = filterItem(swatch(c.color, false), c.name, c.count, hiddenCats, c.name);
    catBoxes.set(c.name, f.box);
    cats.appendChild(f.item);
  });
  var rels = legendGroup("Relations");
  var edgeColours = { subclass: "#334155", type: "#0e7490", relation: "#8b5cf6" };
  data.legend.relations.forEach(function (r) {
    var mark = el("span", "gg-line");
    mark.style.borderTopColor = edgeColours[r.kind] || "#64748b";
    rels.appendChild(filterItem(mark, r.name, r.count, hiddenRels, r.kind + "\n" + r.name).item);
  });
  var shapes = legendGroup("Shapes");
  data.legend.shapes.forEach(function (s) {
    var mark = swatch("#64748b", s.shape === "diamond");
    shapes.appendChild(legendItem(mark, s.name, s.count));
  });
  /* Many relations: fold their filters behind a button, so the graph keeps the screen. */
  var MAX_OPEN_RELATIONS = 8;
  if (data.legend.relations.length > MAX_OPEN_RELATIONS) {
    var more = el("button", "gg-legend-more");
    more.type = "button";
    var fold = function (folded) {
      rels.classList.toggle("gg-folded", folded);
      more.textContent = folded ? "show all " + data.legend.relations.length : "hide";
      more.setAttribute("aria-expanded", folded ? "false" : "true");
    };
    fold(true);
    more.addEventListener("click", function () {
      fold(!rels.classList.contains("gg-folded"));
      resized();
    });
    rels.firstChild.after(more);
  }
  var lines = legendGroup("Edges");
  /* An open relations group already shows what each colour means. */
  var kindsShown = data.legend.relations.length > 0 &&
    data.legend.relations.length <= MAX_OPEN_RELATIONS;
  data.legend.edges.forEach(function (e) {
    if (kindsShown && (e.key === "subclass" || e.key === "type" || e.key === "relation")) { return; }
    var mark = el("span", "gg-line" + (e.style === "dashed" ? " gg-dashed" : "") +
      (e.style === "thick" ? " gg-thick" : ""));
    mark.style.borderTopColor = safeColour(e.color, "#64748b");
    lines.appendChild(legendItem(mark, e.name, e.count));
  });
  [cats, rels, shapes, lines].forEach(function (group) {
    if (group.children.length > 1) { legend.appendChild(group); }
  });

  var toggle = $("gg-legend-toggle");
  function showLegend(show) {
    legend.hidden = !show;
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
    resized();
  }
  toggle.addEventListener("click", function () { showLegend(legend.hidden); });
  if (window.innerWidth < 720) { showLegend(false); }  /* small screens: the graph first */

  /* -- layout, then ready ---------------------------------------------------------- */

  if (data.layout.levels > 0) { showLevels(data.layout.levels); } else { updateStats(); }

  var loading = $("gg-loading");
  var laidOut = large || count === 0;
  var ready = false;

  function finish() {
    if (ready) { return; }
    ready = true;
    loading.hidden = count > 0;
    var at = network.getPositions();
    Object.keys(at).forEach(function (id) { if (shownNode.get(id)) { placed.add(id); } });
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
