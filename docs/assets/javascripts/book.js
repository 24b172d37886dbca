// Keep the #anchor when switching language: heading ids are identical in
// both languages, so the reader lands on the same section.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[hreflang]");
  if (link && location.hash && !link.hash) {
    link.hash = location.hash;
  }
});
