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
