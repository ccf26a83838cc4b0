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
// - a submit button[data-confirm] asks too (a transition button inside an editable form).
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var ask = (ev.submitter && ev.submitter.getAttribute("data-confirm")) ||
    (form.matches && form.matches("form[data-confirm]") && form.getAttribute("data-confirm"));
  if (ask && !window.confirm(ask)) {
    ev.preventDefault();
    ev.stopPropagation();  // a boosted form's htmx handler must not send it either
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
// Session expiry mid-form. The server answers an htmx request whose login expired, or whose CSRF
// token no longer matches the session, with X-Session-Lost and nothing to swap (app/web.py):
// the form stays as typed. A lost token alone is renewed silently; a lost login opens
// dialog#relogin, which logs in over fetch; then every token on the page is renewed and the
// request is sent again.
(function () {
  var pending = null;  // the request to send again: {elt, verb, path}

  function setToken(token) {
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    document.querySelectorAll("input[name=csrf_token]").forEach(function (el) { el.value = token; });
  }

  function retry() {
    var p = pending;
    pending = null;
    if (!p) { return; }
    if (p.elt.tagName === "FORM") {
      // A form (also a boosted one) is submitted again the way the user did, with the same button.
      if (p.elt.requestSubmit) { p.elt.requestSubmit(p.elt.portalSubmitter || undefined); }
      else { p.elt.submit(); }
    } else {
      htmx.ajax(p.verb.toUpperCase(), p.path, { source: p.elt });
    }
  }

  function sessionState() {
    var dlg = document.getElementById("relogin");
    var url = dlg ? dlg.getAttribute("data-session-url") : "/session";
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) { return r.json(); });
  }

  document.addEventListener("submit", function (ev) {
    if (ev.target && ev.target.tagName === "FORM") { ev.target.portalSubmitter = ev.submitter || null; }
  }, true);

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var xhr = ev.detail.xhr;
    if (!xhr || !xhr.getResponseHeader("X-Session-Lost")) { return; }
    ev.detail.shouldSwap = false;
    ev.detail.isError = false;
    var cfg = ev.detail.requestConfig || {};
    var elt = cfg.elt || ev.detail.elt;
    if (elt && elt.closest && elt.closest("[data-no-relogin]")) { return; }  // background polls
    pending = { elt: elt, verb: cfg.verb || "post", path: cfg.path || xhr.responseURL };
    sessionState().then(function (s) {
      if (s.authenticated) {  // only the token was stale (e.g. a login in another tab)
        setToken(s.csrf_token);
        retry();
        return;
      }
      var dlg = document.getElementById("relogin");
      if (!dlg) { return; }
      document.getElementById("relogin-error").hidden = true;
      if (!dlg.open) { dlg.showModal(); }
      var pw = document.getElementById("relogin-password");
      pw.value = "";
      pw.focus();
    });
  });

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form || form.id !== "relogin-form") { return; }
    ev.preventDefault();
    var error = document.getElementById("relogin-error");
    var data = new FormData(form);
    sessionState().then(function (s) {
      data.set("csrf_token", s.csrf_token);  // the token of the session the login will replace
      return fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Relogin": "1", "X-CSRFToken": s.csrf_token }
      });
    }).then(function (r) {
      return r.json().catch(function () { return { authenticated: false }; });
    }).then(function (s) {
      if (!s.authenticated) {
        error.textContent = s.error || "Đăng nhập không thành công. Vui lòng thử lại.";
        error.hidden = false;
        return;
      }
      setToken(s.csrf_token);
      form.closest("dialog").close();
      retry();
    }).catch(function () {
      error.textContent = "Không kết nối được máy chủ. Nội dung vẫn được giữ; vui lòng thử lại.";
      error.hidden = false;
    });
  });
})();
