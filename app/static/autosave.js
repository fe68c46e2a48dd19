// Autosave for the merged form: each change is PUT to the values API with the version the
// page last read; the page works without this script (plain POST).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var pending = {};
  var timer = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }

  function valueOf(box) {
    var inputs = box.querySelectorAll("input, select, textarea");
    var checks = box.querySelectorAll("input[type=checkbox]");
    if (checks.length) {
      return Array.prototype.filter.call(checks, function (c) { return c.checked; }).map(function (c) { return c.value; });
    }
    var radios = box.querySelectorAll("input[type=radio]");
    if (radios.length) {
      var chosen = box.querySelector("input[type=radio]:checked");
      return chosen ? chosen.value : "";
    }
    return inputs.length ? inputs[0].value : "";
  }

  function showErrors(errors) {
    form.querySelectorAll(".answer").forEach(function (box) {
      var old = box.querySelector(".error.autosave"); if (old) { old.remove(); }
      var message = errors[box.getAttribute("data-key")];
      if (message) {
        var p = document.createElement("p"); p.className = "error autosave"; p.textContent = message;
        box.appendChild(p);
      }
    });
  }

  function save() {
    var values = pending; pending = {};
    if (!Object.keys(values).length) { return; }
    status.textContent = "正在保存…";
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ submission_id: uuid(), version: parseInt(versionInput.value || "0", 10), values: values, submit: false })
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      if (result.code === 200) {
        versionInput.value = result.body.version;
        showErrors({});
        status.textContent = "已自动保存 " + new Date().toTimeString().slice(0, 5);
      } else if (result.code === 409 && result.body.conflicts) {
        status.textContent = "有数据已被他人修改，请刷新页面核对";
      } else if (result.code === 422) {
        showErrors(result.body.errors || {});
        status.textContent = "有数据未通过校验，未保存";
      } else {
        status.textContent = "自动保存失败，请点击“保存草稿”";
      }
    }).catch(function () { status.textContent = "网络异常，自动保存失败，请点击“保存草稿”"; });
  }

  form.addEventListener("change", function (event) {
    var box = event.target.closest(".answer");
    if (!box || box.classList.contains("locked")) { return; }
    var value = valueOf(box);
    if (value === "" || (Array.isArray(value) && !value.length)) { return; }
    pending[box.getAttribute("data-key")] = value;
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
})();
