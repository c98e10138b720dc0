// What every offline page shows of its queue, in one copy: the network state, how many
// operations wait, the progress of a send, when the next try is, and each refused operation
// with "retry" and "discard". Also the small helpers those pages share (fill a message's
// {fields}, a time in the unit's zone, make an element). The page gives its root element
// (data-language, data-zone), the Sync, its words, and what else to do on each change; the
// root's data-* attributes (net, pending, sync-state, sent, duplicates, problems) are what the
// browser tests read.
(function (global) {
  "use strict";

  function tools(root) {
    var zone = root.dataset.zone || undefined;
    var locale = root.dataset.language === "en" ? "en-GB" : "zh-CN";
    return {
      $: function (id) { return document.getElementById(id); },
      fill: function (text, values) {
        return String(text).replace(/\{(\w+)\}/g, function (m, k) {
          return values[k] === undefined ? m : values[k];
        });
      },
      shownTime: function (value, timeOnly) {
        var options = timeOnly ? { timeZone: zone, hour: "2-digit", minute: "2-digit",
                                   second: "2-digit" }
          : { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
              hour: "2-digit", minute: "2-digit" };
        try { return new Date(value).toLocaleString(locale, options); }
        catch (e) { return new Date(value).toLocaleString(locale); }
      },
      el: function (tag, className, text) {
        var node = document.createElement(tag);
        if (className) { node.className = className; }
        if (text !== undefined && text !== null) { node.textContent = text; }
        return node;
      }
    };
  }

  // ``timeOnly``: the next try is shown as a time of day (a page whose queue turns over in
  // minutes, as the patrol's track does).
  function statusPanel(root, sync, words, then, timeOnly) {
    var t = tools(root);
    var $ = t.$;
    sync.onChange(function (s) {
      $("net-state").textContent = navigator.onLine ? words.online : words.offline;
      root.dataset.net = navigator.onLine ? "online" : "offline";
      $("queue-state").textContent = s.pending ? t.fill(words.queue, { n: s.pending }) : words.queue_empty;
      root.dataset.pending = String(s.pending);
      root.dataset.syncState = s.state;
      root.dataset.sent = String(s.sent);
      root.dataset.duplicates = String(s.duplicates);
      $("sync-progress").textContent = s.total ? t.fill(words.progress, { sent: s.sent, total: s.total }) : "";
      $("sync-wait").textContent = s.state === "login" ? words.login :
        (s.next_try && s.pending ? t.fill(words.waiting, { time: t.shownTime(s.next_try, timeOnly) }) : "");
      var list = $("sync-problems");
      list.textContent = "";
      s.conflicts.concat(s.rejected).forEach(function (op) {
        var li = t.el("li", "problem " + op.state,
                      (op.state === "conflict" ? words.conflict : words.rejected) + " · " +
                      op.label + ": " + (op.error || ""));
        var retry = t.el("button", "secondary", words.retry);
        retry.type = "button";
        retry.addEventListener("click", function () { sync.retry(op.seq); });
        var drop = t.el("button", "link", words.discard);
        drop.type = "button";
        drop.addEventListener("click", function () {
          if (window.confirm(words.discard_confirm)) { sync.discard(op.seq); }
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(retry);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(drop);
        list.appendChild(li);
      });
      root.dataset.problems = String(s.conflicts.length + s.rejected.length);
      if (then) { then(s); }
    });
    $("sync-now").addEventListener("click", function () { sync.syncNow(); });
  }

  global.BastionOffline = global.BastionOffline || {};
  global.BastionOffline.tools = tools;
  global.BastionOffline.statusPanel = statusPanel;
})(window);
