// gigmarket's own script: progressive enhancement only. Every page works without it.
"use strict";

// "离我近 → 我的位置": ask the browser where we are, then search around it. When the browser
// will not say, fall back to choosing a county.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-geolocate]") || select.value !== "me") {
    return;
  }
  var form = select.form;
  if (!navigator.geolocation) {
    select.value = "";
    return;
  }
  navigator.geolocation.getCurrentPosition(
    function (pos) {
      form.elements.lon.value = pos.coords.longitude.toFixed(6);
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.requestSubmit();
    },
    function () {
      select.value = "";
      var note = document.createElement("p");
      note.className = "field-error";
      note.setAttribute("role", "alert");
      note.textContent = "未能取得您的位置,请选择所在区县";
      select.insertAdjacentElement("afterend", note);
    },
    { timeout: 8000, maximumAge: 600000 }
  );
});

// A page that needs its own scripts (the city dashboard's charts) marks them data-page-script.
// A full page load runs them; after htmx swaps such a page in (hx-boost) they have not run:
// load each once, in order.
var pageScripts = {};
function pageScriptSources() {
  var found = document.querySelectorAll("main script[data-page-script]");
  return Array.prototype.map.call(found, function (s) { return s.getAttribute("src"); });
}
document.addEventListener("DOMContentLoaded", function () {
  pageScriptSources().forEach(function (src) { pageScripts[src] = true; });
});
document.addEventListener("htmx:afterSettle", function () {
  pageScriptSources().forEach(function (src) {
    if (pageScripts[src]) {
      return;
    }
    pageScripts[src] = true;
    var s = document.createElement("script");
    s.src = src;
    s.async = false;
    document.head.appendChild(s);
  });
});
