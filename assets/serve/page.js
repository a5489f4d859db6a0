"use strict";
// The what-if page of `wfhsim serve`. It holds the scenario it started from (the TOML of
// a shipped scenario, or text pasted in) and the edits made since, as the API's key paths;
// each edit sends both to POST /api/scenario (checked by the scenario reader), then the
// edited file to POST /api/run/stream, and shows each answer as it comes. A newer edit
// aborts the older request, which stops its job on the server. Every text from the server
// is set as text, never as HTML.

const LABELS = JSON.parse(document.getElementById("labels").textContent);
const LANG = document.documentElement.lang;
const LOCALE = LANG === "id" ? "id-ID" : "en-GB";

// The rows of the results table: label key, and the summary row they show.
const ROWS = [
  ["page.row.trips", "trips", "gross", "all"],
  ["page.row.roads", "vehicles", "net", "dki_roads"],
  ["page.row.roads_peak", "vehicles", "net", "dki_roads_peak"],
  ["page.row.cordon", "vehicles", "net", "dki_cordon"],
  ["page.row.cordon_peak", "vehicles", "net", "dki_cordon_peak"],
  ["page.row.pm25", "pm25_total", "net", "dki_roads"],
  ["page.row.nox", "nox", "net", "dki_roads"],
  ["page.row.co", "co", "net", "dki_roads"],
  ["page.row.co2", "co2", "net", "all"],
];
const DEBOUNCE_MS = 300;

const state = {
  info: null,
  shipped: [],
  base: "",          // the scenario text edits apply to
  baseName: "",
  baseTitles: null,  // its title and title_id
  edits: new Map(),  // key path -> value, in the order first made
  edit: 0,           // edits that started a run
  controller: null,  // the edit's request in flight
  refController: null, // the started-from scenario's run (only a new start aborts it)
  lastSig: null,     // what the last run asked: the same again is not run twice
  current: null,     // the last /api/scenario answer
  reference: null,   // the started-from scenario's last answer
  answer: null,
  timer: null,
};

// ---------------------------------------------------------------- words and numbers

function t(key, vars) {
  let s = LABELS[key];
  if (s === undefined) return "⟦missing label " + key + "⟧";
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function num(x, digits) {
  if (x === null || x === undefined || !isFinite(x)) return "–";
  const opts = digits === undefined
    ? { maximumSignificantDigits: 3 }
    : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  if (digits === undefined && Math.abs(x) >= 1000) {
    const p = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - 2);
    return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }).format(Math.round(x / p) * p);
  }
  return new Intl.NumberFormat(LOCALE, opts).format(x);
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function day(iso) {
  if (!iso) return "–";
  return new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(iso + "T00:00:00Z"));
}

// ---------------------------------------------------------------- the skeleton

function skeleton() {
  const other = LANG === "id" ? "en" : "id";
  document.body.append(
    el("header", {},
      el("h1", {}, t("page.title")),
      el("p", { id: "intro" }),
      el("a", { id: "lang-switch", href: "/?lang=" + other, hreflang: other }, t("page.switch"))),
    el("main", {},
      el("section", { id: "controls" },
        el("label", { for: "scenario" }, t("page.scenario")),
        el("select", { id: "scenario", onchange: e => start(e.target.value) }),
        el("label", { for: "replicates" }, t("page.replicates")),
        el("select", { id: "replicates", onchange: () => update(true) },
          [1, 10, 30, 100].map(n => el("option", { value: n, selected: n === 30 }, n))),
        el("div", { id: "form" }),
        el("div", { class: "problem", id: "problem-general", "data-key": "" }),
        el("label", { for: "toml" }, t("page.toml")),
        el("textarea", { id: "toml", spellcheck: "false" }),
        el("div", { class: "buttons" },
          el("button", { id: "apply-toml", onclick: applyText }, t("page.apply")),
          el("button", { id: "download-toml", onclick: downloadToml }, t("page.download_toml")),
          el("button", { id: "download-html", onclick: () => downloadBriefing("html") }, t("page.download_html")),
          el("button", { id: "download-xlsx", onclick: () => downloadBriefing("xlsx") }, t("page.download_xlsx"))),
        el("p", { id: "download-state" })),
      el("section", { id: "results" },
        el("p", { id: "progress", "data-state": "running", "data-replicates": 0, "data-edit": 0 }),
        el("div", { id: "bar" }, el("div")),
        el("h2", { id: "results-title" }, t("page.results")),
        el("p", { id: "answer-title" }),
        el("table", { id: "headline" }),
        el("p", { id: "verdict" }),
        el("div", { id: "chart" }),
        el("p", { id: "warnings" }))));
}

