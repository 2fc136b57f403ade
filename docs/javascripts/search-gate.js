// Search loaded when used: the page does not fetch the search index until the reader opens search.
// Material's bundle requests search/search_index.json with XMLHttpRequest as soon as a page loads, for
// every reader, searching or not (about 250 KB gzipped, growing with every page). This script, loaded in
// <head> before the bundle, holds that one request back until the reader focuses or clicks the search
// field, presses one of Material's search shortcuts (f, s, /), or arrives with a ?q= search link; the
// request then goes out as Material made it, and search works as before. Material has no setting for
// this, hence the shim; it touches no other request. The offline edition reads its index from disk
// (search/search_index.js, a script), which costs no transfer and is left alone.
(() => {
  "use strict";
  const INDEX = /\/search\/search_index\.json$/;
  const held = [];
  let released = false;
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.handbookSearchIndex = INDEX.test(new URL(String(url), document.baseURI).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.handbookSearchIndex && !released) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };
  const release = () => {
    if (released) return;
    released = true;
    for (const request of held.splice(0)) request();
  };
  const inSearch = (target) => target instanceof Element && target.closest(".md-search, label[for='__search']");
  const typing = (target) =>
    target instanceof Element && target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])");
  document.addEventListener("focusin", (event) => inSearch(event.target) && release(), true);
  document.addEventListener("pointerdown", (event) => inSearch(event.target) && release(), true);
  document.addEventListener("click", (event) => inSearch(event.target) && release(), true);
  document.addEventListener("change", (event) => event.target?.id === "__search" && release(), true);
  document.addEventListener(
    "keydown",
    (event) => {
      if (["f", "s", "/"].includes(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
        release();
      }
    },
    true,
  );
  if (new URLSearchParams(location.search).has("q")) release(); // a shared search link opens search at once
})();
