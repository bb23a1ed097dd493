// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:responseError", (event) => {
  const flash = document.getElementById("flash");
  if (flash && !event.detail.xhr.responseText) {
    flash.innerHTML = '<p class="flash flash-error">The server could not complete that request. Please retry.</p>';
  }
});
document.addEventListener("htmx:sendError", () => {
  const flash = document.getElementById("flash");
  if (flash) flash.innerHTML = '<p class="flash flash-error">Network error: your change was not sent.</p>';
});

// Toasts in #flash: a click on × dismisses one; confirmations leave by themselves after a
// while, errors stay until dismissed.
function settleToasts(root) {
  root.querySelectorAll("#flash .flash-success, #flash .flash-info").forEach((toast) => {
    if (toast.dataset.timer) return;
    toast.dataset.timer = "1";
    setTimeout(() => toast.remove(), 8000);
  });
}
document.addEventListener("click", (event) => {
  const close = event.target.closest(".flash-close");
  if (close) close.closest(".flash").remove();
});
document.addEventListener("DOMContentLoaded", () => settleToasts(document));
document.addEventListener("htmx:oobAfterSwap", () => settleToasts(document));

// Filter forms that apply as you type (data-live-filters): the search box already sent its
// request while typing, so its "change" on leaving the box must not send the same one again.
document.addEventListener(
  "change",
  (event) => {
    if (event.target.matches("form[data-live-filters] input[type=search]")) {
      event.stopPropagation();
    }
  },
  true,
);

// The main menu on narrow screens: #menu-toggle folds #topbar-menu open and shut (CSS hides the
// button and shows the menu on wide screens, and shows the menu when scripts are off).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("#menu-toggle");
  if (!toggle) return;
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  toggle.closest(".topbar").classList.toggle("menu-open", open);
});
document.addEventListener("keydown", (event) => {
  const toggle = document.getElementById("menu-toggle");
  if (event.key !== "Escape" || !toggle || toggle.getAttribute("aria-expanded") !== "true") return;
  toggle.setAttribute("aria-expanded", "false");
  toggle.closest(".topbar").classList.remove("menu-open");
  toggle.focus();
});

// The escalation form: "Goes to: …" follows the chosen higher-tier team (CSS shows the line
// and the drop-down only for the next-tier target; without scripts the line names the team
// chosen when the page was drawn).
document.addEventListener("change", (event) => {
  const select = event.target.closest("#escalate-form select[name=to_team]");
  const line = document.getElementById("goes-to-team");
  if (!select || !line) return;
  line.textContent = select.selectedOptions[0] ? select.selectedOptions[0].text : "";
});
