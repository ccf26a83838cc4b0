// Small behaviours that htmx attributes do not cover (CSP forbids inline scripts).
// - [data-dialog-open="id"] opens a <dialog>; [data-dialog-close] closes its dialog.
// - form[data-confirm] asks before submitting.
document.addEventListener("click", function (ev) {
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
// - a submit button[data-confirm] asks too (a transition button inside an editable form).
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var ask = (ev.submitter && ev.submitter.getAttribute("data-confirm")) ||
    (form.matches && form.matches("form[data-confirm]") && form.getAttribute("data-confirm"));
  if (ask && !window.confirm(ask)) {
    ev.preventDefault();
  }
}, true);
// Close an open dialog after its htmx form succeeded.
document.addEventListener("htmx:afterRequest", function (ev) {
  var d = ev.target.closest && ev.target.closest("dialog");
  if (d && ev.detail.successful && d.open) { d.close(); }
});
// A message about what the user just did ([data-focus-message], rendered where they acted) is
// brought into view and focused, so it is seen and read out instead of sitting off-screen.
function focusMessage(root) {
  var msg = (root || document).querySelector("[data-focus-message]");
  if (msg) {
    msg.focus({ preventScroll: true });
    msg.scrollIntoView({ block: "center" });
  }
}
document.addEventListener("htmx:afterSettle", function (ev) { focusMessage(ev.detail.target); });
document.addEventListener("DOMContentLoaded", function () { focusMessage(document); });
// A swap that refreshes a whole panel (e.g. the task body after "Lưu nháp" or "Trình") re-renders
// the other forms in it from the server: what was typed in them and not yet sent is put back.
var unsentTyped = null;
document.addEventListener("htmx:beforeSwap", function (ev) {
  unsentTyped = {};
  var target = ev.detail.target;
  var sending = ev.detail.requestConfig && ev.detail.requestConfig.elt;
  var sentForm = sending && (sending.form || (sending.closest && sending.closest("form")));
  if (!target || !target.querySelectorAll) { return; }
  target.querySelectorAll("textarea[id], input[type=text][id]").forEach(function (el) {
    if (el.form !== sentForm && el.value !== el.defaultValue) { unsentTyped[el.id] = el.value; }
  });
});
document.addEventListener("htmx:afterSwap", function () {
  var kept = unsentTyped;
  unsentTyped = null;
  if (!kept) { return; }
  Object.keys(kept).forEach(function (id) {
    var el = document.getElementById(id);
    if (el && el.value === el.defaultValue) { el.value = kept[id]; }
  });
});