// ---------------------------------------------------------------- starting points

async function boot() {
  skeleton();
  const [info, shipped] = await Promise.all([getJson("/api/info"), getJson("/api/scenarios")]);
  state.info = info;
  state.shipped = shipped.scenarios;
  document.getElementById("intro").textContent = t("page.intro",
    { agents: num(info.agents, 0), scale: num(info.scale), seed: info.seed });
  const select = document.getElementById("scenario");
  for (const s of state.shipped) select.append(el("option", { value: s.name }, s.title[LANG] || s.name));
  start(state.shipped[0].name, true);
}

async function getJson(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ": " + r.status);
  return r.json();
}

// A shipped scenario as the new starting point.
function start(name, first) {
  const s = state.shipped.find(x => x.name === name);
  document.getElementById("scenario").value = name;
  begin(s.toml, !first);
}

// The text in the box as the new starting point.
function applyText() {
  begin(document.getElementById("toml").value, true);
}

function begin(text, counts) {
  for (const c of [state.controller, state.refController]) if (c) c.abort();
  state.controller = state.refController = null;
  state.lastSig = null;
  state.base = text;
  state.baseName = "";
  state.baseTitles = null;
  state.edits = new Map();
  state.reference = null;
  state.current = null;
  document.getElementById("form").replaceChildren();
  update(counts);
}

// ---------------------------------------------------------------- edits and runs

// The edits sent: the name and titles say the file was edited, then the edits in order.
function edits() {
  const list = [...state.edits.entries()];
  if (list.length === 0 || !state.baseTitles) return list;
  const named = [["name", state.baseName + "-edit"],
    ["title", state.baseTitles.en + " (" + t("page.edited.in_en") + ")"]];
  if (state.baseTitles.id) named.push(["title_id", state.baseTitles.id + " (" + t("page.edited.in_id") + ")"]);
  return named.concat(list);
}

function setEdit(key, value) {
  state.edits.set(key, value);
  clearTimeout(state.timer);
  state.timer = setTimeout(() => update(true), DEBOUNCE_MS);
}

function setEditNow(key, value) {
  state.edits.set(key, value);
  clearTimeout(state.timer);
  update(true);
}

async function update(counts) {
  clearTimeout(state.timer);
  // Typing starts a run after a pause and leaving the field sends the same again: once.
  const sig = JSON.stringify([state.base, edits(), replicates()]);
  if (sig === state.lastSig) return;
  state.lastSig = sig;
  if (counts) state.edit += 1;
  const edit = state.edit;
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  // The started-from scenario's run goes on when an edit comes before its band: its
  // answers are then not shown, but its last one is what the edits are compared with.
  const reference = !state.current && state.edits.size === 0;
  if (reference) state.refController = controller;
  state.controller = reference ? null : controller;
  progress("running", 0, edit, t("page.progress.checking"));
  clearProblems();
  try {
    const r = await fetch("/api/scenario", {
      method: "POST", signal: controller.signal,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ toml: state.base, set: edits() }),
    });
    const body = await r.json();
    if (!r.ok) return refused(body, edit);
    const fresh = !state.current;
    state.current = body;
    document.getElementById("toml").value = body.toml;
    if (fresh) {
      state.baseName = body.name;
      state.baseTitles = { en: body.scenario.title, id: body.scenario.title_id };
      renderForm(body.scenario);
    }
    await stream(body.toml, controller, edit, reference);
  } catch (e) {
    if (e.name === "AbortError") return;
    state.lastSig = null;
    if (edit === state.edit) progress("error", 0, edit, String(e.message || e));
  }
}

