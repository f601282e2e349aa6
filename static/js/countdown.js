// Countdown blocks: the page shows the end date without JavaScript; this makes it
// tick. Loaded by each countdown block, so it runs once however often it is included.
(function () {
  if (window.storefrontCountdown) return;
  window.storefrontCountdown = true;

  function pad(n) { return String(n).padStart(2, "0"); }

  function render(box, clock, endsAt) {
    var left = Math.max(0, Math.floor((endsAt - Date.now()) / 1000));
    if (left === 0) {
      var ended = document.createElement("p");
      ended.className = "block-countdown__ended";
      ended.textContent = box.dataset.endedText || "";
      clock.replaceWith(ended);
      var until = box.querySelector(".block-countdown__until");
      if (until) until.remove();
      return false;
    }
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    clock.textContent = (days ? days + "d " : "") + pad(Math.floor(rest / 3600)) + "h " +
      pad(Math.floor((rest % 3600) / 60)) + "m " + pad(rest % 60) + "s";
    clock.hidden = false;
    return true;
  }

  function start() {
    document.querySelectorAll("[data-countdown]").forEach(function (box) {
      var clock = box.querySelector("[data-countdown-clock]");
      var endsAt = Date.parse(box.dataset.endsAt);
      if (!clock || isNaN(endsAt)) return;
      if (!render(box, clock, endsAt)) return;
      var timer = setInterval(function () {
        if (!render(box, clock, endsAt)) clearInterval(timer);
      }, 1000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
