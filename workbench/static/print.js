// The sheet's print button (the browser's "save as PDF" gives the document; print.css lays it out).
(function () {
  "use strict";
  var button = document.getElementById("print");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