function replicates() {
  return Number(document.getElementById("replicates").value);
}

// The run's events, read as they come.
async function stream(toml, controller, edit, isReference) {
  const n = replicates();
  const live = () => edit === state.edit;
  const r = await fetch("/api/run/stream?replicates=" + n + "&lang=" + LANG, {
    method: "POST", signal: controller.signal,
    headers: { "Content-Type": "application/toml" }, body: toml,
  });
  if (!r.ok) {
    state.lastSig = null;
    const body = await r.json();
    return live() ? refused(body, edit) : undefined;
  }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let shown = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = (frame.match(/^event: (.*)$/m) || [])[1];
      const data = JSON.parse((frame.match(/^data: (.*)$/m) || [])[1] || "null");
      if (name === "answer" && isReference && data.replicates === n) {
        state.reference = data;
        // An edit's answer shown already: its started-from column fills in now.
        if (!live() && state.answer) renderAnswer(state.answer);
      }
      if (!live()) continue;
      if (name === "queued" && data.ahead > 0) progress("running", shown, edit, t("page.progress.queued", { n: data.ahead }));
      else if (name === "progress") {
        bar(data.done / data.replicates);
        if (shown === 0) progress("running", 0, edit, t("page.progress.running", { done: data.done, of: data.replicates }));
      } else if (name === "answer") {
        shown = data.replicates;
        state.answer = data;
        renderAnswer(data);
        if (data.replicates < n) progress("running", shown, edit, t("page.progress.partial", { n: shown }));
      } else if (name === "done") {
        bar(1);
        progress("done", shown, edit, t("page.progress.done", { n: shown, s: num(data.seconds) }));
      } else if (name === "error") {
        state.lastSig = null;
        return refused(data, edit);
      }
    }
  }
}

function progress(stateName, reps, edit, text) {
  // The numbers shown are the previous answer's until this edit's first answer comes.
  document.getElementById("results").classList.toggle("stale", stateName === "error" || reps === 0);
  const p = document.getElementById("progress");
  p.dataset.state = stateName;
  p.dataset.replicates = reps;
  p.dataset.edit = edit;
  p.textContent = text;
  if (stateName !== "done") bar(0);
}

function bar(fraction) {
  document.querySelector("#bar div").style.width = Math.round(100 * fraction) + "%";
}

// A refusal: each problem beside its field (or under the form), the message on top.
function refused(body, edit) {
  const problems = body.problems || [];
  progress("error", 0, edit, problems.length
    ? t("page.progress.error_field")
    : t("page.progress.error") + " — " + body.error);
  for (const p of problems) {
    // The field's own spot, or the first of the fields under its key (a compliance range
    // refused shows under its central value).
    const spot = document.querySelector('.problem[data-key="' + CSS.escape(p.field) + '"]')
      || (p.field && document.querySelector('.problem[data-key^="' + CSS.escape(p.field + ".") + '"]'))
      || document.getElementById("problem-general");
    const input = document.querySelector('input[data-key="' + CSS.escape(p.field) + '"]');
    const hint = input && input.type === "number" ? " (" + t("page.percent_hint") + ")" : "";
    const where = spot.id === "problem-general" && p.field ? p.field + ": " : "";
    spot.textContent = (spot.textContent ? spot.textContent + " " : "") + where + p.message + hint;
  }
  if (!problems.length) document.getElementById("problem-general").textContent = body.error;
}

function clearProblems() {
  for (const p of document.querySelectorAll(".problem")) p.textContent = "";
}

// ---------------------------------------------------------------- the form

function renderForm(sc) {
  const form = document.getElementById("form");
  form.replaceChildren();
  (sc.policy || []).forEach((p, i) => form.append(policyFields(p, "policy." + (i + 1))));
  (sc.measure || []).forEach((m, i) => form.append(measureFields(m, "measure." + (i + 1))));
}

function problemSpot(key) {
  return el("div", { class: "problem", "data-key": key });
}

