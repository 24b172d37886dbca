// Switch language and keep the #anchor: heading ids are identical in both
// languages, so the reader lands on the same section. static-i18n already
// points each language link at the same page; Material's own handler
// would drop the hash, so this one (capture phase) navigates first.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.md-select__link[hreflang]");
  if (!link || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const target = new URL(link.href);
  target.hash = location.hash;
  location.assign(target.href);
}, true);
