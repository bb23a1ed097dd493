// The queue's bulk form (tickets/bulk): "select all on this page", the count of selected
// tickets, and only the fields the chosen action needs. Without JS every field shows.
(() => {
  const boxes = () => document.querySelectorAll("input[name=ticket][form=bulk-link]");
  const refresh = () => {
    const count = document.getElementById("bulk-selected-count");
    const n = [...boxes()].filter((b) => b.checked).length;
    if (count) count.textContent = n ? `(${n} selected)` : "";
    const kind = document.getElementById("bulk-kind");
    if (!kind) return;
    document.querySelectorAll("#bulk-link [data-for]").forEach((el) => {
      el.hidden = !el.dataset.for.split(" ").includes(kind.value);
    });
  };
  document.addEventListener("change", (event) => {
    if (event.target.id === "select-all") {
      boxes().forEach((b) => { b.checked = event.target.checked; });
    }
    if (event.target.matches("input[name=ticket], #select-all, #bulk-kind")) refresh();
  });
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
})();
