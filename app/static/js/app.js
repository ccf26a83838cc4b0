// Small behaviours that htmx attributes do not cover (CSP forbids inline scripts).
// - [data-dialog-open="id"] opens a <dialog>; [data-dialog-close] closes its dialog.
// - form[data-confirm] asks before submitting.
// - [data-insert-into="id"][data-insert-text="..."] appends the text as a new line of textarea #id.
document.addEventListener("click", function (ev) {
  var insert = ev.target.closest("[data-insert-into]");
  if (insert) {
    var area = document.getElementById(insert.getAttribute("data-insert-into"));
    if (area) {
      ev.preventDefault();
      area.value = (area.value && !/\n$/.test(area.value) ? area.value + "\n" : area.value) +
        insert.getAttribute("data-insert-text");
      area.focus();
    }
    return;
  }
  var opener = ev.target.closest("[data-dialog-open]");
  if (opener) {
    var dlg = document.getElementById(opener.getAttribute("data-dialog-open"));
    if (dlg && dlg.showModal) { ev.preventDefault(); dlg.showModal(); }
    return;
  }
  var closer = ev.target.closest("[data-dialog-close]");
  if (closer) {
    var d = closer.closest("dialog");
    if (d) { ev.preventDefault(); d.close(); }
  }
});
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
    ev.preventDefault();
  }
}, true);
// Close an open dialog after its htmx form succeeded.
document.addEventListener("htmx:afterRequest", function (ev) {
  var d = ev.target.closest && ev.target.closest("dialog");
  if (d && ev.detail.successful && d.open) { d.close(); }
});
// Live filters push their query string (hx-push-url). htmx keeps a snapshot of the page's
// HTML for Back, but what a person typed or chose lives in properties, not attributes, so a
// restored snapshot showed empty boxes over filtered rows. Write the values into the markup
// before the snapshot, and fill the filter forms from the URL whenever a page is restored.
function syncAttributes(root) {
  root.querySelectorAll("input, select, textarea").forEach(function (el) {
    if (el.type === "checkbox" || el.type === "radio") {
      el.toggleAttribute("checked", el.checked);
    } else if (el.tagName === "SELECT") {
      Array.prototype.forEach.call(el.options, function (o) { o.toggleAttribute("selected", o.selected); });
    } else if (el.tagName === "TEXTAREA") {
      el.textContent = el.value;
    } else if (el.type !== "file" && el.type !== "password") {
      el.setAttribute("value", el.value);
    }
  });
}
function fillFiltersFromUrl() {
  var params = new URLSearchParams(window.location.search);
  document.querySelectorAll("form[hx-push-url]").forEach(function (form) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "password" || el.type === "hidden") { return; }
      // A name absent from the URL keeps what the page rendered (the server's default).
      if (!params.has(el.name)) { return; }
      var values = params.getAll(el.name);
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        el.value = values[0];
      }
    });
  });
}
document.addEventListener("htmx:beforeHistorySave", function () {
  document.querySelectorAll("form[hx-push-url]").forEach(syncAttributes);
});
document.addEventListener("htmx:historyRestore", fillFiltersFromUrl);
window.addEventListener("pageshow", fillFiltersFromUrl);  // plain Back (bfcache) and first load
