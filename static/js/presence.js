// Collision (tickets.presence): the workspace's #presence region polls every few seconds;
// this adds whether the person is writing a reply, and says goodbye when the page closes.
(() => {
  let typingUntil = 0;
  let announced = false;
  document.addEventListener("input", (event) => {
    if (!event.target.closest("#reply-form")) return;
    const wasTyping = Date.now() < typingUntil;
    typingUntil = Date.now() + 5000;
    const region = document.getElementById("presence");
    if (region && !wasTyping && window.htmx) htmx.trigger(region, "typing");  // show it now
  });
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt.id !== "presence") return;
    event.detail.parameters.typing = Date.now() < typingUntil ? "1" : "0";
  });
  window.addEventListener("pagehide", () => {
    const region = document.getElementById("presence");
    if (!region || announced || !navigator.sendBeacon) return;
    announced = true;
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    const form = new FormData();
    form.append("csrfmiddlewaretoken", headers["X-CSRFToken"] || "");
    navigator.sendBeacon(region.dataset.leaveUrl, form);
  });
})();
