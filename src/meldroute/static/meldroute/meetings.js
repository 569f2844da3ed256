// The chair's decision form on the agenda asks only for the fields the chosen decision needs (meetings.constants
// DECISION_FIELDS, in the form's data-decision-fields). Without this script every field shows and the server
// ignores the ones the decision does not need.
(function () {
  var ALL = ["refer_to", "owner_organisation", "action", "deadline", "shelter"];
  function fieldGroup(form, name) {
    var input = form.querySelector("[name$='-" + name + "']");
    if (!input) { return null; }
    return input.closest(".mr-field");
  }
  function update(form, table) {
    var checked = form.querySelector("input[type=radio][name$='-decision']:checked");
    var needed = checked ? (table[checked.value] || []) : [];
    ALL.forEach(function (name) {
      var group = fieldGroup(form, name);
      if (group) { group.hidden = !!checked && needed.indexOf(name) === -1; }
    });
  }
  function setUp() {
    document.querySelectorAll("form.mr-decision-form[data-decision-fields]").forEach(function (form) {
      if (form.getAttribute("data-decision-ready")) { return; }
      form.setAttribute("data-decision-ready", "1");
      var table;
      try { table = JSON.parse(form.getAttribute("data-decision-fields")); } catch (e) { return; }
      form.addEventListener("change", function () { update(form, table); });
      update(form, table);
    });
  }
  // Loaded with the page, or later by an htmx-boosted swap (then the DOM is already there).
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
  document.addEventListener("htmx:afterSettle", setUp);
})();
