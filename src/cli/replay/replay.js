// Myco replay: decodes the frames embedded in this page and draws them on a
// canvas. Frames are deltas (changed cells only) with a keyframe every
// meta.keyframeEvery frames; seeking rebuilds from the nearest keyframe.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("myco-data").textContent);
  const meta = data.meta;
  const frames = data.frames;
  const K = meta.keyframeEvery;
  const S = meta.posScale;
  const KIND_COLORS = ["#5fa8d3", "#f4a259", "#8cc084", "#e76f6f", "#b38fd9",
    "#62c4b8", "#f2d16b", "#ff9fb5", "#c49a6c", "#a0a8b4"];
  const MEMBRANE_COLORS = ["#ffffff", "#ffd166", "#06d6a0", "#ef476f", "#4cc9f0", "#f72585"];
  const CAUSE_COLORS = ["#c0c6cf", "#f4a261", "#ff3b5c", "#c77dff"];
  const DEATH_TRAIL = 8; // ticks a death mark stays visible
  const kindColor = (k) => KIND_COLORS[k % KIND_COLORS.length];
  const membraneColor = (m) => MEMBRANE_COLORS[m % MEMBRANE_COLORS.length];

  // ---- decoding ----------------------------------------------------------
  let state = new Map(); // id -> [kind, x, y, energyLevel, flags]
  let stateFrame = -1;
  function applyFrame(i) {
    const f = frames[i];
    if (f.k) state = new Map();
    const c = f.c;
    let id = 0;
    for (let j = 0; j < c.length; j += 6) {
      id += c[j];
      state.set(id, [c[j + 1], c[j + 2], c[j + 3], c[j + 4], c[j + 5]]);
    }
    if (f.m) {
      // Moves: LEB128 id delta, then dx and dy as int8.
      const bin = atob(f.m);
      let p = 0, mid = 0;
      while (p < bin.length) {
        let v = 0, shift = 0, b;
        do { b = bin.charCodeAt(p++); v += (b & 127) * Math.pow(2, shift); shift += 7; } while (b & 128);
        mid += v;
        const dx = (bin.charCodeAt(p++) << 24) >> 24, dy = (bin.charCodeAt(p++) << 24) >> 24;
        const s = state.get(mid);
        if (s) { s[1] += dx; s[2] += dy; }
      }
    }
    if (f.r) {
      let r = 0;
      for (const d of f.r) { r += d; state.delete(r); }
    }
  }
  function goTo(i) {
    i = Math.max(0, Math.min(frames.length - 1, i | 0));
    if (i === stateFrame) return;
    const key = Math.floor(i / K) * K;
    const start = stateFrame >= key && i > stateFrame ? stateFrame + 1 : key;
    for (let j = start; j <= i; j++) applyFrame(j);
    stateFrame = i;
  }
  // Latest frame (<= i) that stored bonds / heat.
  const bondFrame = new Int32Array(frames.length);
  let maxLevel = 1;
  for (let i = 0, last = -1; i < frames.length; i++) {
    if (frames[i].b) last = i;
    bondFrame[i] = last;
  }
  // frames[i].c holds groups of six; index 4 of a group is the energy level.
  for (const f of frames) {
    const c = f.c;
    for (let j = 4; j < c.length; j += 6) if (c[j] > maxLevel) maxLevel = c[j];
  }
  const energyOf = (level) => Math.pow(2, level / 4) - 1;

  // ---- view ---------------------------------------------------------------
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  const view = { cx: 0, cy: 0, scale: 1, fitScale: 1 };
  let current = 0;
  let selected = null;
  let showHeat = true;
  let cellsDrawn = 0;
  const heatCanvas = document.createElement("canvas");
  const heatCtx = heatCanvas.getContext("2d");

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    for (const c of document.querySelectorAll("canvas")) {
      if (c === heatCanvas) continue;
      const r = c.getBoundingClientRect();
      c.width = Math.max(1, Math.round(r.width * dpr));
      c.height = Math.max(1, Math.round(r.height * dpr));
    }
  }
  function fit() {
    const [x0, y0, x1, y1] = meta.bounds;
    const w = Math.max(x1 - x0, 1), h = Math.max(y1 - y0, 1);
    view.cx = (x0 + x1) / 2;
    view.cy = (y0 + y1) / 2;
    view.scale = Math.min(canvas.width / (w * 1.15), canvas.height / (h * 1.15));
    if (!isFinite(view.scale) || view.scale <= 0) view.scale = 1;
    view.fitScale = view.scale;
  }
  const toScreen = (x, y) => [(x - view.cx) * view.scale + canvas.width / 2,
    canvas.height / 2 - (y - view.cy) * view.scale];
  const toWorld = (sx, sy) => [(sx - canvas.width / 2) / view.scale + view.cx,
    view.cy - (sy - canvas.height / 2) / view.scale];
  function radius(level) {
    const dpr = window.devicePixelRatio || 1;
    const zoom = Math.sqrt(view.scale / view.fitScale);
    const base = cellCountHint > 2000 ? 1.2 : cellCountHint > 300 ? 2.2 : 4;
    const r = (base + base * 1.6 * (level / maxLevel)) * Math.min(Math.max(zoom, 0.5), 6);
    return Math.max(1, r) * dpr;
  }
  let cellCountHint = 0;

  function heatColor(v) {
    // 0..1 -> transparent purple -> magenta -> amber -> pale yellow.
    const stops = [[59, 47, 127], [194, 65, 122], [246, 179, 58], [255, 246, 168]];
    const t = Math.min(1, Math.max(0, v)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(t));
    const u = t - i;
    const a = stops[i], b = stops[i + 1];
    return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
  }
  function drawHeat(f) {
    if (!showHeat || !f.h) return;
    const [x0, y0, cell, nx, ny, max, levels] = f.h;
    if (!(max > 0)) return;
    heatCanvas.width = nx;
    heatCanvas.height = ny;
    const img = heatCtx.createImageData(nx, ny);
    // Colour by where a sample lies between the frame's minimum and maximum,
    // so a field that is strong everywhere still shows its shape; a flat
    // field is a faint wash.
    const lv = new Float32Array(nx * ny);
    let lo = 63;
    for (let k = 0; k < nx * ny; k++) { lv[k] = meta.levelChars.indexOf(levels[k]); if (lv[k] < lo) lo = lv[k]; }
    const flat = 63 - lo < 4;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = flat ? 0.15 : (lv[j * nx + i] - lo) / (63 - lo);
        const [r, g, b] = heatColor(v);
        const o = ((ny - 1 - j) * nx + i) * 4; // rows go up in the world
        img.data[o] = r; img.data[o + 1] = g; img.data[o + 2] = b;
        // Fade out towards the grid's border, so the sampled area has no hard edge.
        const edge = Math.min(i, j, nx - 1 - i, ny - 1 - j);
        const fade = Math.min(1, (edge + 0.5) / 4);
        img.data[o + 3] = Math.round(Math.min(1, v * 1.4) * 165 * fade);
      }
    }
    heatCtx.putImageData(img, 0, 0);
    const [sx0, sy1] = toScreen(x0, y0);
    const [sx1, sy0] = toScreen(x0 + nx * cell, y0 + ny * cell);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatCanvas, sx0, sy0, sx1 - sx0, sy1 - sy0);
  }

  function draw() {
    goTo(current);
    const f = frames[current];
    cellCountHint = state.size;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#0e1116";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawGrid();
    drawHeat(f);
    const dpr = window.devicePixelRatio || 1;

    // Bonds.
    const bf = bondFrame[current];
    const bonds = bf >= 0 ? frames[bf].b : [];
    if (bonds.length) {
      ctx.strokeStyle = "rgba(170, 190, 210, 0.55)";
      ctx.lineWidth = 1.2 * dpr;
      ctx.beginPath();
      for (let j = 0; j + 1 < bonds.length; j += 2) {
        const a = state.get(bonds[j]), b = state.get(bonds[j + 1]);
        if (!a || !b) continue;
        const [ax, ay] = toScreen(a[1] / S, a[2] / S);
        const [bx, by] = toScreen(b[1] / S, b[2] / S);
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
      }
      ctx.stroke();
    }

    // Cells, batched per kind (awake, then asleep dimmed), then membranes.
    const byKind = meta.kinds.map(() => ({ awake: [], asleep: [] }));
    const byMembrane = meta.membranes.map(() => []);
    const W = canvas.width, H = canvas.height;
    let drawn = 0;
    for (const [id, c] of state) {
      const [sx, sy] = toScreen(c[1] / S, c[2] / S);
      const r = radius(c[3]);
      drawn++;
      if (sx < -r || sy < -r || sx > W + r || sy > H + r) continue;
      const bucket = byKind[c[0]] || byKind[0];
      if (!bucket) continue;
      (c[4] & 1 ? bucket.asleep : bucket.awake).push(sx, sy, r);
      const m = c[4] >> 1;
      if (m > 0 && byMembrane[m - 1]) byMembrane[m - 1].push(sx, sy, r);
    }
    // The most numerous kinds first, so rare kinds stay visible on top.
    const order = byKind.map((b, k) => k).sort((a, b) =>
      (byKind[b].awake.length + byKind[b].asleep.length) - (byKind[a].awake.length + byKind[a].asleep.length));
    order.forEach((k) => {
      const b = byKind[k];
      for (const [list, alpha] of [[b.awake, 0.92], [b.asleep, 0.35]]) {
        if (!list.length) continue;
        ctx.globalAlpha = alpha;
        ctx.fillStyle = kindColor(k);
        ctx.beginPath();
        for (let j = 0; j < list.length; j += 3) {
          ctx.moveTo(list[j] + list[j + 2], list[j + 1]);
          ctx.arc(list[j], list[j + 1], list[j + 2], 0, Math.PI * 2);
        }
        ctx.fill();
      }
    });
    ctx.globalAlpha = 1;
    byMembrane.forEach((list, m) => {
      if (!list.length) return;
      ctx.strokeStyle = membraneColor(m);
      ctx.lineWidth = 1.6 * dpr;
      ctx.setLineDash(m % 2 ? [3 * dpr, 2 * dpr] : []);
      ctx.beginPath();
      for (let j = 0; j < list.length; j += 3) {
        ctx.moveTo(list[j] + list[j + 2] + 1.5 * dpr, list[j + 1]);
        ctx.arc(list[j], list[j + 1], list[j + 2] + 1.5 * dpr, 0, Math.PI * 2);
      }
      ctx.stroke();
    });
    ctx.setLineDash([]);

    // Deaths of the last few ticks, by cause.
    for (let i = Math.max(0, current - DEATH_TRAIL + 1); i <= current; i++) {
      const d = frames[i].d;
      if (!d) continue;
      ctx.globalAlpha = 1 - (current - i) / DEATH_TRAIL;
      ctx.lineWidth = 2 * dpr;
      for (let j = 0; j + 3 < d.length; j += 4) {
        const [sx, sy] = toScreen(d[j + 2] / S, d[j + 3] / S);
        const s = 5 * dpr;
        ctx.strokeStyle = CAUSE_COLORS[d[j + 1]] || "#fff";
        ctx.beginPath();
        ctx.moveTo(sx - s, sy - s); ctx.lineTo(sx + s, sy + s);
        ctx.moveTo(sx + s, sy - s); ctx.lineTo(sx - s, sy + s);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;

    // The selected cell.
    if (selected !== null && state.has(selected)) {
      const c = state.get(selected);
      const [sx, sy] = toScreen(c[1] / S, c[2] / S);
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath();
      ctx.arc(sx, sy, radius(c[3]) + 5 * dpr, 0, Math.PI * 2);
      ctx.stroke();
    }

    cellsDrawn = drawn;
    document.body.dataset.cellsDrawn = String(drawn);
    document.body.dataset.tick = String(f.t);
    document.body.dataset.frame = String(current);
    document.getElementById("tick").textContent =
      "tick " + f.t + " / " + frames[frames.length - 1].t + " \u00b7 " + drawn + " cells";
    document.getElementById("slider").value = String(current);
    drawPlots();
    renderPanel();
  }

  function drawGrid() {
    // Light grid lines every power of ten that gives >= 40px spacing.
    const dpr = window.devicePixelRatio || 1;
    let step = Math.pow(10, Math.ceil(Math.log10(40 * dpr / view.scale)));
    if (!isFinite(step) || step <= 0) return;
    const [wx0, wy1] = toWorld(0, 0);
    const [wx1, wy0] = toWorld(canvas.width, canvas.height);
    ctx.strokeStyle = "rgba(255,255,255,0.04)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = Math.floor(wx0 / step) * step; x <= wx1; x += step) {
      const [sx] = toScreen(x, 0);
      ctx.moveTo(sx, 0); ctx.lineTo(sx, canvas.height);
    }
    for (let y = Math.floor(wy0 / step) * step; y <= wy1; y += step) {
      const [, sy] = toScreen(0, y);
      ctx.moveTo(0, sy); ctx.lineTo(canvas.width, sy);
    }
    ctx.stroke();
  }

  // ---- plots --------------------------------------------------------------
  const series = meta.series;
  const num = (v) => (typeof v === "number" ? v : parseFloat(v) || 0);
  function plot(canvasId, lines) {
    const c = document.getElementById(canvasId);
    const g = c.getContext("2d");
    const dpr = window.devicePixelRatio || 1;
    const W = c.width, H = c.height;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, W, H);
    const pad = { l: 44 * dpr, r: 8 * dpr, t: 6 * dpr, b: 16 * dpr };
    const n = series.t.length;
    let lo = 0, hi = 0;
    for (const l of lines) for (const v of l.values) { if (v > hi) hi = v; if (v < lo) lo = v; }
    if (hi === lo) hi = lo + 1;
    const x = (i) => pad.l + (n > 1 ? i / (n - 1) : 0) * (W - pad.l - pad.r);
    const y = (v) => H - pad.b - ((v - lo) / (hi - lo)) * (H - pad.t - pad.b);
    g.font = 10 * dpr + "px system-ui, sans-serif";
    g.fillStyle = "#6b7585";
    g.textAlign = "right";
    g.fillText(fmt(hi), pad.l - 4 * dpr, pad.t + 8 * dpr);
    g.fillText(fmt(lo), pad.l - 4 * dpr, H - pad.b);
    g.textAlign = "left";
    g.fillText("tick " + series.t[0], pad.l, H - 3 * dpr);
    g.textAlign = "right";
    g.fillText("tick " + series.t[n - 1], W - pad.r, H - 3 * dpr);
    g.strokeStyle = "#2a303b";
    g.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
    for (const l of lines) {
      g.strokeStyle = l.color;
      g.lineWidth = 1.5 * dpr;
      g.beginPath();
      l.values.forEach((v, i) => (i ? g.lineTo(x(i), y(v)) : g.moveTo(x(i), y(v))));
      g.stroke();
    }
    g.strokeStyle = "rgba(255,255,255,0.6)";
    g.lineWidth = 1 * dpr;
    g.beginPath();
    g.moveTo(x(current), pad.t);
    g.lineTo(x(current), H - pad.b);
    g.stroke();
    // Current values, top-left.
    g.textAlign = "left";
    let tx = pad.l + 6 * dpr;
    for (const l of lines) {
      const label = (l.name ? l.name + " " : "") + fmt(l.values[current]);
      g.fillStyle = l.color;
      g.fillText(label, tx, pad.t + 10 * dpr);
      tx += g.measureText(label).width + 10 * dpr;
    }
  }
  function fmt(v) {
    if (v === undefined || v === null || !isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(1) + "k";
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(a >= 100 ? 0 : 2);
  }
  const popLines = meta.kinds.map((name, k) => ({
    name, color: kindColor(k), values: series.alive.map((row) => row[k] || 0),
  }));
  const energyLine = [{ name: "", color: "#ebcb8b", values: series.energy.map(num) }];
  const reportedLine = [{ name: "", color: "#a3be8c", values: series.reported.map(num) }];
  function drawPlots() {
    plot("plot-pop", popLines);
    plot("plot-energy", energyLine);
    plot("plot-reported", reportedLine);
  }

  // ---- legend and panel ---------------------------------------------------
  function buildLegend() {
    const el = document.getElementById("legend");
    const rows = [];
    rows.push("<h2>Kinds</h2>");
    meta.kinds.forEach((k, i) => rows.push(
      `<div class="legend-row"><span class="swatch" style="background:${kindColor(i)}"></span>${esc(k)}</div>`));
    rows.push('<div class="legend-row muted">size: energy &middot; faded: asleep</div>');
    if (meta.membranes.length) {
      rows.push("<h2>Membranes</h2>");
      meta.membranes.forEach((m, i) => rows.push(
        `<div class="legend-row"><span class="swatch ring" style="border-color:${membraneColor(i)};${i % 2 ? "border-style:dashed" : ""}"></span>${esc(m)}</div>`));
    }
    rows.push("<h2>Deaths</h2>");
    meta.causes.forEach((c, i) => rows.push(
      `<div class="legend-row"><span class="swatch cross" style="color:${CAUSE_COLORS[i]}"></span>${esc(c)}</div>`));
    if (meta.gradient) {
      rows.push(`<h2>Gradient ${esc(meta.gradient)}</h2><div class="heatbar"></div>`);
      rows.push('<div class="legend-row muted">from the frame\'s weakest to its strongest</div>');
    }
    el.innerHTML = rows.join("");
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch]));
  }
  function detailsOf(id) {
    for (let i = current; i >= 0; i--) {
      const f = frames[i].f;
      if (f && f[id]) return { tick: frames[i].t, d: f[id] };
    }
    return null;
  }
  function renderPanel() {
    const el = document.getElementById("panel");
    if (selected === null) return;
    const c = state.get(selected);
    const t = frames[current].t;
    if (!c) {
      el.innerHTML = `<h2>Cell</h2><p class="cellname">#${selected}</p><p class="muted">not alive at tick ${t}</p>`;
      el.dataset.cell = String(selected);
      return;
    }
    const info = detailsOf(selected);
    const rows = [
      ["kind", esc(meta.kinds[c[0]] || "?")],
      ["pos", `(${(c[1] / S).toFixed(1)}, ${(c[2] / S).toFixed(1)})`],
    ];
    const m = c[4] >> 1;
    rows.push(["membrane", m > 0 ? esc(meta.membranes[m - 1] || "?") : "none"]);
    if (info) {
      const [energy, ratio, asleep, bonds, fields, age, starving, strikes] = info.d;
      rows.push(["energy", fmtNum(energy)]);
      rows.push(["W/E", fmtNum(ratio)]);
      rows.push(["asleep", String(asleep)]);
      rows.push(["bonds", bonds.length ? bonds.map((b) => "#" + b).join(" ") : "none"]);
      rows.push(["age", String(age)]);
      rows.push(["starving", String(starving)]);
      rows.push(["strikes", String(strikes)]);
      for (const [k, v] of Object.entries(fields)) rows.push(["." + esc(k), esc(JSON.stringify(v))]);
      if (info.tick !== t) rows.push(["as of", `tick ${info.tick} (details every ${meta.detailEvery} ticks)`]);
    } else {
      rows.push(["energy", "\u2248 " + fmtNum(energyOf(c[3]))]);
      rows.push(["asleep", String(Boolean(c[4] & 1))]);
    }
    el.innerHTML = `<h2>Cell at tick ${t}</h2><p class="cellname" style="color:${kindColor(c[0])}">#${selected} ${esc(meta.kinds[c[0]] || "")}</p>` +
      "<table>" + rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join("") + "</table>";
    el.dataset.cell = String(selected);
  }
  const fmtNum = (v) => (typeof v === "number" ? (Number.isInteger(v) ? v.toFixed(1) : String(+v.toFixed(4))) : String(v));

  // ---- interaction --------------------------------------------------------
  const slider = document.getElementById("slider");
  slider.max = String(frames.length - 1);
  slider.addEventListener("input", () => { current = +slider.value; draw(); });
  let playing = false, last = 0, acc = 0;
  const playBtn = document.getElementById("play");
  function setPlaying(p) {
    playing = p;
    playBtn.innerHTML = p ? "&#10074;&#10074; Pause" : "&#9654; Play";
    if (p) { if (current >= frames.length - 1) current = 0; last = performance.now(); acc = 0; requestAnimationFrame(loop); }
  }
  function loop(now) {
    if (!playing) return;
    const speed = +document.getElementById("speed").value;
    acc += (now - last) / 1000 * speed;
    last = now;
    if (acc >= 1) {
      const step = Math.floor(acc);
      acc -= step;
      current = Math.min(frames.length - 1, current + step);
      draw();
      if (current >= frames.length - 1) { setPlaying(false); return; }
    }
    requestAnimationFrame(loop);
  }
  playBtn.addEventListener("click", () => setPlaying(!playing));
  document.getElementById("heat").addEventListener("change", (e) => { showHeat = e.target.checked; draw(); });
  document.getElementById("fit").addEventListener("click", () => { fit(); draw(); });
  window.addEventListener("keydown", (e) => {
    // The slider and the speed menu handle their own keys.
    if (e.target && (e.target.tagName === "SELECT" || (e.target.tagName === "INPUT" && e.key !== " "))) return;
    if (e.key === " ") { e.preventDefault(); setPlaying(!playing); }
    else if (e.key === "ArrowRight") { current = Math.min(frames.length - 1, current + 1); draw(); }
    else if (e.key === "ArrowLeft") { current = Math.max(0, current - 1); draw(); }
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const dpr = window.devicePixelRatio || 1;
    const r = canvas.getBoundingClientRect();
    const sx = (e.clientX - r.left) * dpr, sy = (e.clientY - r.top) * dpr;
    const [wx, wy] = toWorld(sx, sy);
    view.scale *= Math.exp(-e.deltaY * 0.0015);
    const [nx, ny] = toWorld(sx, sy);
    view.cx += wx - nx;
    view.cy += wy - ny;
    draw();
  }, { passive: false });
  let drag = null;
  canvas.addEventListener("mousedown", (e) => { drag = { x: e.clientX, y: e.clientY, cx: view.cx, cy: view.cy, moved: false }; });
  window.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    const dpr = window.devicePixelRatio || 1;
    view.cx = drag.cx - dx * dpr / view.scale;
    view.cy = drag.cy + dy * dpr / view.scale;
    draw();
  });
  window.addEventListener("mouseup", (e) => {
    if (drag && !drag.moved && e.target === canvas) pick(e.clientX, e.clientY);
    drag = null;
  });
  function pick(clientX, clientY) {
    const dpr = window.devicePixelRatio || 1;
    const r = canvas.getBoundingClientRect();
    const sx = (clientX - r.left) * dpr, sy = (clientY - r.top) * dpr;
    let best = null, bestD = Infinity;
    for (const [id, c] of state) {
      const [cx, cy] = toScreen(c[1] / S, c[2] / S);
      const d = Math.hypot(cx - sx, cy - sy);
      if (d < bestD && d <= radius(c[3]) + 6 * dpr) { best = id; bestD = d; }
    }
    select(best);
  }
  function select(id) {
    selected = id;
    if (id === null) {
      document.getElementById("panel").innerHTML = '<h2>Cell</h2><p class="muted">Click a cell to see its fields, energy, W/E, bonds and sleep state.</p>';
      delete document.getElementById("panel").dataset.cell;
    }
    draw();
  }
  window.addEventListener("resize", () => { resize(); fit(); draw(); });

  // ---- for tests and the console -----------------------------------------
  window.mycoReplay = {
    frameCount: frames.length,
    ticks: frames.map((f) => f.t),
    meta,
    cellsAt(i) { goTo(i); return state.size; },
    seek(i) { current = Math.max(0, Math.min(frames.length - 1, i | 0)); draw(); return frames[current].t; },
    select(id) { select(id); return document.getElementById("panel").textContent; },
    cellsDrawn() { return cellsDrawn; },
    cellIds() { goTo(current); return Array.from(state.keys()); },
    // Cell `id`'s world position at the current frame (as quantized).
    cellPos(id) { goTo(current); const c = state.get(id); return c ? [c[1] / S, c[2] / S] : null; },
    // The client (CSS pixel) position of cell `id` at the current frame.
    cellClientPos(id) {
      goTo(current);
      const c = state.get(id);
      if (!c) return null;
      const dpr = window.devicePixelRatio || 1;
      const r = canvas.getBoundingClientRect();
      const [sx, sy] = toScreen(c[1] / S, c[2] / S);
      return { x: r.left + sx / dpr, y: r.top + sy / dpr };
    },
  };

  document.getElementById("title").textContent = meta.title;
  buildLegend();
  resize();
  fit();
  draw();
  document.body.dataset.ready = "1";
})();
