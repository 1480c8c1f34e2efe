// Filling forms (issue 5): unsaved-changes warning, "why this score" popovers, live-preview status, focus after
// row operations, and adding line items to the simple formsets. No computation here: scores and checks come from
// the server (htmx), so there is no second implementation in JavaScript. No inline script: the CSP forbids it.
(function () {
  "use strict";

  var dirty = false;

  function guardedForm(el) {
    return el && el.closest ? el.closest("form[data-dirty-guard]") : null;
  }

  document.addEventListener("input", function (event) {
    if (guardedForm(event.target)) { dirty = true; }
  });
  document.addEventListener("change", function (event) {
    if (guardedForm(event.target)) { dirty = true; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-dirty-guard]")) { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return undefined; }
    event.preventDefault();
    event.returnValue = "您有尚未保存的修改，离开此页面将丢失这些修改。";
    return event.returnValue;
  });

  function initPopovers(root) {
    if (!window.bootstrap || !window.bootstrap.Popover) { return; }
    var nodes = (root || document).querySelectorAll('[data-bs-toggle="popover"]');
    nodes.forEach(function (node) {
      if (!window.bootstrap.Popover.getInstance(node)) {
        new window.bootstrap.Popover(node, { customClass: "why-popover", container: "body" });
      }
    });
  }

  function setStatus(text, cls) {
    var status = document.getElementById("live-status");
    if (status) {
      status.textContent = text;
      status.className = "small ms-auto live-status " + (cls || "");
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  document.addEventListener("DOMContentLoaded", function () { initPopovers(document); });
  document.addEventListener("htmx:load", function (event) { initPopovers(event.target); });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (guardedForm(event.detail.elt) || (event.detail.elt && event.detail.elt.id === "part-form")) {
      setStatus("正在计算得分与校验…", "text-muted");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!(guardedForm(event.detail.elt) || (event.detail.elt && event.detail.elt.id === "part-form"))) { return; }
    if (event.detail.successful) {
      var now = new Date();
      setStatus("得分与校验已按当前输入更新（" + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" +
                pad(now.getSeconds()) + "，尚未保存）", "text-success");
    } else if (event.detail.failed) {
      var code = event.detail.xhr ? event.detail.xhr.status : 0;
      setStatus(code === 403 ? "无法计算：没有修改权限或报告已锁定" : "暂时无法计算（网络或服务器问题），输入内容仍在页面上，可继续填写并保存",
                "text-danger");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    setStatus("网络连接中断：输入内容仍在页面上，恢复后请点击保存", "text-danger");
  });

  // After a row was added, moved or deleted, the block is re-rendered: put the focus where the clerk works.
  document.addEventListener("htmx:afterSettle", function (event) {
    var block = event.target && event.target.id === "indicator-block" ? event.target : null;
    if (!block) { return; }
    dirty = true;
    var focusId = block.getAttribute("data-focus");
    var el = focusId ? document.getElementById(focusId) : null;
    if (el) { el.focus(); }
    initPopovers(block);
  });

  // Simple line-item formsets (专项行, 资金使用明细, 附件4–6 rows): clone the empty form from its <template>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-add-line]") : null;
    if (!button) { return; }
    var prefix = button.getAttribute("data-add-line");
    var template = document.getElementById(prefix + "-empty");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var body = document.getElementById(prefix + "-lines");
    if (!template || !total || !body) { return; }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    dirty = true;
    var first = body.lastElementChild && body.lastElementChild.querySelector("input:not([type=hidden]), textarea");
    if (first) { first.focus(); }
    if (window.htmx) { window.htmx.process(body.lastElementChild); }
  });
})();
