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

// Multi-selects with chips and type-ahead: every <select multiple data-chips> becomes a box of
// removable chips with a list that filters as you type (Tom Select, static/vendor/tom-select/,
// loaded before this file). Without scripts the native <select multiple> still works, and the
// form still sends the <select>'s own values. Picking or removing a chip fires one "change" on
// the <select> (Tom Select's onChange), so a form that applies on change (hx-trigger="change")
// sends one request; the widget's own text box never reaches the form's listeners.
function enhanceChips(root) {
  if (typeof TomSelect === "undefined" || !root.querySelectorAll) return;
  root.querySelectorAll("select[multiple][data-chips]").forEach((select) => {
    if (select.tomselect) return;
    const chips = new TomSelect(select, {
      plugins: { remove_button: { title: "Remove" } },
      create: false,
      clearAfterSelect: true, // the typed words go once their chip is picked
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: select.dataset.placeholder || "Type to choose",
    });
    // The <select> is now only the form's store of values (out of sight, out of the tab
    // order): assistive technology meets the labelled combobox once, not a nameless twin.
    select.setAttribute("aria-hidden", "true");
    const stop = (event) => {
      if (event.target !== select) event.stopPropagation();
    };
    chips.wrapper.addEventListener("change", stop);
    chips.wrapper.addEventListener("input", stop);
  });
}
// A swap that redraws a form with chips (the workspace's properties after each change) gives
// the keyboard back to the same widget, so a second tag is one more keystroke away.
let chipsFocus = null;
document.addEventListener("htmx:beforeSwap", () => {
  const active = document.activeElement;
  chipsFocus = active && active.closest(".ts-wrapper") ? active.id : null;
});
document.addEventListener("DOMContentLoaded", () => enhanceChips(document));
document.addEventListener("htmx:load", (event) => {
  enhanceChips(event.detail.elt.parentNode || event.detail.elt);
  const again = chipsFocus && document.getElementById(chipsFocus);
  if (again && again !== document.activeElement) again.focus();
});
document.addEventListener("htmx:afterSettle", () => {
  chipsFocus = null;
});

// Filter panels (details.fold-narrow) start folded on phones, so the list is in view, unless
// the address carries a filter; on wide screens (or without scripts) they stay open, and
// widening the window opens them again.
const narrowScreen = window.matchMedia("(max-width: 760px)");
function foldFilterPanels() {
  const keys = [...new URLSearchParams(window.location.search).keys()];
  const filtered = keys.some((key) => !["view", "page", "sort"].includes(key));
  document.querySelectorAll("details.fold-narrow").forEach((panel) => {
    panel.open = !narrowScreen.matches || filtered;
  });
}
document.addEventListener("DOMContentLoaded", foldFilterPanels);
narrowScreen.addEventListener("change", foldFilterPanels);
