// Bastion offline kit: the phone's store (IndexedDB). Pages that capture in the field keep
// here what they made (records, by kind and client UUID), what the server gave them to work
// offline (kv: e.g. the patrol field kit) and the ORDERED queue of operations to send.
// A queued operation leaves the queue only when the server has accepted it (sync.js).
//
// Operation: {seq (auto), op_id, method, url, json?|form?, label, user?, priority?, state,
//             attempts, error, created_at}; form = {fields: {name: value}, files: [{name, blob, filename}]}.
// state: "pending" (to send), "conflict" (409: kept, shown, not retried by itself),
//        "rejected" (the server refused it, e.g. 422: kept, shown, retried only on request).
(function (global) {
  "use strict";
  var NAME = "bastion-offline";
  var VERSION = 1;
  var opening = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      var request = global.indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("records")) {
          var records = db.createObjectStore("records", { keyPath: "key" });
          records.createIndex("kind", "kind");
        }
        if (!db.objectStoreNames.contains("queue")) {
          var queue = db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
          queue.createIndex("op_id", "op_id", { unique: true });
        }
        if (!db.objectStoreNames.contains("kv")) { db.createObjectStore("kv"); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { opening = null; reject(request.error); };
      request.onblocked = function () { opening = null; reject(new Error("store blocked")); };
    });
    return opening;
  }

  // One transaction; fn(stores) returns a request or a value; resolves when it commits.
  function run(names, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode);
        var stores = {};
        [].concat(names).forEach(function (n) { stores[n] = tx.objectStore(n); });
        var result;
        var out = fn(stores);
        if (out && typeof out.onsuccess !== "undefined") {
          out.onsuccess = function () { result = out.result; };
        } else {
          result = out;
        }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("aborted")); };
      });
    });
  }

  var store = {
    open: open,
    put: function (kind, id, value) {
      return run("records", "readwrite", function (s) {
        return s.records.put({ key: kind + ":" + id, kind: kind, id: id, value: value,
                               saved_at: new Date().toISOString() });
      });
    },
    get: function (kind, id) {
      return run("records", "readonly", function (s) { return s.records.get(kind + ":" + id); })
        .then(function (row) { return row ? row.value : null; });
    },
    list: function (kind) {
      return run("records", "readonly", function (s) {
        return s.records.index("kind").getAll(kind);
      }).then(function (rows) { return (rows || []).map(function (r) { return r.value; }); });
    },
    remove: function (kind, id) {
      return run("records", "readwrite", function (s) { return s.records.delete(kind + ":" + id); });
    },
    kvGet: function (key) {
      return run("kv", "readonly", function (s) { return s.kv.get(key); })
        .then(function (v) { return v === undefined ? null : v; });
    },
    kvSet: function (key, value) {
      return run("kv", "readwrite", function (s) { return s.kv.put(value, key); });
    },
    // Queue an operation; with ``record`` ({kind, id, value}) the record is saved in the same
    // transaction, so a page never holds a record whose operation was lost, or the reverse.
    enqueue: function (op, record) {
      var names = record ? ["queue", "records"] : ["queue"];
      return run(names, "readwrite", function (s) {
        if (record) {
          s.records.put({ key: record.kind + ":" + record.id, kind: record.kind, id: record.id,
                          value: record.value, saved_at: new Date().toISOString() });
        }
        var row = {};
        Object.keys(op).forEach(function (k) { row[k] = op[k]; });
        row.state = "pending";
        row.attempts = 0;
        row.error = null;
        row.created_at = new Date().toISOString();
        return s.queue.add(row);
      });
    },
    queued: function () {
      return run("queue", "readonly", function (s) { return s.queue.getAll(); })
        .then(function (rows) {
          // In the order made; an operation marked ``priority`` (an SOS) before the others.
          return (rows || []).sort(function (a, b) {
            return ((b.priority || 0) - (a.priority || 0)) || (a.seq - b.seq);
          });
        });
    },
    updateOp: function (op) {
      return run("queue", "readwrite", function (s) { return s.queue.put(op); });
    },
    removeOp: function (seq) {
      return run("queue", "readwrite", function (s) { return s.queue.delete(seq); });
    }
  };

  global.BastionOffline = global.BastionOffline || {};
  global.BastionOffline.store = store;
})(self);
