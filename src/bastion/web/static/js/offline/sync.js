// Bastion offline kit: the sync engine. Replays the queue (store.js) against the REST API in
// the order it was made, one operation at a time:
//   2xx (201 made, 200 "duplicate": the server had it already)  -> sent, leaves the queue;
//   409 (the same id with different content)                      -> kept as "conflict", shown;
//   400/403/404/413/415/422 (the server will never take it as is) -> kept as "rejected", shown;
//   401 (logged out)                                              -> stop; log in again;
//   no network, timeout, 408/429/5xx                              -> stop; retry later.
// Later operations wait behind one that failed for want of a network, so the server sees
// them in order. Retries: at once when the browser says it is online, else after a backoff
// (5 s doubling to 5 min). Nothing leaves the queue unless the server accepted it.
(function (global) {
  "use strict";
  var store = global.BastionOffline.store;
  var FIRST_WAIT = 5000;
  var LONGEST_WAIT = 300000;
  var TIMEOUT = 30000;
  var REJECTED = [400, 403, 404, 405, 410, 413, 415, 422];

  function Sync(options) {
    options = options || {};
    // Whose operations this page sends: a phone shared by two people keeps each one's queue
    // apart (an operation is sent only with its maker's login). Null: every operation.
    this.user = options.user || null;
    this.csrf = options.csrf || function () {
      var meta = document.querySelector('meta[name="csrf-token"]');
      return meta ? meta.content : "";
    };
    this.listeners = [];
    this.wait = FIRST_WAIT;
    this.timer = null;
    this.running = null;
    this.status = { state: navigator.onLine ? "idle" : "offline", sent: 0, total: 0,
                    pending: 0, conflicts: [], rejected: [], duplicates: 0, error: null,
                    next_try: null };
    var self = this;
    global.addEventListener("online", function () { self.wait = FIRST_WAIT; self.syncNow(); });
    global.addEventListener("offline", function () { self.update({ state: "offline" }); });
  }

  Sync.prototype.onChange = function (fn) { this.listeners.push(fn); fn(this.status); };

  Sync.prototype.update = function (change) {
    var self = this;
    Object.keys(change).forEach(function (k) { self.status[k] = change[k]; });
    this.listeners.forEach(function (fn) { fn(self.status); });
  };

  Sync.prototype.mine = function (ops) {
    var user = this.user;
    return ops.filter(function (o) { return !user || !o.user || String(o.user) === String(user); });
  };

  // Count what waits and what needs a person, without sending.
  Sync.prototype.refresh = function () {
    var self = this;
    return store.queued().then(function (ops) {
      ops = self.mine(ops);
      self.update({
        pending: ops.filter(function (o) { return o.state === "pending"; }).length,
        conflicts: ops.filter(function (o) { return o.state === "conflict"; }),
        rejected: ops.filter(function (o) { return o.state === "rejected"; })
      });
      return ops;
    });
  };

  Sync.prototype.schedule = function () {
    var self = this;
    if (this.timer) { clearTimeout(this.timer); }
    var wait = this.wait;
    this.wait = Math.min(this.wait * 2, LONGEST_WAIT);
    this.update({ next_try: new Date(Date.now() + wait).toISOString() });
    this.timer = setTimeout(function () { self.timer = null; self.syncNow(); }, wait);
  };

  Sync.prototype.request = function (op) {
    var headers = { "Accept": "application/json", "X-CSRF-Token": this.csrf() };
    var body;
    if (op.form) {
      body = new FormData();
      Object.keys(op.form.fields || {}).forEach(function (k) { body.append(k, op.form.fields[k]); });
      (op.form.files || []).forEach(function (f) { body.append(f.name, f.blob, f.filename || "file"); });
    } else if (op.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(op.json);
    }
    var controller = global.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT) : null;
    return fetch(op.url, { method: op.method || "POST", headers: headers, body: body,
                           credentials: "same-origin", cache: "no-store",
                           signal: controller ? controller.signal : undefined })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: response.status, data: data };
        });
      })
      .finally(function () { if (timer) { clearTimeout(timer); } });
  };

  function detail(answer) {
    var d = answer.data && answer.data.detail;
    if (Array.isArray(d)) {
      return d.map(function (e) { return (e.loc || []).join(".") + ": " + e.msg; }).join("; ");
    }
    return d ? String(d) : "HTTP " + answer.status;
  }

  // Send what is pending, in order. Resolves with the status when the pass ends.
  Sync.prototype.syncNow = function () {
    var self = this;
    if (this.running) { return this.running; }
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.running = store.queued().then(function (ops) {
      var pending = self.mine(ops).filter(function (o) { return o.state === "pending"; });
      self.update({ state: pending.length ? "syncing" : "idle", sent: 0, total: pending.length,
                    duplicates: 0, error: null, next_try: null });
      var i = 0;
      function next() {
        if (i >= pending.length) { self.wait = FIRST_WAIT; return "done"; }
        var op = pending[i];
        op.attempts = (op.attempts || 0) + 1;
        return self.request(op).then(function (answer) {
          if (answer.status >= 200 && answer.status < 300) {
            return store.removeOp(op.seq).then(function () {
              i += 1;
              var dup = answer.data && answer.data.duplicate ? 1 : 0;
              self.update({ sent: self.status.sent + 1,
                            duplicates: self.status.duplicates + dup });
              return next();
            });
          }
          if (answer.status === 409 || REJECTED.indexOf(answer.status) >= 0) {
            op.state = answer.status === 409 ? "conflict" : "rejected";
            op.error = detail(answer);
            op.status = answer.status;
            return store.updateOp(op).then(function () { i += 1; return next(); });
          }
          op.error = detail(answer);
          return store.updateOp(op).then(function () {
            return answer.status === 401 ? "login" : "retry";
          });
        }, function (error) {
          op.error = String(error && error.message || error);
          return store.updateOp(op).then(function () { return "retry"; });
        });
      }
      return next();
    }).then(function (outcome) {
      return self.refresh().then(function () {
        if (outcome === "done") {
          self.update({ state: "idle" });
        } else {
          self.update({ state: outcome === "login" ? "login" : (navigator.onLine ? "waiting" : "offline"),
                        error: outcome });
          self.schedule();
        }
        return self.status;
      });
    }).catch(function (error) {
      self.update({ state: "waiting", error: String(error) });
      self.schedule();
      return self.status;
    }).finally(function () { self.running = null; });
    return this.running;
  };

  // A kept operation (conflict or rejected) back into the queue, or dropped by the user.
  Sync.prototype.retry = function (seq) {
    var self = this;
    return store.queued().then(function (ops) {
      var op = ops.filter(function (o) { return o.seq === seq; })[0];
      if (!op) { return null; }
      op.state = "pending";
      op.error = null;
      return store.updateOp(op).then(function () { return self.syncNow(); });
    });
  };
  Sync.prototype.discard = function (seq) {
    var self = this;
    return store.removeOp(seq).then(function () { return self.refresh(); });
  };

  // Start: a pass now, and one every minute while operations wait (covers a network that
  // came back without the browser firing "online").
  Sync.prototype.start = function () {
    var self = this;
    setInterval(function () {
      if (!self.running && !self.timer && self.status.pending > 0) { self.syncNow(); }
    }, 60000);
    return this.refresh().then(function () { return self.syncNow(); });
  };

  global.BastionOffline.Sync = Sync;
})(self);
