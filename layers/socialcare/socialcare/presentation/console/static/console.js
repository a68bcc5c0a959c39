// Keeps the inbox current: asks again at most once every 15 s while the tab is visible,
// with the ETag of what it shows; a 304 changes nothing, a 200 replaces the list.
(function () {
  "use strict";
  var region = document.querySelector("[data-refresh]");
  if (!region || !window.fetch) { return; }
  var every = Math.max(15000, Number(region.getAttribute("data-refresh")) * 1000 || 15000);
  var etag = region.getAttribute("data-etag") || "";
  function refresh() {
    if (document.visibilityState !== "visible") { return; }
    fetch(window.location.href, {
      headers: { "If-None-Match": etag },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200) { return null; }
      etag = response.headers.get("ETag") || etag;
      return response.text();
    }).then(function (html) {
      if (!html) { return; }
      var parsed = new DOMParser().parseFromString(html, "text/html");
      var fresh = parsed.querySelector("[data-refresh]");
      if (fresh) { region.innerHTML = fresh.innerHTML; }
    }).catch(function () { /* the next tick tries again */ });
  }
  window.setInterval(refresh, every);
})();
