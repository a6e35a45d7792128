/* Skydd's cookie banner: no dependencies, no inline styles or scripts (it works under
   a strict CSP). The server writes the configuration from the data map where the
   placeholder below stands: categories, cookies, services, texts, notice version.
   Every choice is posted to Skydd's consent ledger. docs/consent.md explains it. */
(function () {
  "use strict";
  var C = /*CONFIG*/null;
  if (!C || window.skyddConsent) return;
  var d = document, w = window, K = C.cookie, DAY = 864e5;
  var me = d.currentScript, base = me ? new URL(me.src, location.href).origin : "";
  var gpc = C.gpc || navigator.globalPrivacyControl === true;
  var box, panel, opener;

  function read() {
    var m = d.cookie.match(new RegExp("(?:^|; )" + K + "=([^;]*)"));
    try { return m ? JSON.parse(decodeURIComponent(m[1])) : null; } catch (e) { return null; }
  }
  function valid(s) {
    return !!s && s.v === C.version && Date.now() / DAY - s.t < C.renewDays && !(gpc && !s.g);
  }
  function uid() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  var st = read();

  /* Google Consent Mode v2: everything denied until a choice grants it. */
  w.dataLayer = w.dataLayer || [];
  function gtag() { w.dataLayer.push(arguments); }
  var GCM = {
    analytics: ["analytics_storage"],
    marketing: ["ad_storage", "ad_user_data", "ad_personalization"],
    preferences: ["functionality_storage", "personalization_storage"]
  };
  function gcm(mode, c) {
    var o = { security_storage: "granted" };
    Object.keys(GCM).forEach(function (k) {
      GCM[k].forEach(function (x) { o[x] = c[k] ? "granted" : "denied"; });
    });
    if (mode === "default") o.wait_for_update = 500;
    gtag("consent", mode, o);
  }
  gcm("default", {});

  /* Scripts marked type="text/plain" data-category="…" [data-service="…"] run once allowed. */
  function run(c, s) {
    d.querySelectorAll('script[type="text/plain"][data-category]').forEach(function (el) {
      var svc = el.getAttribute("data-service");
      if (!c[el.getAttribute("data-category")] || (svc && s[svc] === 0)) return;
      var n = d.createElement("script");
      Array.prototype.forEach.call(el.attributes, function (a) {
        if (a.name !== "type" && a.name !== "data-category") n.setAttribute(a.name, a.value);
      });
      if (!el.src) n.text = el.text;
      el.parentNode.replaceChild(n, el);
    });
    gcm("update", c);
  }

  function forget(cat) {
    C.cats.forEach(function (k) {
      if (k.id !== cat) return;
      k.cookies.forEach(function (x) {
        d.cookie = x[0] + "=; path=/; max-age=0";
      });
    });
  }

  function save(c, s, how) {
    var was = st && st.c, withdrawn = false;
    st = { v: C.version, t: Math.floor(Date.now() / DAY), c: c, s: s, id: (st && st.id) || uid(), g: gpc ? 1 : 0 };
    d.cookie = K + "=" + encodeURIComponent(JSON.stringify(st)) + "; path=/; max-age=" +
      C.renewDays * 86400 + "; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    var granted = [], refused = [];
    C.cats.forEach(function (k) {
      if (k.required) return;
      (c[k.id] ? granted : refused).push(k.id);
      if (was && was[k.id] && !c[k.id]) { withdrawn = true; forget(k.id); }
    });
    var off = Object.keys(s).filter(function (x) { return s[x] === 0; });
    fetch(base + C.endpoint, {
      method: "POST", keepalive: true, credentials: "omit",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ visitor: st.id, granted: granted, refused: refused, services_refused: off,
        version: C.version, method: how, lang: C.lang, gpc: gpc })
    }).catch(function () {});
    hide();
    if (withdrawn) location.reload(); else run(c, s);
  }

  function all(v) {
    var c = {};
    C.cats.forEach(function (k) { c[k.id] = k.required ? 1 : v; });
    return c;
  }

  function h(tag, attrs, kids) {
    var e = d.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) {
      if (a === "text") e.textContent = attrs[a]; else e.setAttribute(a, attrs[a]);
    });
    (kids || []).forEach(function (k) { if (k) e.appendChild(k); });
    return e;
  }
  function button(action, label, main) {
    var b = h("button", { type: "button", "data-a": action, text: label, "class": main ? "skydd-cb-main" : "" });
    return b;
  }

  function category(k, c, s) {
    var id = "skydd-cb-" + k.id, on = k.required || c[k.id];
    var toggle = h("input", { type: "checkbox", id: id, "data-cat": k.id });
    toggle.checked = !!on;
    if (k.required) { toggle.disabled = true; toggle.setAttribute("aria-describedby", id + "-req"); }
    var rows = k.cookies.map(function (x) {
      return h("tr", {}, [h("td", { text: x[0] }), h("td", { text: x[1] }), h("td", { text: x[2] }), h("td", { text: x[3] })]);
    });
    var table = rows.length ? h("details", {}, [
      h("summary", { text: C.t.cookies + " (" + rows.length + ")" }),
      h("table", {}, [h("thead", {}, [h("tr", {}, [C.t.name, C.t.party, C.t.purpose, C.t.lifetime].map(function (t) {
        return h("th", { scope: "col", text: t });
      }))]), h("tbody", {}, rows)])
    ]) : null;
    var services = k.services.length ? h("ul", { "class": "skydd-cb-svc", "aria-label": C.t.services }, k.services.map(function (v) {
      var sid = id + "-" + v.id, cb = h("input", { type: "checkbox", id: sid, "data-svc": v.id, "data-of": k.id });
      cb.checked = !!on && s[v.id] !== 0;
      if (k.required) cb.disabled = true;
      return h("li", {}, [cb, h("label", { "for": sid, text: v.label })]);
    })) : null;
    return h("fieldset", {}, [
      h("legend", {}, [toggle, h("label", { "for": id, text: k.label })]),
      k.required ? h("p", { id: id + "-req", "class": "skydd-cb-req", text: C.t.always }) : null,
      h("p", { text: k.desc }), services, table
    ]);
  }

  function show(settings) {
    hide();
    opener = d.activeElement;
    var c = (st && st.c) || all(0), s = (st && st.s) || {};
    var intro = h("p", { id: "skydd-cb-d", text: C.t.intro + " " });
    if (C.notice) intro.appendChild(h("a", { href: C.notice, text: C.t.more }));
    panel = h("div", { "class": "skydd-cb-panel", id: "skydd-cb-panel" }, C.cats.map(function (k) { return category(k, c, s); }));
    panel.appendChild(h("div", { "class": "skydd-cb-b" }, [button("save", C.t.save, 1)]));
    panel.hidden = !settings;
    var heading = h("h2", { id: "skydd-cb-h", tabindex: "-1", text: C.t.title });
    box = h("div", { id: "skydd-cb", role: "dialog", "aria-modal": "false", "aria-labelledby": "skydd-cb-h",
      "aria-describedby": "skydd-cb-d", lang: C.lang }, [
      heading, intro,
      h("div", { "class": "skydd-cb-b" }, [
        button("accept", C.t.accept, 1), button("reject", C.t.reject, 1),
        button("settings", C.t.settings, 0)
      ]),
      panel
    ]);
    box.querySelector('[data-a="settings"]').setAttribute("aria-controls", "skydd-cb-panel");
    box.querySelector('[data-a="settings"]').setAttribute("aria-expanded", settings ? "true" : "false");
    box.addEventListener("click", click);
    box.addEventListener("change", change);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !panel.hidden) { panel.hidden = true; box.querySelector('[data-a="settings"]').focus(); }
    });
    d.body.appendChild(box);
    heading.focus();
  }
  function hide() {
    if (!box) return;
    box.remove();
    box = null;
    if (opener && opener.focus && d.contains(opener)) opener.focus();
  }
  function change(e) {
    var t = e.target, cat = t.getAttribute("data-cat");
    if (cat) box.querySelectorAll('[data-of="' + cat + '"]').forEach(function (x) { x.checked = t.checked; });
  }
  function click(e) {
    var a = e.target.getAttribute && e.target.getAttribute("data-a");
    if (a === "accept") save(all(1), {}, "banner");
    else if (a === "reject") save(all(0), {}, "banner");
    else if (a === "settings") {
      panel.hidden = !panel.hidden;
      e.target.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
      if (!panel.hidden) panel.querySelector("input:not([disabled])").focus();
    } else if (a === "save") {
      var c = all(0), s = {};
      box.querySelectorAll("[data-cat]").forEach(function (x) { if (x.checked) c[x.getAttribute("data-cat")] = 1; });
      box.querySelectorAll("[data-svc]").forEach(function (x) {
        if (c[x.getAttribute("data-of")] && !x.checked) s[x.getAttribute("data-svc")] = 0;
      });
      save(c, s, "settings");
    }
  }

  function open(e) {
    if (e) e.preventDefault();
    show(true);
  }
  function start() {
    d.head.appendChild(h("link", { rel: "stylesheet", href: base + C.css }));
    d.querySelectorAll('[data-skydd-consent-open], a[href="#skydd-consent"]').forEach(function (el) {
      el.addEventListener("click", open);
    });
    if (!C.ask) return; /* only necessary cookies: nothing to ask */
    if (valid(st)) run(st.c, st.s || {});
    else if (gpc) save(all(0), {}, "gpc");
    else show(false);
  }
  w.skyddConsent = { open: open, choice: function () { return valid(st) ? st.c : null; } };
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", start); else start();
})();
