// Behaviour every page shares, kept out of the templates so that the Content-Security-Policy
// can forbid inline script (gongjian.core.csp).
// <select data-autosubmit> (or an input) submits its form when changed: the language switch,
// the year and edition choosers.
document.addEventListener("change", function (e) {
  var field = e.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

// <a data-print> prints the page.
document.addEventListener("click", function (e) {
  if (!e.target.closest("[data-print]")) return;
  e.preventDefault();
  window.print();
});
