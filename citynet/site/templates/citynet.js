// citynet pages: draw the graph with vis-network, then search, filter, tooltips and details.
// Every text from the data goes into the page as a text node (textContent), never as HTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("citynet-data").textContent);
  const status = document.getElementById("status");
  const filterSelects = Array.from(document.querySelectorAll("#controls select"));
  // On the map, the country flows replace the city-city edges while they are shown.
  const flowsToggle = document.getElementById("flows-toggle");
  function flowsShown() { return Boolean(flowsToggle && flowsToggle.checked); }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function describe(info, className) {
    const box = document.createElement("div");
    box.className = className;
    for (const [key, value] of info) {
      const line = document.createElement("div");
      if (key) {
        const name = document.createElement("b");
        name.textContent = key + ": ";
        line.appendChild(name);
      } else {
        line.className = "title";
      }
      line.appendChild(document.createTextNode(value));
      box.appendChild(line);
    }
    return box;
  }

  // The table view: the same nodes and edges as rows, for keyboards and screen readers.
  function addRow(body, cells) {
    const row = document.createElement("tr");
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text == null ? "" : String(text);
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
  // Filled when first opened: thousands of rows would delay the graph.
  function fillTables() {
    if (fillTables.done) return;
    fillTables.done = true;
    const names = {}, links = {};
    for (const node of data.nodes) { names[node.id] = node.name; links[node.id] = 0; }
    for (const edge of data.edges) { links[edge.from] += 1; links[edge.to] += 1; }
    const nodeRows = document.querySelector("#table-nodes tbody");
    const edgeRows = document.querySelector("#table-edges tbody");
    if (!nodeRows || !edgeRows) { return; }
    for (const node of data.nodes) { addRow(nodeRows, [node.name, node.kind, node.country, links[node.id]]); }
    for (const edge of data.edges) {
      const about = edge.info.map(function (pair) { return pair[0] ? pair[0] + ": " + pair[1] : pair[1]; });
      addRow(edgeRows, [names[edge.from], names[edge.to], about.join("; ")]);
    }
  }
  const tableView = document.getElementById("table-view");
  if (tableView) {
    tableView.querySelector("summary").addEventListener("click", fillTables);  // before it opens
    tableView.addEventListener("toggle", fillTables);  // opened otherwise
    if (tableView.open) fillTables();
  }

  for (const item of data.nodes.concat(data.edges)) {
    item.title = describe(item.info, "cn-tip");
  }
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges.map(function (edge, i) { return Object.assign({id: i}, edge); }));
  const big = data.nodes.length > 1000;
  const options = {
    nodes: {font: {size: 14, face: "system-ui, sans-serif"}},
    edges: {smooth: false, selectionWidth: 2, color: data.edgeStyle},
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big},
    layout: {improvedLayout: data.nodes.length <= 150, randomSeed: 42},
    physics: data.physics ? {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.2},
      stabilization: {enabled: true, iterations: 600, updateInterval: 25, fit: true},
    } : {enabled: false},
  };
  const network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, options);
  window.citynet = {network: network, nodes: nodes, edges: edges, ready: false, readyAt: null,
    data: data, applyFilters: applyFilters, inPeriod: null};  // inPeriod: set by citynet-time.js

  // Links: only http(s) URLs become links to the web, only relative paths links to the site's pages;
  // anything else (javascript:, data:, ...) would run in the page when clicked, so it stays text.
  function webHref(url) {
    let parsed;
    try { parsed = new URL(String(url)); } catch (e) { return null; }
    return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
  }
  function pageHref(path) {
    const cleaned = String(path).replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(cleaned) || cleaned.startsWith("//") ? null : cleaned;
  }

  function describeLinks(links) {
    const box = document.createElement("div");
    box.className = "cn-details cn-links";
    for (const [kind, url] of links || []) {
      const line = document.createElement("div");
      const name = document.createElement("b");
      name.textContent = kind + ": ";
      line.appendChild(name);
      const href = webHref(url);
      if (href) {
        const link = document.createElement("a");
        link.href = href;
        link.rel = "noopener noreferrer";
        link.textContent = url;
        line.appendChild(link);
      } else {
        line.appendChild(document.createTextNode(url));
      }
      box.appendChild(line);
    }
    return box;
  }

  function showDetails(info, neighbours, page, links) {
    const panel = document.getElementById("details");
    const heading = document.createElement("h2");
    heading.textContent = "Details";
    panel.replaceChildren(heading, describe(info, "cn-details"));
    if (links && links.length) {
      panel.appendChild(describeLinks(links));
    }
    if (neighbours && neighbours.length) {
      panel.appendChild(describe([["linked to", neighbours.join(", ")]], "cn-details"));
    }
    const href = page ? pageHref(page) : null;
    if (href && !window.location.href.endsWith(href.replace(/^(\.\.\/)+/, ""))) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = "Open its page";
      panel.appendChild(link);
    }
  }

  function showNode(id) {
    const node = nodes.get(id);
    const names = network.getConnectedNodes(id).map(function (n) { return nodes.get(n).name; }).sort();
    showDetails(node.info, names, node.page, node.links);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      const edge = edges.get(params.edges[0]);
      showDetails(edge.info, [], null, edge.links);
    }
  });

  // Search: exact name first, then a name starting with the text, then one containing it.
  const labels = document.getElementById("search-labels");
  const names = data.nodes.map(function (n) { return n.name; }).sort();
  for (const name of new Set(names)) {
    labels.appendChild(new Option(name));
  }
  function find(text) {
    const wanted = fold(text);
    if (!wanted) return null;
    const tests = [
      function (n) { return fold(n.name) === wanted; },
      function (n) { return fold(n.name).startsWith(wanted); },
      function (n) { return fold(n.name).includes(wanted); },
    ];
    for (const test of tests) {
      const found = data.nodes.find(test);
      if (found) return found.id;
    }
    return null;
  }
  function select(id) {
    status.textContent = nodes.get(id).hidden ? "Hidden by the filters: reset them to see it" : "";
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    showNode(id);
  }
  function search() {
    const text = document.getElementById("search").value;
    const id = find(text);
    if (id === null) {
      status.textContent = text ? "No node named \u201c" + text + "\u201d" : "";
      return;
    }
    select(id);
  }
  const box = document.getElementById("search");
  // keyboard.js makes the box a combobox; it calls search() on Enter, or select(id) for a result.
  Object.assign(window.citynet, {search: search, select: select, fold: fold});

  // Filters: programme, country, network type; values from the data.
  for (const select of filterSelects) {
    const key = select.dataset.key;
    const values = new Set();
    for (const item of data.nodes.concat(data.edges)) {
      [].concat(item[key] || []).forEach(function (v) { values.add(v); });
    }
    Array.from(values).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
    select.disabled = values.size === 0;
    select.addEventListener("change", applyFilters);
  }
  // A filter applies to what has that attribute (a network's programme and type, a member's
  // country, a co-partnership's programmes and types): a value it lacks fails the filter.
  function judge(item, active) {
    let ok = true;
    let positive = active.length > 0;
    for (const [key, value] of active) {
      if (!item.filtered.includes(key)) { positive = false; continue; }
      if (![].concat(item[key] || []).includes(value)) ok = false;
    }
    return {ok: ok, positive: positive && ok};
  }
  function applyFilters() {
    const active = filterSelects.filter(function (s) { return s.value; })
      .map(function (s) { return [s.dataset.key, s.value]; });
    const verdicts = {};
    const inPeriod = window.citynet.inPeriod || function () { return true; };
    data.nodes.forEach(function (n) { verdicts[n.id] = judge(n, active); verdicts[n.id].ok &&= inPeriod(n); });
    const linked = new Set();
    const edgeUpdates = edges.get().map(function (edge) {
      const shown = verdicts[edge.from].ok && verdicts[edge.to].ok && judge(edge, active).ok && inPeriod(edge);
      if (shown) { linked.add(edge.from); linked.add(edge.to); }
      return {id: edge.id, hidden: !shown || flowsShown()};
    });
    let shownNodes = 0;
    const nodeUpdates = data.nodes.map(function (n) {
      const v = verdicts[n.id];
      const shown = v.ok && (active.length === 0 || v.positive || linked.has(n.id));
      if (shown) shownNodes += 1;
      return {id: n.id, hidden: !shown};
    });
    edges.update(edgeUpdates);
    nodes.update(nodeUpdates);
    status.textContent = active.length ? shownNodes + " of " + data.nodes.length + " nodes match" : "";
  }
  document.getElementById("reset").addEventListener("click", function () {
    filterSelects.forEach(function (s) { s.value = ""; });
    box.value = "";
    applyFilters();
    network.unselectAll();
    network.fit({animation: false});
  });

  // A map: the countries (an SVG under the canvas) and the country flows (an SVG over it) follow
  // the canvas's pan and zoom; their strokes keep their width in pixels (non-scaling-stroke).
  if (data.geo) {
    const views = document.querySelectorAll(".map-layer .view");
    const labels = document.querySelector("#basemap .labels");
    network.on("beforeDrawing", function () {
      const origin = network.canvasToDOM({x: 0, y: 0});
      const scale = network.getScale();
      const transform = "translate(" + origin.x + " " + origin.y + ") scale(" + scale + ")";
      views.forEach(function (view) { view.setAttribute("transform", transform); });
      labels.style.fontSize = (12 / scale) + "px";
    });
    flowsToggle.addEventListener("change", function () {
      document.getElementById("flows").classList.toggle("off", !flowsToggle.checked);
      applyFilters();
    });
  }

  // Physics runs until the layout settles, then stops, so the page stays still.
  function ready() {
    if (window.citynet.ready) return;
    network.setOptions({physics: {enabled: false}});
    if (!data.physics) network.fit({animation: false});
    window.citynet.ready = true;
    window.citynet.readyAt = performance.now();
    document.body.dataset.state = "ready";
    if (data.focus !== null && nodes.get(data.focus)) {
      network.selectNodes([data.focus]);
      showNode(data.focus);
    }
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", ready);
  }
})();
