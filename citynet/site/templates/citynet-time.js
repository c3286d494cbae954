// citynet pages: the period filter. Two year sliders (from, to) and a play button over the years the
// page's graph covers (data.period). An item is shown when one of its year spans (data "years",
// computed by citynet/site/timeline.py with the meaning of `--year`) overlaps the period; items
// without a recorded period ("undated") are shown unless the "undated" box is cleared. With the box
// cleared the graph is what `citynet visualize --year FROM-TO` draws. On a map the country flows
// follow the period too: a flow counts the shared networks active in it (data.flows[pair].networks:
// how many networks have each list of spans) and its width and opacity scale to the heaviest flow
// of the period, as geomap.py scales them to the heaviest of every year.
(function () {
  "use strict";
  const api = window.citynet;
  const data = api && api.data;
  if (!data || !data.period) return;
  const first = data.period[0], last = data.period[1];
  const controls = document.getElementById("controls");

  function make(tag, props, children) {
    const element = Object.assign(document.createElement(tag), props || {});
    (children || []).forEach(function (child) {
      element.append(child);
    });
    return element;
  }
  function slider(id, value) {
    return make("input", {id: id, type: "range", min: first, max: last, step: 1, value: value});
  }
  const from = slider("period-from", first);
  const to = slider("period-to", last);
  const shown = make("output", {id: "period-shown"});
  const play = make("button", {id: "period-play", type: "button", textContent: "\u25b6 Play"});
  play.setAttribute("aria-pressed", "false");
  const undated = make("input", {id: "period-undated", type: "checkbox", checked: true});
  const box = make("fieldset", {id: "period"}, [
    make("legend", {textContent: "Period"}),
    make("label", {}, ["from ", from]),
    make("label", {}, ["to ", to]),
    shown,
    play,
    make("label", {title: "Networks without a recorded period, and what links to them"},
      [undated, " undated"]),
  ]);
  controls.insertBefore(box, document.getElementById("reset"));

  function narrowed() {
    return Number(from.value) > first || Number(to.value) < last;
  }
  api.inPeriod = function (item) {
    if (undated.checked && !narrowed()) return true;
    const a = Number(from.value), b = Number(to.value);
    for (const span of item.years || []) {
      if (span[0] <= b && a <= span[1]) return true;
    }
    return undated.checked && Boolean(item.undated);
  };

  const flows = document.querySelectorAll("#flows line[data-from]");
  function label(count) {
    const a = Number(from.value), b = Number(to.value);
    const years = a === b ? String(a) : a + "\u2013" + b;
    shown.textContent = count === undefined ? years : years + ": " + count + " of " + data.nodes.length + " nodes";
  }
  // The networks of a flow active in the period: those whose spans overlap it (undated ones while
  // the box is ticked; every one when the period is all the years and the box ticked).
  function countNetworks(flow) {
    let count = 0;
    for (const [key, networks] of Object.entries((flow && flow.networks) || {})) {
      const spans = key ? key.split(" ").map(function (span) { return span.split("-").map(Number); }) : [];
      if (api.inPeriod({years: spans, undated: !key})) count += networks;
    }
    return count;
  }
  function scaleFlows() {
    const counts = Array.from(flows, function (line) {
      return countNetworks((data.flows || {})[line.dataset.from + " " + line.dataset.to]);
    });
    const heaviest = Math.max(1, ...counts);
    flows.forEach(function (line, i) {
      line.dataset.periodWeight = counts[i];
      line.classList.toggle("out-of-period", counts[i] === 0);
      line.setAttribute("stroke-width", (0.6 + 9.4 * counts[i] / heaviest).toFixed(1));
      line.setAttribute("stroke-opacity", (0.3 + 0.6 * counts[i] / heaviest).toFixed(2));
    });
  }
  function update() {
    api.applyFilters();
    scaleFlows();
    label(api.nodes.get({filter: function (n) { return !n.hidden; }}).length);
  }
  // The two thumbs never cross: moving one past the other takes the other along.
  from.addEventListener("input", function () {
    if (Number(from.value) > Number(to.value)) to.value = from.value;
    update();
  });
  to.addEventListener("input", function () {
    if (Number(to.value) < Number(from.value)) from.value = to.value;
    update();
  });
  undated.addEventListener("change", update);

  // Play: one year at a time, from the "from" year (or the first, at the end) to the last.
  let timer = null;
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "\u25b6 Play";
    play.setAttribute("aria-pressed", "false");
  }
  function step() {
    const next = Number(from.value) + 1;
    if (next > last) { stop(); return; }
    from.value = to.value = next;
    update();
  }
  play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    const start = Number(from.value) >= last ? first : Number(from.value);
    from.value = to.value = start;
    update();
    play.textContent = "\u275a\u275a Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(step, 900);
  });
  document.getElementById("reset").addEventListener("click", function () {
    stop();
    from.value = first;
    to.value = last;
    undated.checked = true;
    update();
  });
  label();
})();
