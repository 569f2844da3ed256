// Meldroute's only script: move keyboard and screen-reader focus to the error summary when a form
// comes back with errors (also after an htmx-boosted swap). Pages work without it.
(function () {
  function focusErrorSummary() {
    var summary = document.querySelector(".mr-error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("htmx:afterSettle", focusErrorSummary);
})();
