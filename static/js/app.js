// Site-wide behaviour without inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Warn five minutes before the idle session expires, so that nobody loses what they typed.
  function scheduleSessionWarning() {
    var age = parseInt(document.body.dataset.sessionAge || "", 10);
    if (!age || !document.body.dataset.authenticated) return;
    var lead = Math.min(300, Math.floor(age / 2));
    window.clearTimeout(window.__sessionTimer);
    window.__sessionTimer = window.setTimeout(function () {
      if (document.getElementById("session-expiry-warning")) return;
      var box = document.createElement("div");
      box.id = "session-expiry-warning";
      box.className = "alert alert-warning position-fixed bottom-0 end-0 m-3 shadow";
      box.setAttribute("role", "alert");
      box.textContent = "登录将在 " + Math.round(lead / 60) + " 分钟后因长时间未操作而过期，请及时保存。保存或刷新页面即可延长登录。";
      document.body.appendChild(box);
    }, (age - lead) * 1000);
  }

  document.addEventListener("DOMContentLoaded", scheduleSessionWarning);
  // Any htmx request also renews the session on the server (SESSION_SAVE_EVERY_REQUEST): restart the timer.
  document.addEventListener("htmx:afterRequest", function () {
    var box = document.getElementById("session-expiry-warning");
    if (box) box.remove();
    scheduleSessionWarning();
  });
})();
