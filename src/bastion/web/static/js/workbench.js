// The duty officer's workbench: re-read the sections when the event stream says something the
// officer may see changed; count the clocks down; sound an alarm (Web Audio, no sound file) and
// show a desktop notification for each new item marked data-alarm (emergency, stop, high alert).
(function () {
  "use strict";
  var board = document.getElementById("workbench");
  if (!board) { return; }
  var button = document.getElementById("alarm-enable");
  var state = document.getElementById("alarm-state");
  var audio = null;

  var keys = function () {
    var found = {};
    board.querySelectorAll("[data-alarm]").forEach(function (item) {
      found[item.dataset.alarm] = item;
    });
    return found;
  };
  var known = keys();

  // Three short tones, generated: the page works offline and loads nothing.
  var beep = function () {
    var AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtx) { return; }
    if (!audio) { audio = new AudioCtx(); }
    if (audio.state === "suspended") { audio.resume(); }
    var start = audio.currentTime + 0.05;
    for (var i = 0; i < 3; i += 1) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.type = "square";
      tone.frequency.value = i % 2 ? 660 : 880;
      gain.gain.setValueAtTime(0.15, start + i * 0.3);
      gain.gain.setValueAtTime(0, start + i * 0.3 + 0.2);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(start + i * 0.3);
      tone.stop(start + i * 0.3 + 0.22);
    }
  };

  var notify = function (item) {
    if (!("Notification" in window) || Notification.permission !== "granted") { return; }
    var link = item.querySelector("a");
    try {
      var note = new Notification(item.dataset.alarmTitle, {
        tag: item.dataset.alarm, body: document.title, requireInteraction: true });
      note.onclick = function () { window.focus(); if (link) { window.location = link.href; } };
    } catch (error) { /* a browser that only notifies from a service worker */ }
  };

  var alarm = function (items) {
    if (!items.length) { return; }
    beep();
    items.forEach(function (item) { item.classList.add("fresh"); notify(item); });
    board.dataset.alarms = String(Number(board.dataset.alarms || 0) + items.length);
  };

  // Clocks: minutes left (or overdue) to each deadline, in the page's language.
  var tick = function () {
    var now = Date.now();
    board.querySelectorAll("[data-deadline]").forEach(function (clock) {
      var left = Math.round((Date.parse(clock.dataset.deadline) - now) / 60000);
      var text = left >= 0 ? board.dataset.left : board.dataset.over;
      clock.textContent = text.replace("{n}", String(Math.abs(left)));
      clock.classList.toggle("overdue", left < 0);
    });
  };

  var busy = false;
  var again = false;
  var refresh = function () {
    if (busy) { again = true; return; }
    busy = true;
    fetch(board.dataset.refresh, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) {
          board.innerHTML = html;
          var now = keys();
          var fresh = Object.keys(now).filter(function (key) { return !known[key]; })
            .map(function (key) { return now[key]; });
          known = now;
          tick();
          alarm(fresh);
          board.dataset.refreshed = String(Number(board.dataset.refreshed || 0) + 1);
        }
      })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  };

  var timer = null;
  var soon = function () {  // a burst of events (a pre-check, an AIS batch) reads once
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 300);
  };
  var source = new EventSource(board.dataset.stream);
  source.onmessage = soon;
  source.addEventListener("ready", function () { board.dataset.liveReady = "true"; });
  setInterval(refresh, 60000);  // arrivals come into the next 24 hours as time passes
  setInterval(tick, 15000);
  tick();

  // Browsers let a page sound and notify only after the user asked for it: one click.
  var showState = function () {
    if (!("Notification" in window)) { return; }
    if (Notification.permission === "granted" && audio) {
      state.textContent = button.dataset.on;
      button.hidden = true;
    } else if (Notification.permission === "denied" && audio) {
      state.textContent = button.dataset.denied;
      button.hidden = true;
    }
  };
  button.addEventListener("click", function () {
    var AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (AudioCtx && !audio) { audio = new AudioCtx(); }
    if (audio) { audio.resume(); }
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then(showState);
    } else {
      showState();
    }
    if (!("Notification" in window)) { state.textContent = button.dataset.denied; }
  });
})();
