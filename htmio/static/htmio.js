// htmio's only script: what HTML and htmx cannot do on their own.
// Toast timers, scroll commands, and telling the server when the page is hidden or left,
// so a paused stream (hidden tab) is not mistaken for a closed page.
(function () {
  "use strict";
  var body = document.body;
  var base = body.dataset.htmioBase;
  var token = body.dataset.htmioToken;

  function beacon(state) {
    if (!base || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("_token", token);
    data.append("state", state);
    navigator.sendBeacon(base + "/presence", data);
  }
  document.addEventListener("visibilitychange", function () {
    beacon(document.hidden ? "hidden" : "visible");
  });
  window.addEventListener("pagehide", function () { beacon("left"); });

  function startToast(el) {
    if (el.dataset.htmioStarted) return;
    el.dataset.htmioStarted = "1";
    var seconds = parseFloat(el.dataset.duration || "0");
    if (seconds > 0) setTimeout(function () { el.remove(); }, seconds * 1000);
  }

  function runCommand(el) {
    var target = document.getElementById(el.dataset.target || "");
    if (el.dataset.htmioCommand === "scroll" && target) {
      var where = { top: "start", middle: "center", bottom: "end" }[el.dataset.position] || "start";
      target.scrollIntoView({ block: where, behavior: "smooth" });
    }
    el.remove();
  }

  function scan() {
    document.querySelectorAll("#htmio-toasts .htmio-toast").forEach(startToast);
    document.querySelectorAll("#htmio-commands [data-htmio-command]").forEach(runCommand);
  }
  new MutationObserver(scan).observe(body, { childList: true, subtree: true });
  scan();

  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-htmio-toast-close]");
    if (close) {
      var toast = close.closest(".htmio-toast");
      if (toast) setTimeout(function () { toast.remove(); }, 0);
    }
  });
  // outputs with .onclick() are reachable by keyboard: Enter or Space clicks them
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if ((event.key === "Enter" || event.key === " ") && el.hasAttribute && el.hasAttribute("data-htmio-clickable")) {
      event.preventDefault();
      el.click();
    }
  });
})();