function policyFields(p, key) {
  const c = state.info.choices;
  const f = el("fieldset", { class: "policy" }, el("legend", {}, t("page.policy") + ": " + p.name));
  f.append(scheduleFields(p.schedule || [], key, "page.share"));
  const comp = p.compliance;
  const compKey = typeof comp === "object" ? key + ".compliance.central" : key + ".compliance";
  const central = typeof comp === "object" ? comp.central : comp;
  if (central !== undefined) {
    f.append(el("label", {}, t("page.compliance")), percentInput(compKey, central), problemSpot(compKey));
  }
  if (typeof comp === "object") {
    const mk = key + ".compliance.model";
    f.append(el("label", {}, t("page.compliance_model")),
      el("select", { "data-key": mk, onchange: e => setEditNow(mk, e.target.value) },
        c.compliance_models.map(m => el("option", { value: m, selected: (comp.model || "iid") === m }, m))),
      problemSpot(mk));
  }
  f.append(choiceFields(key + ".employers", "page.employers", c.employers, p.employers || [], false));
  f.append(choiceFields(key + ".exempt_roles", "page.exempt_roles", c.roles, p.exempt_roles || [], false));
  f.append(choiceFields(key + ".work_regions", "page.work_regions", c.regions, p.work_regions || [], true));
  if (p.home_regions) f.append(choiceFields(key + ".home_regions", "page.home_regions", c.regions, p.home_regions, true));
  return f;
}

function measureFields(m, key) {
  const f = el("fieldset", { class: "measure" }, el("legend", {}, t("page.measure") + ": " + (m.name || m.kind) + " (" + m.kind + ")"));
  f.append(scheduleFields(m.schedule || [], key, "page.strength"));
  if (m.regions) f.append(choiceFields(key + ".regions", "page.regions", state.info.choices.regions, m.regions, true));
  return f;
}

function scheduleFields(schedule, key, shareLabel) {
  const rows = schedule.map((s, j) => {
    const k = key + ".schedule." + (j + 1);
    return [
      el("tr", {},
        el("td", {}, dateInput(k + ".from", s.from)),
        el("td", {}, dateInput(k + ".to", s.to)),
        el("td", {}, percentInput(k + ".share", s.share))),
      el("tr", {}, el("td", { colspan: 3 }, problemSpot(k + ".from"), problemSpot(k + ".to"), problemSpot(k + ".share"))),
    ];
  });
  return el("div", { class: "schedule" },
    el("div", { class: "label" }, t("page.schedule")),
    el("table", {},
      el("tr", {}, el("th", {}, t("page.from")), el("th", {}, t("page.to")), el("th", {}, t(shareLabel))),
      rows.flat()),
    problemSpot(key + ".schedule"));
}

// A fraction shown as a percent. A number field whose text is no number reads as empty:
// that empty text is sent as is, and the reader's message says a number is wanted.
function percentInput(key, fraction) {
  const shown = fraction === undefined ? "" : String(Math.round(fraction * 10000) / 100);
  const value = e => {
    const x = Number(e.target.value);
    return e.target.value.trim() !== "" && isFinite(x) ? Math.round(x * 1e6) / 1e8 : e.target.value;
  };
  return el("input", {
    type: "number", step: "any", value: shown, "data-key": key,
    oninput: e => setEdit(key, value(e)), onchange: e => setEditNow(key, value(e)),
  });
}

// A date as YYYY-MM-DD text: the same in both languages (a date field would show the
// browser's own order, 08/21/2023 in an English-US browser).
function dateInput(key, value) {
  return el("input", { type: "text", class: "date", value: value || "", "data-key": key,
    placeholder: "YYYY-MM-DD", size: 10, maxlength: 10, spellcheck: "false",
    onchange: e => setEditNow(key, e.target.value.trim()) });
}

