// Bastion offline kit: what a field form needs with no network. Client UUIDs, the phone's
// time with its offset, a position fix, a photo kept as a Blob, and forms built from typed
// attributes ({key, type: numeric|text|list|multi_list|boolean|date, required, min, max,
// regex, options: [{code, zh, en}], zh, en}) with their values checked before queueing.
(function (global) {
  "use strict";

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) { return global.crypto.randomUUID(); }
    var b = global.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ISO 8601 with the phone's offset, e.g. 2026-12-07T09:45:00.000+08:00 (kept beside the
  // server's own time).
  function deviceTime(date) {
    date = date || new Date();
    var pad = function (n, w) { return String(Math.abs(n)).padStart(w || 2, "0"); };
    var off = -date.getTimezoneOffset();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      "." + pad(date.getMilliseconds(), 3) + (off >= 0 ? "+" : "-") + pad(Math.floor(Math.abs(off) / 60)) +
      ":" + pad(Math.abs(off) % 60);
  }

  // One fix, or null when there is none within the time allowed (never rejects).
  function position(options) {
    options = options || {};
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        resolve(fix(p));
      }, function () { resolve(null); }, {
        enableHighAccuracy: true, timeout: options.timeout || 15000,
        maximumAge: options.maximumAge === undefined ? 10000 : options.maximumAge
      });
    });
  }

  function fix(p) {
    return { lon: p.coords.longitude, lat: p.coords.latitude,
             accuracy_m: p.coords.accuracy, at: p.timestamp || Date.now() };
  }

  // The file chosen in a file input as {blob, filename, type}, or null. The Blob goes into
  // IndexedDB as it is, so the photo survives a closed page and a dead battery.
  function photo(input) {
    var file = input && input.files && input.files[0];
    if (!file) { return null; }
    return { blob: file.slice(0, file.size, file.type), filename: file.name || "photo.jpg",
             type: file.type };
  }

  function labelOf(item, language) {
    return (language === "en" ? item.en : item.zh) || item.en || item.zh || item.code || item.key;
  }

  // Build inputs for the attributes into ``container``; returns a reader:
  // read() -> {values: {key: value}, errors: {key: message}} (messages from ``words``).
  function attributeForm(container, attributes, language, words) {
    container.textContent = "";
    (attributes || []).forEach(function (a) {
      var field = document.createElement("div");
      field.className = "field";
      field.dataset.key = a.key;
      var label = document.createElement("label");
      var text = document.createElement("span");
      text.textContent = labelOf(a, language) + (a.required ? " *" : "");
      label.appendChild(text);
      var input;
      if (a.type === "list") {
        input = document.createElement("select");
        var empty = document.createElement("option");
        empty.value = "";
        empty.textContent = "—";
        input.appendChild(empty);
        (a.options || []).forEach(function (o) {
          var opt = document.createElement("option");
          opt.value = o.code;
          opt.textContent = labelOf(o, language);
          input.appendChild(opt);
        });
      } else if (a.type === "multi_list") {
        input = document.createElement("fieldset");
        (a.options || []).forEach(function (o) {
          var l = document.createElement("label");
          var box = document.createElement("input");
          box.type = "checkbox";
          box.value = o.code;
          l.appendChild(box);
          l.appendChild(document.createTextNode(" " + labelOf(o, language)));
          input.appendChild(l);
        });
      } else {
        input = document.createElement("input");
        input.type = { numeric: "number", boolean: "checkbox", date: "date" }[a.type] || "text";
        if (a.type === "numeric") {
          input.step = "any";
          if (a.min !== undefined && a.min !== null) { input.min = a.min; }
          if (a.max !== undefined && a.max !== null) { input.max = a.max; }
        }
      }
      input.name = "attr-" + a.key;
      label.appendChild(input);
      field.appendChild(label);
      var error = document.createElement("span");
      error.className = "error";
      field.appendChild(error);
      container.appendChild(field);
    });

    return function read() {
      var values = {};
      var errors = {};
      (attributes || []).forEach(function (a) {
        var field = container.querySelector('[data-key="' + a.key + '"]');
        var value;
        if (a.type === "multi_list") {
          value = Array.prototype.filter.call(field.querySelectorAll("input:checked"), function () { return true; })
            .map(function (b) { return b.value; });
          if (!value.length) { value = null; }
        } else if (a.type === "boolean") {
          value = field.querySelector("input").checked;
        } else {
          var raw = field.querySelector("input, select").value.trim();
          value = raw === "" ? null : raw;
          if (value !== null && a.type === "numeric") {
            value = Number(raw);
            if (!isFinite(value)) { errors[a.key] = words.number; }
            else if (a.min !== undefined && a.min !== null && value < a.min) { errors[a.key] = words.min + " " + a.min; }
            else if (a.max !== undefined && a.max !== null && value > a.max) { errors[a.key] = words.max + " " + a.max; }
          }
          if (value !== null && a.type === "text" && a.regex && !(new RegExp("^(?:" + a.regex + ")$").test(value))) {
            errors[a.key] = words.format;
          }
        }
        if (a.required && (value === null || value === "")) { errors[a.key] = words.required; }
        field.querySelector(".error").textContent = errors[a.key] || "";
        if (value !== null) { values[a.key] = value; }
      });
      return { values: values, errors: errors };
    };
  }

  global.BastionOffline = global.BastionOffline || {};
  global.BastionOffline.forms = {
    uuid: uuid, deviceTime: deviceTime, position: position, fix: fix, photo: photo,
    attributeForm: attributeForm, labelOf: labelOf
  };
})(self);
