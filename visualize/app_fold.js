// govties view, part 3: folding. In a neighbourhood with decisions, a checkbox shows the decisions an issuer made
// for one beneficiary as one weighted edge (and unfolds them again); the layout settles anew each time.
(function () {
  "use strict";
  var G = window.govties, data = G.data;
  if (!data.fold) { return; }
  var box = document.getElementById("fold-toggle");
  var label = document.createElement("label");
  var input = document.createElement("input");
  input.type = "checkbox";
  input.id = "fold";
  input.checked = data.fold.on;
  label.appendChild(input);
  label.appendChild(document.createTextNode(" " + data.ui.fold));
  box.appendChild(label);

  function apply(on) {
    G.nodes.update(data.fold.decisions.map(function (id) { return { id: id, hidden: on, physics: !on }; }));
    G.edges.update(data.fold.plain.map(function (id) { return { id: id, hidden: on }; })
      .concat(data.fold.folded.map(function (id) { return { id: id, hidden: !on }; })));
    document.body.dataset.folded = on ? "1" : "0";
    G.restabilize();
  }
  document.body.dataset.folded = data.fold.on ? "1" : "0";
  input.addEventListener("change", function () { apply(input.checked); });
})();
