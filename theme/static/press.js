// Progressive enhancement: a button that copies the official sharing caption.
// The caption is visible and selectable without it.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "✓ " + label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
}());