// Check boxes over the dataset's codes (regions shown by name, employers and roles by the
// code a scenario file uses, the name as the box's title).
function choiceFields(key, label, options, chosen, showNames) {
  const box = el("div", { class: "choices", "data-key": key });
  const written = chosen.length > 0;
  const changed = () => {
    const picked = [...box.querySelectorAll("input:checked")].map(i => i.value);
    // None ticked where the file had no list: back to the file's "every region".
    if (picked.length === 0 && !written) {
      state.edits.delete(key);
      update(true);
    } else if (picked.length === 0) {
      // An empty list reads as "every region": say so rather than send it.
      box.parentNode.querySelector(".problem").textContent = t("page.none_ticked");
    } else setEditNow(key, picked);
  };
  for (const o of options) {
    box.append(el("label", { title: o.name },
      el("input", { type: "checkbox", value: o.code, checked: chosen.includes(o.code), onchange: changed }),
      " " + (showNames ? o.name : o.code)));
  }
  return el("div", { class: "choice" }, el("div", { class: "label" }, t(label)), box, problemSpot(key));
}

// ---------------------------------------------------------------- the answer

function rowOf(answer, metric, component, basis) {
  return answer.summary.find(r => r.metric === metric && r.component === component
    && r.region_basis === basis && (r.region === "all" || r.region === "dki"));
}

function renderAnswer(a) {
  const table = document.getElementById("headline");
  const unit = code => (a.labels.unit || {})[code] || code;
  table.replaceChildren(el("tr", {},
    ["page.col.what", "page.col.per_day", "page.col.total", "page.col.pct", "page.col.start"]
      .map(k => el("th", {}, t(k)))));
  for (const [label, metric, component, basis] of ROWS) {
    const r = rowOf(a, metric, component, basis);
    if (!r) continue;
    const ref = state.reference && rowOf(state.reference, metric, component, basis);
    table.append(el("tr", {
      "data-metric": metric, "data-component": component, "data-basis": basis,
      "data-total-p05": r.total_p05, "data-total-p50": r.total_p50, "data-total-p95": r.total_p95,
      "data-per-day-p50": r.per_day_p50,
    },
    el("td", {}, t(label)),
    el("td", { class: "num" }, el("b", {}, num(r.per_day_p50)), " " + unit(r.unit)),
    el("td", { class: "num" }, num(r.total_p50) + " " + unit(r.unit),
      el("div", { class: "band" }, num(r.total_p05) + " – " + num(r.total_p95))),
    el("td", { class: "num" }, num(r.pct_baseline_p50) + "%"),
    el("td", { class: "num" }, ref ? num(ref.total_p50) : "–")));
  }
  const first = a.summary[0];
  document.getElementById("answer-title").textContent = first
    ? a.title + " · " + day(first.window_start) + " – " + day(first.window_end)
    : a.title;
  verdict(a);
  chart(a);
  document.getElementById("warnings").textContent =
    a.warnings.length ? t("page.warnings") + ": " + a.warnings.join(" ") : "";
}

function verdict(a) {
  const d = a.detectability.find(r => r.comparison === "whole_window");
  const box = document.getElementById("verdict");
  if (!d) { box.textContent = ""; return; }
  const vars = { effect: num(d.effect_pct_p50, 2), mde: num(d.mde_city_pct, 2), power: num(100 * d.power_city, 0) };
  box.textContent = t(d.visible_city ? "page.verdict.visible" : "page.verdict.hidden", vars);
  box.dataset.visible = d.visible_city;
}

