// citynet pages, by keyboard: the search box as an ARIA 1.2 combobox over the nodes' names (Up and
// Down move, Enter chooses, Escape closes), and the details panel reachable, titled and closable
// (focus moves to it on a choice; its Close button or Escape empties it and gives focus back).
// Loaded after citynet.js, whose window.citynet it uses. Names go into the page as text only.
(function () {
  "use strict";
  const cn = window.citynet;
  const box = document.getElementById("search");
  const panel = document.getElementById("details");
  if (!cn || !box || !panel || !cn.select) return;
  const LIMIT = 30;
  let returnTo = null;

  // The names to search, folded once (case and accents: "poznan" finds Poznań).
  const entries = cn.nodes.get().map(function (node) {
    return {id: node.id, name: node.name, kind: node.kind, country: node.country, folded: cn.fold(node.name)};
  }).sort(function (a, b) { return a.name.localeCompare(b.name); });
  entries.forEach(function (entry, i) { entry.index = i; });

  const list = document.createElement("ul");
  list.id = "search-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Nodes whose name matches");
  list.hidden = true;
  box.parentNode.after(list);
  box.removeAttribute("list");
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-expanded", "false");
  box.setAttribute("aria-controls", list.id);

  // A name equal to the text first, then one starting with it, then one containing it.
  function match(text) {
    const wanted = cn.fold(text);
    if (!wanted) return [];
    const ranks = [[], [], []];
    for (const entry of entries) {
      if (entry.folded === wanted) ranks[0].push(entry);
      else if (entry.folded.startsWith(wanted)) ranks[1].push(entry);
      else if (entry.folded.includes(wanted)) ranks[2].push(entry);
    }
    return ranks[0].concat(ranks[1], ranks[2]).slice(0, LIMIT);
  }

  function options() { return Array.from(list.children); }
  function active() { return document.getElementById(box.getAttribute("aria-activedescendant") || ""); }

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  function open() {
    const found = match(box.value);
    list.replaceChildren();
    found.forEach(function (entry, i) {
      const option = document.createElement("li");
      option.id = "search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(entry.index);
      option.textContent = entry.name;
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = " " + [entry.kind, entry.country].filter(Boolean).join(", ");
      option.appendChild(note);
      list.appendChild(option);
    });
    if (!found.length) { close(); return; }
    list.style.left = box.offsetLeft + "px";
    list.style.top = box.offsetTop + box.offsetHeight + "px";
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    box.removeAttribute("aria-activedescendant");
  }

  function move(step) {
    if (list.hidden) open();
    const all = options();
    if (!all.length) return;
    const now = all.indexOf(active());
    const next = now < 0 ? (step > 0 ? 0 : all.length - 1) : (now + step + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === next)); });
    box.setAttribute("aria-activedescendant", all[next].id);
    all[next].scrollIntoView({block: "nearest"});
  }

  // A chosen node: selected and centred in the graph, its details shown, and focus on them.
  function choose(option) {
    const entry = entries[Number(option.dataset.index)];
    close();
    box.value = entry.name;
    cn.select(entry.id);
    returnTo = box;
    panel.focus();
  }

  box.addEventListener("input", open);
  box.addEventListener("blur", close);
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const option = list.hidden ? null : active();
      if (option) { choose(option); return; }
      close();
      cn.search();
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); }
    }
  });
  // A click on a result chooses it; pressing the mouse there keeps the focus in the box.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    const option = event.target.closest("[role=option]");
    if (option) choose(option);
  });

  // The details panel: a region named by its heading, focusable, with the node's name as a heading
  // and a Close button, added each time citynet.js fills it.
  panel.setAttribute("role", "region");
  panel.setAttribute("tabindex", "-1");
  const heading = panel.querySelector("h2");
  if (heading) {
    heading.id = "details-heading";
    panel.setAttribute("aria-labelledby", heading.id);
  }
  const blank = Array.from(panel.childNodes).map(function (node) { return node.cloneNode(true); });
  function dress() {
    if (!panel.querySelector(".cn-details") || panel.querySelector(".cn-close")) return;
    const top = panel.querySelector("h2");
    if (top) top.id = "details-heading";
    const title = panel.querySelector(".cn-details > div.title");
    if (title) {
      const name = document.createElement("h3");
      name.className = "title";
      name.textContent = title.textContent;
      title.replaceWith(name);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cn-close";
    button.textContent = "Close";
    button.setAttribute("aria-label", "Close the details");
    button.addEventListener("click", shut);
    (top || panel.firstChild).after(button);
  }
  function shut() {
    panel.replaceChildren.apply(panel, blank.map(function (node) { return node.cloneNode(true); }));
    cn.network.unselectAll();
    const back = returnTo && document.contains(returnTo) ? returnTo : box;
    returnTo = null;
    back.focus();
  }
  new MutationObserver(dress).observe(panel, {childList: true});
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.querySelector(".cn-close")) {
      event.preventDefault();
      shut();
    }
  });
})();
