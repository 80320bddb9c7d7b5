// The search page: Pagefind's interface over the index of this page's language.
// Pagefind picks the index and the interface language from <html lang>.
// Without JavaScript the page shows its <noscript> link to the archive instead.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") { return; }
  // The site may live under a sub-path: take the bundle and the site root from
  // the page's own relative links rather than assuming "/".
  var bundle = new URL(box.getAttribute("data-bundle"), document.baseURI).pathname;
  var root = new URL(box.getAttribute("data-root"), document.baseURI).pathname;
  // A large edition's index is split into shards, each a Pagefind bundle of its
  // own (press/pipeline/search.py): the first is this page's bundle, which lists
  // the others in press-shards.json; Pagefind merges them into one search.
  // Only bundles of this site are merged.
  function shardsOf(listing) {
    var bundles = listing && Array.isArray(listing.bundles) ? listing.bundles : [];
    var base = new URL(bundle, window.location.href);
    return bundles.map(function (path) {
      return new URL(path, base);
    }).filter(function (url) {
      return url.origin === window.location.origin && url.pathname.indexOf(bundle) === 0;
    }).map(function (url) {
      return { bundlePath: url.pathname, baseUrl: root };
    });
  }
  // The box's words in the page's language, from the press's catalog (search.html).
  var words;
  try { words = JSON.parse(box.getAttribute("data-words") || "{}"); } catch (error) { words = {}; }
  function start(shards) {
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: root,
      mergeIndex: shards,
      translations: words,
      showImages: false,
      showSubResults: false,
      autofocus: false,
      openFilters: [],
      // The standfirst is kept as metadata (for the page's own listing); the
      // result shows the date, the section and the type, not the standfirst again.
      processResult: function (result) {
        if (result.meta) { delete result.meta.standfirst; }
        return result;
      }
    });
    // /search/?q=words (the 404 page's search box) starts that search.
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }
  fetch(bundle + "press-shards.json", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(function () { return null; })
    .then(function (listing) { start(shardsOf(listing)); });
  // Pagefind labels its field with a title only; give it an accessible name,
  // in the interface's language, from the search form's own label.
  function label() {
    var input = box.querySelector("input[type=text], input[type=search]");
    if (!input) { return false; }
    var form = input.closest("form");
    var name = (form && form.getAttribute("aria-label")) || input.getAttribute("title");
    if (name && !input.hasAttribute("aria-label")) { input.setAttribute("aria-label", name); }
    return true;
  }
  if (!label()) {
    var observer = new MutationObserver(function () { if (label()) { observer.disconnect(); } });
    observer.observe(box, { childList: true, subtree: true });
  }
}());
