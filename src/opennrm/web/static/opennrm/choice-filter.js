/* OpenNRM: a search field for long lists of checkboxes (the citizenship of the case form).
   Without JavaScript the whole list shows and works. With it, the list shows the ticked
   entries, and typing adds those whose name or code contains the text: a few stops for the
   Tab key instead of two hundred. */
(function () {
  "use strict";
  function fold(text) {
    return text.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f'’ʼ]/g, "");
  }
  function setUp(list) {
    var box = list.previousElementSibling;
    if (!box || !box.classList.contains("choice-filter")) return;
    var input = box.querySelector("input");
    var count = box.querySelector(".help");
    var items = Array.prototype.slice.call(list.querySelectorAll(".choice"));
    var template = list.closest("fieldset").getAttribute("data-count-template") || "";
    box.hidden = false;
    function apply() {
      var wanted = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var text = fold(item.textContent + " " + (box ? box.value : ""));
        var show = (box && box.checked) || (wanted && text.indexOf(wanted) !== -1);
        item.hidden = !show;
        if (show) shown += 1;
      });
      list.hidden = shown === 0;
      count.textContent = wanted ? template.replace("%(shown)s", shown).replace("%(total)s", items.length) : "";
    }
    input.addEventListener("input", apply);
    apply();
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); /* Enter filters, it does not send the form */
        var first = items.filter(function (item) { return !item.hidden; })[0];
        if (first) first.querySelector("input").focus();
      }
    });
  }
  document.querySelectorAll("[data-filter-list]").forEach(setUp);
})();
