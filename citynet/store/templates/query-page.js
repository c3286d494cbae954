// The query page of `citynet serve`: YASGUI on this server's /query, the named queries in a menu.
// Nothing may leave the server: the autocompleters that ask Linked Open Vocabularies (class,
// property) are off, prefixes come from YASGUI's bundled list, no tab is kept across visits.
"use strict";
(function () {
  const named = JSON.parse(document.getElementById("named-queries").textContent);
  const endpoint = new URL("query", document.baseURI).href;
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
  });
  const menu = document.getElementById("named-query");
  menu.addEventListener("change", () => {
    const query = named.find((item) => item.name === menu.value);
    if (query) {
      yasgui.addTab(true, { name: query.name, yasqe: { value: query.text }, requestConfig: { endpoint: endpoint } });
    }
    menu.value = "";
  });
  window.citynetQuery = { yasgui: yasgui, ready: true };
})();
