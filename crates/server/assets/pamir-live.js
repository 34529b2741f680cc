// Live updates for Pamir's pages. Everything works without this script; with it, one event
// stream per page (server-sent events, resumed by the browser from the last event id) keeps the
// unread count, the message list, a thread's delivery states, a BLO channel, an operation's
// workspace, the early-warning board and the precursor pages current, and shows first-detection,
// precursor-incident and late-answer alerts on every page.
(function () {
  "use strict";
  // On a phone the menu scrolls sideways: show where the user is in it.
  var current = document.querySelector("header.top nav a.current");
  var menu = current && current.parentElement;
  if (menu && menu.scrollWidth > menu.clientWidth) {
    menu.scrollLeft = current.offsetLeft - menu.offsetLeft - 16;
  }
  if (!window.EventSource || !window.fetch) return;

  function refreshUnread() {
    fetch("/api/v1/messages/unread", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        document.querySelectorAll('[data-live="unread"]').forEach(function (el) {
          el.textContent = d.unread > 0 ? String(d.unread) : (el.id ? "0" : "");
        });
      })
      .catch(function () {});
  }

  // Re-reads this page and swaps in the fresh version of the live parts named by id.
  var swapping = false, again = false;
  function swap(ids) {
    if (swapping) { again = true; return; }
    swapping = true;
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var old = document.getElementById(id), fresh = doc.getElementById(id);
          if (old && fresh) old.replaceWith(document.importNode(fresh, true));
        });
      })
      .catch(function () {})
      .then(function () {
        swapping = false;
        if (again) { again = false; swap(ids); }
      });
  }

  // A first detection (early warning): a banner on every page, in the page's language, with
  // the detection as the reader may read it (its first flags are the reader's own).
  function alertOf(data) {
    var box = document.getElementById("live-alerts");
    if (!box || !(data.first_in_region || data.first_in_country)) return;
    fetch("/api/v1/detections/" + encodeURIComponent(data.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || !(d.first_in_region || d.first_in_country)) return;
        var ru = document.documentElement.lang === "ru";
        var div = document.createElement("div");
        div.className = "alert-banner" + (d.first_in_region ? " region" : "");
        div.setAttribute("data-detection", d.id);
        var strong = document.createElement("strong");
        strong.textContent = box.getAttribute(d.first_in_region ? "data-region" : "data-country") + ": ";
        var a = document.createElement("a");
        a.href = d.substance ? "/early-warning/" + encodeURIComponent(d.substance) : "/early-warning";
        a.textContent = (ru ? d.substance_name_ru : d.substance_name_en) || d.unidentified || "";
        div.appendChild(strong);
        div.appendChild(a);
        div.appendChild(document.createTextNode(" — " + d.country + ", " + d.detected_on));
        box.insertBefore(div, box.firstChild);
      })
      .catch(function () {});
  }

  // A banner beside the first-detection alerts: `label`, a link, and where and when.
  function banner(box, cls, key, label, href, name, rest) {
    var div = document.createElement("div");
    div.className = "alert-banner " + cls;
    div.setAttribute("data-key", key);
    var strong = document.createElement("strong");
    strong.textContent = label + ": ";
    var a = document.createElement("a");
    a.href = href;
    a.textContent = name;
    div.appendChild(strong);
    div.appendChild(a);
    div.appendChild(document.createTextNode(" — " + rest));
    box.insertBefore(div, box.firstChild);
  }

  // A precursor incident on the reader's countries' way, and a pre-export notification answered
  // late (both sides are told): banners, read as the reader may read them.
  function incidentAlert(data) {
    var box = document.getElementById("live-alerts");
    if (!box) return;
    fetch("/api/v1/precursor-incidents/" + encodeURIComponent(data.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (i) {
        if (!i) return;
        var ru = document.documentElement.lang === "ru";
        banner(box, "incident", i.id, box.getAttribute("data-incident"), "/precursor-incidents/" + encodeURIComponent(i.id),
          ru ? i.substance_name_ru : i.substance_name_en, i.country + ", " + i.occurred_on);
      })
      .catch(function () {});
  }
  function lateAlert(data) {
    var box = document.getElementById("live-alerts");
    if (!box || !data.late) return;
    fetch("/api/v1/pre-export-notifications/" + encodeURIComponent(data.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (n) {
        if (!n) return;
        var ru = document.documentElement.lang === "ru";
        var overdue = data.change === "overdue";
        banner(box, overdue ? "overdue" : "late", n.id, box.getAttribute(overdue ? "data-overdue" : "data-late"),
          "/pre-exports/" + encodeURIComponent(n.id),
          ru ? n.substance_name_ru : n.substance_name_en, n.exporter_country + " → " + n.importer_country);
      })
      .catch(function () {});
  }

  // A risk communication issued, updated or retracted: a banner, read as the reader may.
  function riskAlert(data) {
    var box = document.getElementById("live-alerts");
    if (!box) return;
    fetch("/api/v1/risk-communications/" + encodeURIComponent(data.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) return;
        var ru = document.documentElement.lang === "ru";
        banner(box, c.retraction ? "retracted" : "risk " + c.severity, c.id + ":" + c.version,
          box.getAttribute(c.retraction ? "data-risk-retracted" : "data-risk"),
          "/risk-communications/" + encodeURIComponent(c.id), c.title,
          ru ? c.substance_name_ru : c.substance_name_en);
      })
      .catch(function () {});
  }

  function onEvent(e) {
    var data = {};
    try { data = JSON.parse(e.data); } catch (_) { /* keep going */ }
    if (e.type === "detection") {
      alertOf(data);
      if (document.getElementById("early-warning-live")) swap(["early-warning-live"]);
    }
    if (e.type === "risk") {
      riskAlert(data);
      if (document.getElementById("early-warning-live")) swap(["early-warning-live"]);
      var risk = document.getElementById("risk-live");
      if (risk && risk.getAttribute("data-id") === data.id) swap(["risk-live"]);
    }
    if (e.type === "precursor_incident") {
      incidentAlert(data);
      if (document.getElementById("incidents-live")) swap(["incidents-live"]);
    }
    if (e.type === "pre_export") {
      lateAlert(data);
      if (document.getElementById("pre-exports-live")) swap(["pre-exports-live"]);
      var one = document.getElementById("pre-export-live");
      var typingIn = one && one.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (one && one.getAttribute("data-id") === data.id && !typingIn) swap(["pre-export-live"]);
    }
    refreshUnread();
    if (document.getElementById("message-list")) swap(["message-list"]);
    var log = document.getElementById("channel-log");
    if (log && (e.type !== "message" || data.channel === log.getAttribute("data-channel"))) swap(["channel-log"]);
    var thread = document.getElementById("thread");
    if (thread) {
      var ids = (thread.getAttribute("data-ids") || "").split(" ");
      if (e.type === "message" || ids.indexOf(data.id) >= 0) swap(["thread"]);
    }
    var op = document.getElementById("operation-live");
    if (op && (e.type === "operation" || e.type === "task" || e.type === "delivery")) {
      var mine = op.getAttribute("data-operation");
      // Not while the user is writing in it: the next event (or a reload) brings it up to date.
      var typing = op.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if ((data.operation === mine || data.id === mine) && !typing) swap(["operation-live"]);
    }
    document.body.setAttribute("data-live-last", String(e.lastEventId || ""));
  }

  // Connected or not, said in the header: the browser reconnects by itself (resuming from the
  // last event), and a stream the server closed is opened again after a pause.
  var es = null;
  function shown(on) {
    document.body.setAttribute("data-live", on ? "on" : "off");
    var el = document.getElementById("live-state");
    if (!el) return;
    el.textContent = el.getAttribute(on ? "data-on" : "data-off") || "";
    el.className = "live-state " + (on ? "on" : "off");
  }
  function start() {
    es = new EventSource("/api/v1/events");
    ["message", "receipt", "escalation", "operation", "task", "delivery", "detection", "precursor_incident", "pre_export", "risk"].forEach(function (t) { es.addEventListener(t, onEvent); });
    es.addEventListener("open", function () { shown(true); refreshUnread(); });
    es.addEventListener("error", function () {
      shown(false);
      if (es.readyState === 2) { setTimeout(start, 15000); }
    });
    refreshUnread();
  }
  window.addEventListener("offline", function () { shown(false); });
  window.addEventListener("online", function () { if (es && es.readyState === 1) shown(true); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
