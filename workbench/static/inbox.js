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

// Adding findings to a case needs some ticked: until one is, the button is off and the line says to tick some;
// then it says how many are (the server refuses an empty selection too, for a browser without scripts).
(function () {
  "use strict";
  var actions = document.querySelector(".selection-actions");
  var said = document.getElementById("selection-count");
  if (!actions || !said) { return; }
  var button = actions.querySelector("button[type=submit]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("td.pick input[type=checkbox]"));
  function update() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    button.disabled = n === 0;
    said.textContent = n ? said.dataset.some.replace("{n}", String(n)) : said.dataset.none;
  }
  // a title is a new case's: with an existing case chosen, its box is off (what it held would not be used)
  var chosen = actions.querySelector("select[name=case_id]"), title = actions.querySelector("input[name=title]");
  function titled() { if (chosen && title) { title.disabled = chosen.value !== ""; } }
  if (chosen) { chosen.addEventListener("change", titled); }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  window.addEventListener("pageshow", function () { update(); titled(); });
  titled();  // back to the page: the browser ticks the boxes again after this ran
  update();
})();
