// The triage import's file picker in the page's language: the browser's own file box speaks the browser's
// language, so it is hidden behind a button of the page; the chosen file's name is shown as text.
(function () {
  "use strict";
  var input = document.getElementById("import-file");
  var shown = document.getElementById("import-name");
  if (!input || !shown) { return; }
  input.addEventListener("change", function () {
    shown.textContent = input.files.length ? input.files[0].name : shown.dataset.none;
  });
})();
