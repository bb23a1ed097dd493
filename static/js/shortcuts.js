// Keyboard shortcuts for the queue and the workspace (issue 15); "?" lists them.
// Plain JS, no build step. Keys are ignored while typing in a field (Escape leaves it).
(() => {
  const QUEUE_KEY = "csops-queue-order";
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|A|BUTTON)$/.test(el.tagName));
  const help = () => document.getElementById("shortcuts-help");
  const toggleHelp = () => {
    const dialog = help();
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  };

  // The queue remembers its order, so the workspace can go to the next or previous ticket.
  const rows = () => [...document.querySelectorAll("#queue-table tbody tr")];
  const rememberOrder = () => {
    const links = rows().map((r) => r.querySelector(".stack-title a")).filter(Boolean);
    if (links.length) sessionStorage.setItem(QUEUE_KEY, JSON.stringify(links.map((a) => a.getAttribute("href"))));
  };
  let current = -1;
  const mark = (i) => {
    const list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((r, n) => r.classList.toggle("kbd-current", n === current));
    list[current].scrollIntoView({ block: "nearest" });
  };

  const workspaceStep = (delta) => {
    const order = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || "[]");
    const here = order.indexOf(window.location.pathname);
    const next = here < 0 ? null : order[here + delta];
    if (next) window.location.assign(next);
  };
  const focusReply = (kind) => {
    const radio = document.querySelector(`#reply-form input[name=kind][value=${kind}]`);
    if (radio) radio.checked = true;
    const box = document.querySelector("#reply-form textarea[name=body]");
    if (box) box.focus();
  };
  const solve = () => {
    const select = document.querySelector("#props-form select[name=status]");
    if (!select) return;
    select.value = "solved";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const inQueue = !!document.getElementById("queue-table");
    const inWorkspace = !!document.getElementById("reply-form") || !!document.getElementById("ticket");
    const actions = {
      "?": toggleHelp,
      j: () => (inQueue ? mark(current + 1) : workspaceStep(1)),
      k: () => (inQueue ? mark(current - 1) : workspaceStep(-1)),
      o: () => { if (inQueue && current >= 0) rows()[current].querySelector(".stack-title a").click(); },
      Enter: () => { if (inQueue && current >= 0) rows()[current].querySelector(".stack-title a").click(); },
      x: () => {
        const box = inQueue && current >= 0 ? rows()[current].querySelector("input[name=ticket]") : null;
        if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
      },
      r: () => inWorkspace && focusReply("public"),
      n: () => inWorkspace && focusReply("note"),
      c: () => { const claim = document.getElementById("claim"); if (claim) claim.click(); },
      s: () => inWorkspace && solve(),
      u: () => { if (inWorkspace) window.location.assign("/tickets/"); },
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  document.addEventListener("DOMContentLoaded", rememberOrder);
  document.addEventListener("htmx:afterSettle", () => { current = -1; rememberOrder(); });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-shortcuts-close]")) help()?.close();
    if (event.target.closest("[data-shortcuts-open]")) toggleHelp();
  });
})();
