// Material wraps each wide table in a box that scrolls sideways: make the box reachable with
// the keyboard, so that it can be scrolled without a mouse (axe-core: scrollable-region-focusable).
// Material wraps the tables on each page change before this later subscriber runs.
document$.subscribe(() => {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    box.tabIndex = 0;
  }
});
