// The plan form: offer only the chosen segment's checkpoints, and fill each checked
// checkpoint's window from its daily windows on the planned day (the one that overlaps the
// patrol, else the first) when the planner has not typed one. The server applies the same
// default when a window is left empty, so this is a convenience, not a rule.
(function () {
  "use strict";
  var form = document.getElementById("plan-form");
  if (!form) { return; }
  var segment = document.getElementById("plan-segment");
  var start = form.querySelector('[name="planned_start"]');
  var end = form.querySelector('[name="planned_end"]');
  var rows = Array.prototype.slice.call(form.querySelectorAll(".plan-checkpoint"));

  var filter = function () {
    var chosen = segment ? segment.value : "";
    rows.forEach(function (row) {
      var show = !chosen || !row.dataset.segment || row.dataset.segment === chosen;
      row.hidden = !show;
      if (!show) { row.querySelector('input[type="checkbox"]').checked = false; }
    });
  };

  var fill = function (row) {
    var box = row.querySelector('input[type="checkbox"]');
    var from = row.querySelector('input[name^="window_start_"]');
    var to = row.querySelector('input[name^="window_end_"]');
    if (!box.checked || !start.value || from.value || to.value) { return; }
    var windows = [];
    try { windows = JSON.parse(row.dataset.windows || "[]"); } catch (e) { windows = []; }
    if (!windows.length) { return; }
    var day = start.value.slice(0, 10);
    var begin = start.value.slice(11, 16);
    var finish = end.value && end.value.slice(0, 10) === day ? end.value.slice(11, 16) : "23:59";
    var pick = windows.filter(function (w) { return w[0] <= finish && w[1] >= begin; })[0] || windows[0];
    from.value = day + "T" + pick[0];
    to.value = day + "T" + pick[1];
  };

  if (segment) { segment.addEventListener("change", filter); }
  rows.forEach(function (row) {
    row.querySelector('input[type="checkbox"]').addEventListener("change", function () { fill(row); });
  });
  [start, end].forEach(function (input) {
    if (input) { input.addEventListener("change", function () { rows.forEach(fill); }); }
  });
  filter();
})();
