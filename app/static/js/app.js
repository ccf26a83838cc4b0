// Small behaviours that htmx attributes and Bootstrap's data attributes do not cover
// (CSP forbids inline scripts):
// - [data-dialog-open="id"] opens a <dialog>; [data-dialog-close] closes its dialog.
// - form[data-confirm] (or its submit button[data-confirm]) asks before submitting.
// - [data-insert-into="id"][data-insert-text="..."] appends the text as a new line of textarea #id.
// - input[data-datepicker]: flatpickr with the Vietnamese locale, typed text kept as typed.
// - .js-toast messages in an htmx answer are shown as toasts.
// - after an htmx swap, focus goes to the new content so keyboard users keep their place.
(function () {
  "use strict";

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
      if (dlg && dlg.showModal) {
        ev.preventDefault();
        dlg.showModal();
        var first = dlg.querySelector("textarea, input:not([type=hidden]), select");
        if (first) { first.focus(); }
      }
      return;
    }
    if (ev.target.closest("[data-print]")) { window.print(); return; }
    var closer = ev.target.closest("[data-dialog-close]");
    if (closer) {
      var d = closer.closest("dialog");
      if (d) { ev.preventDefault(); d.close(); }
    }
  });

  // A submit button[data-confirm] asks too (a transition button inside an editable form).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var ask = (ev.submitter && ev.submitter.getAttribute("data-confirm")) ||
      (form.matches && form.matches("form[data-confirm]") && form.getAttribute("data-confirm"));
    if (ask && !window.confirm(ask)) {
      ev.preventDefault();
      ev.stopPropagation();  // a boosted form's htmx handler must not send it either
    }
  }, true);

  // A form sent by htmx cannot be sent twice while the first answer is on its way.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var form = ev.target.closest && ev.target.closest("form");
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]:not([disabled])"), function (b) {
      b.disabled = true;
      b.setAttribute("data-busy", "");
    });
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.target.closest && ev.target.closest("form");
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("button[data-busy]"), function (b) {
      b.disabled = false;
      b.removeAttribute("data-busy");
    });
  });

  // Close an open dialog after its htmx form succeeded.
  document.addEventListener("htmx:afterRequest", function (ev) {
    var d = ev.target.closest && ev.target.closest("dialog");
    if (d && ev.detail.successful && d.open) { d.close(); }
  });

  // ---- date fields ----
  function datePickers(root) {
    if (!window.flatpickr) { return; }
    var inputs = (root || document).querySelectorAll("input[data-datepicker]");
    Array.prototype.forEach.call(inputs, function (el) {
      if (el._flatpickr) { return; }
      // A page answering a refused form carries the text as typed: flatpickr must not roll it.
      if (el.value && !realDate(el.value)) { el.setAttribute("data-typed", el.value); }
      window.flatpickr(el, {
        locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.vn) || "default",
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true,
        // Inside the field's own box: no page-level positioning (nothing for CSP to block).
        static: false,
        ariaDateFormat: "d/m/Y",
        // Every rewrite of the field by flatpickr (blur, Tab, Enter, a click elsewhere while
        // open) ends here: a typed impossible date (31/02) goes back as typed, not rolled over.
        onValueUpdate: function (dates, text, fp) { restoreTyped(fp.input); }
      });
      restoreTyped(el);
    });
  }
  // flatpickr re-parses the field on blur: it empties text that is not a date and rolls an
  // impossible one over (31/02 -> 03/03). Only a real dd/mm/yyyy date may be rewritten (to its
  // padded form); anything else goes back as typed, for the server to explain, nothing lost.
  function realDate(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
    if (!m) { return false; }
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getFullYear() === +m[3] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[1];
  }
  function restoreTyped(el) {
    var typed = el.getAttribute("data-typed");
    if (typed && el.value !== typed && !realDate(typed)) { el.value = typed; }
  }
  // A day picked in the calendar (mouse or keyboard) replaces what was typed.
  function pickedInCalendar(ev) {
    var cal = ev.target && ev.target.closest && ev.target.closest(".flatpickr-calendar");
    if (!cal) { return; }
    document.querySelectorAll("input[data-typed]").forEach(function (el) {
      if (el._flatpickr && el._flatpickr.calendarContainer === cal) { el.removeAttribute("data-typed"); }
    });
  }
  document.addEventListener("mousedown", pickedInCalendar, true);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" || ev.key === " ") { pickedInCalendar(ev); }
  }, true);
  // What was typed last is kept on the field; flatpickr may rewrite it on Tab, Enter or blur.
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    // flatpickr dispatches its own (untrusted) input event after rewriting the value.
    if (el && el._flatpickr && ev.isTrusted) { el.setAttribute("data-typed", el.value); }
  }, true);
  function keepTyped(ev) {
    var el = ev.target;
    if (!el || !el._flatpickr || !el.hasAttribute("data-typed")) { return; }
    window.setTimeout(function () { restoreTyped(el); }, 0);
  }
  document.addEventListener("blur", keepTyped, true);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Tab" || ev.key === "Enter") { keepTyped(ev); }
  }, true);

  // ---- toasts ----
  function showToasts(root) {
    var container = document.getElementById("toasts");
    if (!container || !window.bootstrap) { return; }
    var msgs = (root || document).querySelectorAll(".js-toast");
    Array.prototype.forEach.call(msgs, function (msg) {
      msg.classList.remove("js-toast");
      var toast = document.createElement("div");
      toast.className = "toast align-items-center border-0 " +
        (msg.classList.contains("alert-info") ? "text-bg-primary" : "text-bg-success");
      toast.setAttribute("role", "status");
      var row = document.createElement("div");
      row.className = "d-flex";
      var body = document.createElement("div");
      body.className = "toast-body";
      body.textContent = msg.textContent.trim();
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close btn-close-white me-2 m-auto";
      close.setAttribute("data-bs-dismiss", "toast");
      close.setAttribute("aria-label", "Đóng");
      row.appendChild(body);
      row.appendChild(close);
      toast.appendChild(row);
      container.appendChild(toast);
      toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
      msg.remove();  // said once, in the toast
      new window.bootstrap.Toast(toast, { delay: 5000 }).show();
    });
  }

  document.addEventListener("htmx:afterSwap", function (ev) {
    var target = ev.detail.target;
    datePickers(target);
    showToasts(target);
    // A whole work area replaced (e.g. the task's body after an action): move focus to it,
    // not to the <body>, so Tab continues from the new content.
    if (target && target.id && target.id !== "bell" && target.matches("[data-focus-after-swap]")) {
      var heading = target.querySelector("[data-focus-here]") || target;
      if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
      heading.focus({ preventScroll: false });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    datePickers(document);
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
})();
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
// A dialog the server rendered open (a link such as "?act=issue" from the home page) becomes
// a real modal dialog: focus is kept inside it and Esc closes it, as for one opened by a click.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("dialog.app-dialog[open]").forEach(function (d) {
    if (!d.showModal) { return; }
    d.close();
    d.showModal();
    var first = d.querySelector("textarea, input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
});
