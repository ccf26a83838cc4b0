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