// The daily chart: the median and its 5–95% band, and the started-from median dashed.
function chart(a) {
  const days = a.daily.map(r => ({ date: r.date, lo: r.trips_avoided_p05, mid: r.trips_avoided_p50, hi: r.trips_avoided_p95 }));
  const ref = state.reference && state.reference !== a
    ? new Map(state.reference.daily.map(r => [r.date, r.trips_avoided_p50])) : null;
  const box = document.getElementById("chart");
  if (days.length === 0) { box.replaceChildren(); return; }
  const W = 900, H = 340, L = 80, R = 20, T = 40, B = 50;
  const scale = niceScale(Math.max(...days.map(d => d.hi), ...(ref ? [...ref.values()] : [0]), 1));
  const top = scale.top;
  const x = i => L + (W - L - R) * (days.length === 1 ? 0.5 : i / (days.length - 1));
  const y = v => T + (H - T - B) * (1 - v / top);
  const ns = "http://www.w3.org/2000/svg";
  const s = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = s("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": t("page.chart.title") });
  svg.append(s("text", { x: L, y: 22, "font-size": 17, "font-weight": "bold", fill: "rgb(30,30,30)" }, t("page.chart.title")));
  for (let v = 0; v <= top + scale.step / 2; v += scale.step) {
    svg.append(s("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "rgb(225,225,225)" }));
    svg.append(s("text", { x: L - 8, y: y(v) + 5, "text-anchor": "end", "font-size": 13, fill: "rgb(90,90,90)" }, num(v)));
  }
  let lastMonth = "";
  days.forEach((d, i) => {
    const month = d.date.slice(0, 7);
    if (month === lastMonth) return;
    lastMonth = month;
    const label = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(d.date + "T00:00:00Z"));
    svg.append(s("line", { x1: x(i), x2: x(i), y1: H - B, y2: H - B + 6, stroke: "rgb(90,90,90)" }));
    svg.append(s("text", { x: x(i), y: H - B + 22, "text-anchor": "middle", "font-size": 13, fill: "rgb(90,90,90)" }, label));
  });
  const band = days.map((d, i) => x(i) + "," + y(d.hi)).concat(days.slice().reverse().map((d, j) => x(days.length - 1 - j) + "," + y(d.lo)));
  svg.append(s("polygon", { points: band.join(" "), fill: "rgba(0,114,178,0.18)" }));
  if (ref) {
    const pts = days.map((d, i) => ref.has(d.date) ? x(i) + "," + y(ref.get(d.date)) : null).filter(Boolean);
    svg.append(s("polyline", { points: pts.join(" "), fill: "none", stroke: "rgb(90,90,90)", "stroke-width": 2, "stroke-dasharray": "6 4" }));
  }
  svg.append(s("polyline", { points: days.map((d, i) => x(i) + "," + y(d.mid)).join(" "), fill: "none", stroke: "rgb(0,114,178)", "stroke-width": 2.5 }));
  svg.append(s("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "rgb(90,90,90)" }));
  const legend = [["rgba(0,114,178,0.35)", t("page.chart.band")], ["rgb(0,114,178)", t("page.chart.median")]];
  if (ref) legend.push(["rgb(90,90,90)", t("page.chart.start")]);
  let lx = L;
  for (const [color, text] of legend) {
    svg.append(s("rect", { x: lx, y: H - 16, width: 18, height: 8, fill: color }));
    svg.append(s("text", { x: lx + 24, y: H - 8, "font-size": 13, fill: "rgb(30,30,30)" }, text));
    lx += 40 + text.length * 7.5;
  }
  box.replaceChildren(svg);
}

// A round step for about four gridlines up to `v`, and the top it reaches.
function niceScale(v) {
  const raw = v / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(x => x >= raw);
  return { step: step, top: Math.ceil(v / step) * step };
}

// ---------------------------------------------------------------- downloads

function save(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function downloadToml() {
  if (!state.current) return;
  save(new Blob([state.current.toml], { type: "application/toml" }), state.current.name + ".toml");
}

// The briefing of what the page shows: only once its answer is in (not while an edit is
// pending or after a refused one), one download at a time.
async function downloadBriefing(format) {
  const note = document.getElementById("download-state");
  if (!state.current || document.getElementById("progress").dataset.state !== "done") {
    note.textContent = t("page.wait_answer");
    return;
  }
  const buttons = document.querySelectorAll("#download-html, #download-xlsx");
  const file = format === "html" ? "briefing.html" : "briefing.xlsx";
  const name = state.current.name + "-" + file;
  note.textContent = t("page.preparing", { file: file, n: replicates() });
  buttons.forEach(b => { b.disabled = true; });
  try {
    const r = await fetch("/api/briefing?format=" + format + "&replicates=" + replicates() + "&lang=" + LANG, {
      method: "POST", headers: { "Content-Type": "application/toml" }, body: state.current.toml,
    });
    if (!r.ok) { note.textContent = (await r.json()).error; return; }
    save(await r.blob(), name);
    note.textContent = "";
  } catch (e) {
    note.textContent = String(e.message || e);
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}

boot().catch(e => progress("error", 0, state.edit, String(e.message || e)));
