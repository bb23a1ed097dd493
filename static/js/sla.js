// Live SLA countdowns in the ticket workspace. Every element with data-sla-due (Unix seconds)
// shows the calendar time left; data-sla-now is the server's clock when rendered, so a skewed
// client clock does not change the figure. Runs once per page even when htmx re-renders the
// #ticket region (the elements are found again on every tick).
(function () {
  if (window.csopsSlaCountdown) return;
  window.csopsSlaCountdown = true;

  function format(seconds) {
    const past = seconds < 0;
    let rest = Math.abs(seconds);
    const days = Math.floor(rest / 86400); rest %= 86400;
    const hours = Math.floor(rest / 3600); rest %= 3600;
    const minutes = Math.floor(rest / 60);
    const secs = rest % 60;
    const pad = (n) => String(n).padStart(2, "0");
    let text;
    if (days) text = `${days} d ${hours} h ${pad(minutes)} min`;
    else if (hours) text = `${hours} h ${pad(minutes)} min`;
    else text = `${minutes} min ${pad(secs)} s`;
    return past ? `overdue by ${text}` : `${text} left`;
  }

  function tick() {
    const clientNow = Date.now() / 1000;
    document.querySelectorAll("[data-sla-due]").forEach((el) => {
      if (!el.dataset.slaOffset) {
        el.dataset.slaOffset = String(Number(el.dataset.slaNow) - clientNow);
      }
      const now = clientNow + Number(el.dataset.slaOffset);
      const left = Math.floor(Number(el.dataset.slaDue) - now);
      el.textContent = format(left);
      el.classList.toggle("sla-overdue", left < 0);
    });
  }

  tick();
  setInterval(tick, 1000);
})();
