// MathJax 3, vendored in assets/vendor/mathjax (no CDN). Equation
// numbers are set at build time as \tag{3.1} (scripts/equations.py);
// each labelled equation gets its label as its id, so "#eq:sgd-update"
// links to it. No instant navigation: MathJax typesets once per load.
window.MathJax = {
  loader: { load: ["[tex]/tagformat"] },
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "ams",
    packages: { "[+]": ["tagformat"] },
    tagformat: { id: (id) => id.replace(/\s/g, "_") },
  },
  options: {
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex",
  },
};
