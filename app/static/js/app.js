// Small behaviours that htmx attributes and Bootstrap's data attributes do not cover
// (CSP forbids inline scripts):
// - [data-dialog-open="id"] opens a <dialog>; [data-dialog-close] closes its dialog.
// - form[data-confirm] asks before submitting.
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

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      ev.preventDefault();
      ev.stopPropagation();
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
      window.flatpickr(el, {
        locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.vn) || "default",
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true,
        // Inside the field's own box: no page-level positioning (nothing for CSP to block).
        static: false,
        ariaDateFormat: "d/m/Y"
      });
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
  // What was typed last is kept on the field; flatpickr may rewrite it on Tab, Enter or blur.
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    // flatpickr dispatches its own (untrusted) input event after rewriting the value.
    if (el && el._flatpickr && ev.isTrusted) { el.setAttribute("data-typed", el.value); }
  }, true);
  function keepTyped(ev) {
    var el = ev.target;
    if (!el || !el._flatpickr || !el.hasAttribute("data-typed")) { return; }
    var typed = el.getAttribute("data-typed");
    window.setTimeout(function () {
      if (typed && el.value !== typed && !realDate(typed)) { el.value = typed; }
    }, 0);
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
})();
