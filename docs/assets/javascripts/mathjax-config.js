// MathJax 3, vendored in assets/vendor/mathjax (no CDN). Equations are
// numbered per chapter, (3.1), (3.2), …, from <meta name="book-chapter">
// (the PDF sets window.bookChapter per chapter instead), and each
// labelled equation gets its label as its id, so "#eq:sgd-update" links
// to it. No instant navigation: MathJax typesets once on page load.
window.MathJax = {
  loader: { load: ["[tex]/tagformat"] },
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "ams",
    packages: { "[+]": ["tagformat"] },
    tagformat: {
      number: (n) => {
        const meta = document.querySelector('meta[name="book-chapter"]');
        const chapter = window.bookChapter || (meta && meta.content);
        return chapter ? chapter + "." + n : String(n);
      },
      id: (id) => id.replace(/\s/g, "_"),
    },
  },
  options: {
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex",
  },
};
