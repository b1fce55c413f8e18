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

// A page part that needs its own scripts (the city dashboard's charts) names them in
// data-scripts. Load each once, in order, whether the page was loaded or swapped in by htmx
// (which runs no script of the content it swaps).
function loadPartScripts() {
  var parts = document.querySelectorAll("[data-scripts]");
  for (var i = 0; i < parts.length; i++) {
    parts[i].getAttribute("data-scripts").split(" ").forEach(function (src) {
      if (!src || document.querySelector("script[src='" + src + "']")) {
        return;
      }
      var s = document.createElement("script");
      s.src = src;
      s.async = false;
      document.head.appendChild(s);
    });
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", loadPartScripts);
} else {
  loadPartScripts();
}
document.addEventListener("htmx:afterSettle", loadPartScripts);
