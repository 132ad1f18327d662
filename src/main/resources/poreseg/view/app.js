// poreseg view: the browser side. Plain JavaScript, no build step, no external resources.
// The server sends 8-bit grey PNGs per slice and layer; colours, opacity and the error overlay are
// composed here, so changing them needs no new request. Labels are edited here and sent back as raw
// bytes per slice (255 pore, 0 solid, 128 unlabelled); the server writes the label TIFF.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const PORE = 255, SOLID = 0, UNLABELLED = 128;

  // Overlay layers, drawn in this order over the image. kind: binary (value >= 128 is pore),
  // fraction (value / 255 is the strength), errors (from a prediction and the truth), labels.
  const LAYERS = [
    { id: 'mask', name: 'prediction (mask)', color: [0, 200, 255], kind: 'binary', opacity: 0.4 },
    { id: 'model', name: 'model prediction', color: [0, 150, 255], kind: 'binary', opacity: 0.4, computed: true },
    { id: 'prob', name: 'probability', color: [255, 225, 0], kind: 'fraction', opacity: 0.6 },
    { id: 'uncertainty', name: 'uncertainty', color: [170, 90, 255], kind: 'fraction', opacity: 0.7 },
    { id: 'truth', name: 'truth', color: [0, 230, 90], kind: 'binary', opacity: 0.35 },
    { id: 'errors', name: 'errors: false pore / missed pore', color: [255, 50, 50], color2: [255, 160, 0], kind: 'errors', opacity: 0.75 },
    { id: 'tuned', name: 'fine-tuned prediction', color: [255, 110, 200], kind: 'binary', opacity: 0.45, computed: true },
    { id: 'labels', name: 'labels: pore / solid', color: [255, 40, 150], color2: [40, 170, 255], kind: 'labels', opacity: 0.65 },
  ];

  const S = {
    info: null, w: 0, h: 0, z: 0,
    zoom: 1, panX: 0, panY: 0,
    tool: 'pore', brush: 8,
    layers: {},          // id -> {on, opacity, available}
    data: null,          // {z, image, mask, ...} grey Uint8Arrays of the shown slice
    labels: null,        // Uint8Array of the shown slice's labels (edited in place)
    dirty: false, undo: [],
    compare: false,
    saves: 0,
  };
  const view = $('view');
  const ctx = view.getContext('2d');
  const comp = document.createElement('canvas');   // composed slice, image resolution
  const comp2 = document.createElement('canvas');  // the "after" side in compare mode
  const scratch = document.createElement('canvas');
  let compData = null, comp2Data = null;

  function status(msg, error) {
    const el = $('status');
    el.textContent = msg;
    el.className = error ? 'error' : '';
  }

  async function api(url, opts) {
    const r = await fetch(url, Object.assign({ credentials: 'same-origin' }, opts || {}));
    if (!r.ok) {
      throw new Error((await r.text()).trim() || (r.status + ' ' + r.statusText));
    }
    return r;
  }

  // ---- loading slices ---------------------------------------------------------------------------
  function contrastQuery() {
    if ($('autoContrast').checked) {
      return 'auto=' + encodeURIComponent($('autoPct').value || '0.35');
    }
    return 'lo=' + encodeURIComponent($('lo').value) + '&hi=' + encodeURIComponent($('hi').value);
  }

  async function fetchGrey(z, id) {
    const url = id === 'image' ? `api/slice/${z}/image.png?${contrastQuery()}` : `api/slice/${z}/${id}.png`;
    const r = await api(url);
    const contrast = r.headers.get('X-Contrast');
    const scale = r.headers.get('X-Scale');
    const bmp = await createImageBitmap(await r.blob(), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    scratch.width = bmp.width;
    scratch.height = bmp.height;
    const sctx = scratch.getContext('2d', { willReadFrequently: true });
    sctx.drawImage(bmp, 0, 0);
    bmp.close();
    const rgba = sctx.getImageData(0, 0, scratch.width, scratch.height).data;
    const grey = new Uint8Array(rgba.length / 4);
    for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
      grey[i] = rgba[j];
    }
    return { grey, contrast, scale };
  }

  function wanted() {
    const ids = ['image', 'labels'];
    for (const L of LAYERS) {
      const st = S.layers[L.id];
      if (L.kind === 'errors' || L.kind === 'labels' || !st.available) {
        continue;
      }
      if (st.on || (L.id === 'truth' && S.layers.errors.on) || (L.id === errorSource() && S.layers.errors.on)
          || (S.compare && (L.id === 'tuned' || L.id === beforeLayer()))) {
        ids.push(L.id);
      }
    }
    return ids;
  }

  function errorSource() {
    return S.layers.mask.available ? 'mask' : 'model';
  }

  function beforeLayer() {
    return S.layers.mask.available ? 'mask' : 'model';
  }

  let loading = false;
  let want = null;

  function goTo(z) {
    if (!S.info) {
      return;
    }
    z = Math.max(0, Math.min(S.info.slices - 1, z | 0));
    S.z = z;
    $('slice').value = z;
    $('sliceLabel').textContent = `${z + 1} / ${S.info.slices}`;
    want = z;
    pump();
    drawPlot();
  }

  async function pump() {
    if (loading) {
      return;
    }
    loading = true;
    try {
      while (want !== null) {
        const z = want;
        want = null;
        try {
          await loadSlice(z);
        } catch (e) {
          status(`slice ${z + 1}: ${e.message}`, true);
        }
      }
    } finally {
      loading = false;
    }
  }

  async function loadSlice(z, only) {
    await flushLabels();
    const t0 = performance.now();
    const ids = only || wanted();
    const computed = ids.filter((id) => LAYERS.some((L) => L.id === id && L.computed) && !(S.data && S.data.z === z && S.data[id]));
    if (computed.length) {
      // the first prediction of a stack also chooses its scale (the bundled model: up to 8 sample slices
      // at every scale, about half a minute for 1024x1024 slices on 2 cores)
      status(`slice ${z + 1}: running the model${S.modelRan ? '' : ' (the first time it may also choose the stack\'s scale from sample slices)'}...`);
      S.modelRan = true;
    }
    const got = await Promise.all(ids.map((id) => (only || !(S.data && S.data.z === z && S.data[id] && id !== 'image' && id !== 'labels')
      ? fetchGrey(z, id) : Promise.resolve({ grey: S.data[id] }))));
    const data = only && S.data && S.data.z === z ? S.data : { z };
    ids.forEach((id, i) => { data[id] = got[i].grey; });
    if (got[0].contrast && ids[0] === 'image') {
      const [lo, hi] = got[0].contrast.split(',');
      if ($('autoContrast').checked) {
        $('lo').value = lo;
        $('hi').value = hi;
      }
    }
    S.data = data;
    if (ids.includes('labels')) {
      S.labels = data.labels;
      S.dirty = false;
    }
    compose();
    draw();
    document.body.dataset.loaded = String(z);
    // the scale a scale-selecting model runs this stack at (the bundled model's default)
    S.scaleOf = S.scaleOf || {};
    ids.forEach((id, i) => { if (got[i].scale) S.scaleOf[id] = got[i].scale; });
    const scales = ids.filter((id) => S.scaleOf[id]).map((id) => `${id === 'tuned' ? 'fine-tuned model' : 'model'} at scale ${S.scaleOf[id]}`);
    status(`slice ${z + 1} / ${S.info.slices} loaded in ${Math.round(performance.now() - t0)} ms${scales.length ? '; ' + scales.join(', ') : ''}`);
    if (computed.length) {
      refreshPlot();
    }
  }

  // ---- composing layers -------------------------------------------------------------------------
  function compose(x0 = 0, y0 = 0, x1 = S.w, y1 = S.h) {
    if (!S.data || !S.data.image) {
      return;
    }
    compData = composeInto(comp, compData, x0, y0, x1, y1, S.compare ? 'before' : null);
    if (S.compare) {
      comp2Data = composeInto(comp2, comp2Data, x0, y0, x1, y1, 'after');
    }
  }

  function composeInto(canvas, img, x0, y0, x1, y1, side) {
    const w = S.w;
    if (canvas.width !== w || canvas.height !== S.h || !img) {
      canvas.width = w;
      canvas.height = S.h;
      img = canvas.getContext('2d').createImageData(w, S.h);
    }
    const out = img.data;
    const d = S.data;
    const active = [];
    for (const L of LAYERS) {
      const st = S.layers[L.id];
      let on = st.on && st.available;
      if (side === 'before' && L.id === 'tuned') {
        on = false;
      }
      if (side === 'after' && (L.id === 'mask' || L.id === 'model')) {
        on = false;
      }
      if (side === 'after' && L.id === 'tuned') {
        on = true;
      }
      if (side === 'before' && L.id === beforeLayer() && st.available) {
        on = true;
      }
      if (!on) {
        continue;
      }
      if (L.kind === 'errors') {
        const pred = side === 'after' ? d.tuned : d[errorSource()];
        if (pred && d.truth) {
          active.push({ L, a: st.opacity, pred, truth: d.truth });
        }
      } else if (L.kind === 'labels') {
        if (S.labels) {
          active.push({ L, a: st.opacity, v: S.labels });
        }
      } else if (d[L.id]) {
        active.push({ L, a: st.opacity, v: d[L.id] });
      }
    }
    const base = d.image;
    for (let y = y0; y < y1; y++) {
      for (let x = x0, i = y * w + x0; x < x1; x++, i++) {
        let r = base[i], g = r, b = r;
        for (let k = 0; k < active.length; k++) {
          const A = active[k];
          const L = A.L;
          let a = 0, c = L.color;
          if (L.kind === 'binary') {
            a = A.v[i] >= 128 ? A.a : 0;
          } else if (L.kind === 'fraction') {
            a = A.a * A.v[i] / 255;
          } else if (L.kind === 'labels') {
            const v = A.v[i];
            if (v === PORE) {
              a = A.a;
            } else if (v === SOLID) {
              a = A.a;
              c = L.color2;
            }
          } else {
            const p = A.pred[i] >= 128, t = A.truth[i] >= 128;
            if (p && !t) {
              a = A.a;
            } else if (t && !p) {
              a = A.a;
              c = L.color2;
            }
          }
          if (a > 0) {
            r += (c[0] - r) * a;
            g += (c[1] - g) * a;
            b += (c[2] - b) * a;
          }
        }
        const j = i * 4;
        out[j] = r;
        out[j + 1] = g;
        out[j + 2] = b;
        out[j + 3] = 255;
      }
    }
    canvas.getContext('2d').putImageData(img, 0, 0, x0, y0, x1 - x0, y1 - y0);
    return img;
  }

  // ---- drawing and the view transform ----------------------------------------------------------
  function resize() {
    const r = view.getBoundingClientRect();
    view.width = Math.max(1, Math.round(r.width));
    view.height = Math.max(1, Math.round(r.height));
    const p = $('plot');
    const pr = p.getBoundingClientRect();
    p.width = Math.max(1, Math.round(pr.width));
    p.height = Math.max(1, Math.round(pr.height));
    draw();
    drawPlot();
  }

  function panes() {
    return S.compare ? 2 : 1;
  }

  function fit() {
    if (!S.info) {
      return;
    }
    const pw = view.width / panes();
    S.zoom = Math.min(pw / S.w, view.height / S.h) * 0.98;
    S.panX = (pw - S.w * S.zoom) / 2;
    S.panY = (view.height - S.h * S.zoom) / 2;
    draw();
  }

  let cursor = null;

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, view.width, view.height);
    if (!S.data) {
      return;
    }
    const pw = view.width / panes();
    const sources = S.compare ? [comp, comp2] : [comp];
    sources.forEach((src, k) => {
      ctx.save();
      ctx.beginPath();
      ctx.rect(k * pw, 0, pw, view.height);
      ctx.clip();
      ctx.imageSmoothingEnabled = S.zoom < 1;
      ctx.setTransform(S.zoom, 0, 0, S.zoom, S.panX + k * pw, S.panY);
      ctx.drawImage(src, 0, 0);
      ctx.restore();
      if (S.compare) {
        ctx.fillStyle = 'rgba(0,0,0,.6)';
        ctx.fillRect(k * pw + 6, 6, 150, 20);
        ctx.fillStyle = '#fff';
        ctx.font = '12px system-ui, sans-serif';
        ctx.fillText(k === 0 ? 'before fine-tuning' : 'after fine-tuning', k * pw + 12, 20);
      }
    });
    if (S.compare) {
      ctx.fillStyle = '#555';
      ctx.fillRect(pw - 1, 0, 2, view.height);
    }
    if (boxDrag) {
      const px = boxPixels(boxDrag);
      const a = imageToScreenLocal(px.x0, px.y0);
      const b = imageToScreenLocal(px.x1 + 1, px.y1 + 1);
      ctx.strokeStyle = '#ffd400';
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(a.x + 0.5, a.y + 0.5, b.x - a.x, b.y - a.y);
      ctx.setLineDash([]);
    }
    if (cursor && S.tool !== 'pan' && S.tool !== 'box') {
      ctx.strokeStyle = S.tool === 'pore' ? '#ff50a0' : S.tool === 'solid' ? '#50b0ff' : '#fff';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(cursor.sx, cursor.sy, Math.max(1, S.brush * S.zoom / 2), 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  /** Screen (client) coordinates to image pixel coordinates (floating point). */
  function screenToImage(clientX, clientY) {
    const r = view.getBoundingClientRect();
    let sx = clientX - r.left;
    const pw = view.width / panes();
    if (S.compare && sx >= pw) {
      sx -= pw;
    }
    return { x: (sx - S.panX) / S.zoom, y: (clientY - r.top - S.panY) / S.zoom };
  }

  /** Image pixel coordinates to client coordinates (the left pane). */
  function imageToScreen(x, y) {
    const r = view.getBoundingClientRect();
    return { x: r.left + S.panX + (x + 0.5) * S.zoom, y: r.top + S.panY + (y + 0.5) * S.zoom };
  }

  function zoomAt(factor, clientX, clientY) {
    const r = view.getBoundingClientRect();
    const p = screenToImage(clientX, clientY);
    const pw = view.width / panes();
    let sx = clientX - r.left;
    if (S.compare && sx >= pw) {
      sx -= pw;
    }
    S.zoom = Math.max(0.02, Math.min(64, S.zoom * factor));
    S.panX = sx - p.x * S.zoom;
    S.panY = clientY - r.top - p.y * S.zoom;
    draw();
  }

  // ---- the box tool: a rectangle labelled from the prediction shown ---------------------------------
  let boxDrag = null;

  /** Canvas coordinates (first pane) of image pixel corner (x, y). */
  function imageToScreenLocal(x, y) {
    return { x: S.panX + x * S.zoom, y: S.panY + y * S.zoom };
  }

  /** The binary prediction the box copies: the first of fine-tuned, model prediction and mask that is shown and loaded. */
  function boxSource() {
    for (const id of ['tuned', 'model', 'mask']) {
      const st = S.layers[id];
      if (st && st.on && st.available && S.data && S.data[id]) {
        return { id, grey: S.data[id] };
      }
    }
    return null;
  }

  /** The pixels a drag covers, first and last column and row (inclusive), clipped to the slice. */
  function boxPixels(d) {
    return {
      x0: Math.max(0, Math.floor(Math.min(d.x0, d.x1))), x1: Math.min(S.w - 1, Math.floor(Math.max(d.x0, d.x1))),
      y0: Math.max(0, Math.floor(Math.min(d.y0, d.y1))), y1: Math.min(S.h - 1, Math.floor(Math.max(d.y0, d.y1))),
    };
  }

  /** Labels the rectangle of the drag: pore where the prediction shown is pore, solid elsewhere. */
  function fillBox(d) {
    const src = boxSource();
    const { x0, x1, y0, y1 } = boxPixels(d);
    if (!src || x1 < x0 || y1 < y0) {
      return 0;
    }
    S.undo.push({ z: S.z, labels: S.labels.slice() });
    if (S.undo.length > 30) {
      S.undo.shift();
    }
    let pores = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0, i = y * S.w + x0; x <= x1; x++, i++) {
        const pore = src.grey[i] >= 128;
        S.labels[i] = pore ? PORE : SOLID;
        pores += pore ? 1 : 0;
      }
    }
    compose(x0, y0, x1 + 1, y1 + 1);
    const n = (x1 - x0 + 1) * (y1 - y0 + 1);
    status(`box ${x1 - x0 + 1} x ${y1 - y0 + 1} labelled from the ${src.id === 'tuned' ? 'fine-tuned prediction' : src.id === 'model' ? 'model prediction' : 'mask'}: `
      + `${pores} pore, ${n - pores} solid pixels; correct it with the brushes`);
    return n;
  }

  // ---- painting labels --------------------------------------------------------------------------
  function paintValue() {
    return S.tool === 'pore' ? PORE : S.tool === 'solid' ? SOLID : UNLABELLED;
  }

  function dab(cx, cy, value, box) {
    const r = S.brush / 2;
    const x0 = Math.max(0, Math.floor(cx - r)), x1 = Math.min(S.w - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r)), y1 = Math.min(S.h - 1, Math.ceil(cy + r));
    const r2 = Math.max(0.25, r * r);
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - cx;
        if (dx * dx + dy * dy <= r2) {
          S.labels[y * S.w + x] = value;
        }
      }
    }
    box.x0 = Math.min(box.x0, x0);
    box.y0 = Math.min(box.y0, y0);
    box.x1 = Math.max(box.x1, x1 + 1);
    box.y1 = Math.max(box.y1, y1 + 1);
  }

  function strokeTo(p) {
    const box = { x0: S.w, y0: S.h, x1: 0, y1: 0 };
    const from = stroke.last;
    const dist = Math.hypot(p.x - from.x, p.y - from.y);
    const step = Math.max(0.5, S.brush / 4);
    const n = Math.max(1, Math.ceil(dist / step));
    for (let k = 1; k <= n; k++) {
      dab(from.x + (p.x - from.x) * k / n, from.y + (p.y - from.y) * k / n, stroke.value, box);
    }
    stroke.last = p;
    if (box.x1 > box.x0 && box.y1 > box.y0) {
      compose(box.x0, box.y0, box.x1, box.y1);
    }
    draw();
  }

  let stroke = null;
  let drag = null;

  function canPaint() {
    return S.labels && S.data && S.data.z === S.z && !loading;
  }

  view.addEventListener('mousedown', (e) => {
    view.focus();
    if (e.button === 1 || e.button === 2 || (e.button === 0 && S.tool === 'pan')) {
      drag = { x: e.clientX, y: e.clientY, panX: S.panX, panY: S.panY };
      e.preventDefault();
      return;
    }
    if (e.button !== 0 || !canPaint()) {
      return;
    }
    if (S.tool === 'box') {
      if (!boxSource()) {
        status('box: show a prediction first (fine-tuned prediction, model prediction or mask in Overlays); the box copies it', true);
      } else {
        const p = screenToImage(e.clientX, e.clientY);
        boxDrag = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
        draw();
      }
      e.preventDefault();
      return;
    }
    S.undo.push({ z: S.z, labels: S.labels.slice() });
    if (S.undo.length > 30) {
      S.undo.shift();
    }
    const p = screenToImage(e.clientX, e.clientY);
    stroke = { value: paintValue(), last: p };
    const box = { x0: S.w, y0: S.h, x1: 0, y1: 0 };
    dab(p.x, p.y, stroke.value, box);
    if (box.x1 > box.x0) {
      compose(box.x0, box.y0, box.x1, box.y1);
    }
    draw();
    e.preventDefault();
  });

  window.addEventListener('mousemove', (e) => {
    const r = view.getBoundingClientRect();
    if (drag) {
      S.panX = drag.panX + e.clientX - drag.x;
      S.panY = drag.panY + e.clientY - drag.y;
      draw();
      return;
    }
    if (stroke) {
      strokeTo(screenToImage(e.clientX, e.clientY));
    }
    if (boxDrag) {
      const p = screenToImage(e.clientX, e.clientY);
      boxDrag.x1 = p.x;
      boxDrag.y1 = p.y;
    }
    const inside = e.clientX >= r.left && e.clientX < r.right && e.clientY >= r.top && e.clientY < r.bottom;
    cursor = inside ? { sx: e.clientX - r.left, sy: e.clientY - r.top } : null;
    if (inside && S.info) {
      const p = screenToImage(e.clientX, e.clientY);
      const x = Math.floor(p.x), y = Math.floor(p.y);
      if (x >= 0 && y >= 0 && x < S.w && y < S.h && S.labels) {
        const v = S.labels[y * S.w + x];
        const lab = v === PORE ? 'pore' : v === SOLID ? 'solid' : 'unlabelled';
        status(`slice ${S.z + 1} / ${S.info.slices}   x ${x}  y ${y}   label: ${lab}   zoom ${S.zoom.toFixed(2)}`);
      }
    }
    if (!stroke) {
      draw();
    }
  });

  window.addEventListener('mouseup', () => {
    drag = null;
    if (boxDrag) {
      const d = boxDrag;
      boxDrag = null;
      if (canPaint() && fillBox(d) > 0) {
        S.dirty = true;
        labelsChanged();
      }
      draw();
    }
    if (stroke) {
      stroke = null;
      S.dirty = true;
      labelsChanged();
    }
  });

  view.addEventListener('contextmenu', (e) => e.preventDefault());

  view.addEventListener('wheel', (e) => {
    e.preventDefault();
    if (e.ctrlKey || e.shiftKey || e.metaKey) {
      zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX, e.clientY);
    } else if (e.deltaY !== 0) {
      goTo(S.z + (e.deltaY > 0 ? 1 : -1));
    }
  }, { passive: false });

  // ---- saving -----------------------------------------------------------------------------------
  let saveTimer = null;
  let labelsQueue = Promise.resolve();

  /** Sends the shown slice's labels to the server when they changed (in order, one at a time). */
  function flushLabels() {
    if (S.dirty && S.labels && S.data) {
      const z = S.data.z;
      const body = S.labels.slice();
      S.dirty = false;
      labelsQueue = labelsQueue.then(() => api(`api/labels/${z}`, {
        method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body,
      })).catch((e) => status('labels not sent: ' + e.message, true));
    }
    return labelsQueue;
  }

  function labelsChanged() {
    $('saveState').textContent = 'unsaved';
    flushLabels();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1000);
  }

  async function save() {
    clearTimeout(saveTimer);
    try {
      await flushLabels();
      const r = await (await api('api/save', { method: 'POST' })).json();
      S.saves++;
      document.body.dataset.saves = String(S.saves);
      $('saveState').textContent = `saved (${r.labelled_slices} labelled slice${r.labelled_slices === 1 ? '' : 's'})`;
    } catch (e) {
      $('saveState').textContent = 'not saved';
      status('save failed: ' + e.message, true);
    }
  }

  function undo() {
    const u = S.undo.pop();
    if (!u) {
      return;
    }
    if (S.data && u.z === S.data.z) {
      S.labels.set(u.labels);
      S.dirty = true;
      compose();
      draw();
      labelsChanged();
    } else {
      labelsQueue = labelsQueue.then(() => api(`api/labels/${u.z}`, { method: 'PUT', body: u.labels }));
      labelsChanged();
      goTo(u.z);
    }
  }

  // ---- keyboard ---------------------------------------------------------------------------------
  window.addEventListener('keydown', (e) => {
    const t = e.target;
    if (t && (t.tagName === 'INPUT' && t.type !== 'checkbox' && t.type !== 'range')) {
      return;
    }
    if (t && t.id === 'slice') {
      return; // the slider handles its own arrow keys
    }
    let handled = true;
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': goTo(S.z + 1); break;
      case 'ArrowLeft': case 'ArrowUp': goTo(S.z - 1); break;
      case 'PageDown': goTo(S.z + 10); break;
      case 'PageUp': goTo(S.z - 10); break;
      case 'Home': goTo(0); break;
      case 'End': goTo(S.info.slices - 1); break;
      case '+': case '=': zoomAt(1.25, ...centre()); break;
      case '-': zoomAt(0.8, ...centre()); break;
      case '0': fit(); break;
      case 'p': setTool('pore'); break;
      case 's': setTool('solid'); break;
      case 'e': setTool('erase'); break;
      case 'h': setTool('pan'); break;
      case 'b': setTool('box'); break;
      case '[': setBrush(S.brush - 1); break;
      case ']': setBrush(S.brush + 1); break;
      case 'z': if (e.ctrlKey || e.metaKey) { undo(); } else { handled = false; } break;
      default: handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  });

  function centre() {
    const r = view.getBoundingClientRect();
    return [r.left + r.width / 2 / panes(), r.top + r.height / 2];
  }

  function setTool(t) {
    S.tool = t;
    document.querySelectorAll('.tools button').forEach((b) => b.classList.toggle('active', b.dataset.tool === t));
    view.classList.toggle('pan', t === 'pan');
  }

  function setBrush(b) {
    S.brush = Math.max(1, Math.min(80, b | 0));
    $('brush').value = S.brush;
    $('brushLabel').textContent = S.brush;
    draw();
  }

  // ---- layers panel -----------------------------------------------------------------------------
  function buildLayers() {
    const box = $('layers');
    box.textContent = '';
    for (const L of LAYERS) {
      const st = S.layers[L.id];
      const row = document.createElement('div');
      row.className = 'layer' + (st.available ? '' : ' off');
      row.title = st.available ? '' : 'not given on the command line';
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.id = 'layer-' + L.id;
      cb.checked = st.on;
      cb.disabled = !st.available;
      const label = document.createElement('label');
      label.htmlFor = cb.id;
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = `rgb(${L.color.join(',')})`;
      label.append(sw, ' ' + L.name);
      if (L.color2) {
        const sw2 = document.createElement('span');
        sw2.className = 'swatch';
        sw2.style.background = `rgb(${L.color2.join(',')})`;
        label.insertBefore(sw2, label.childNodes[1]);
      }
      const op = document.createElement('input');
      op.type = 'range';
      op.min = 0;
      op.max = 100;
      op.value = Math.round(st.opacity * 100);
      op.title = 'opacity';
      op.id = 'opacity-' + L.id;
      cb.addEventListener('change', () => {
        st.on = cb.checked;
        refreshLayers();
      });
      op.addEventListener('input', () => {
        st.opacity = op.value / 100;
        compose();
        draw();
      });
      row.append(cb, label, op);
      box.append(row);
    }
    $('compareRow').hidden = !S.layers.tuned.available;
  }

  /** Fetches layers that became visible for the shown slice, then recomposes. */
  async function refreshLayers() {
    if (!S.data) {
      return;
    }
    const missing = wanted().filter((id) => !S.data[id]);
    if (missing.length) {
      try {
        await loadSlice(S.data.z, missing);
      } catch (e) {
        status(e.message, true);
      }
    } else {
      compose();
      draw();
    }
  }

  // ---- porosity plot ----------------------------------------------------------------------------
  let profile = null;
  let plotTimer = null;

  async function refreshPlot() {
    clearTimeout(plotTimer);
    try {
      profile = await (await api('api/porosity')).json();
      drawPlot();
      if (profile.done < profile.slices) {
        plotTimer = setTimeout(refreshPlot, 1000);
      }
    } catch (e) {
      status('porosity: ' + e.message, true);
    }
  }

  const PLOT = { left: 46, right: 12, top: 10, bottom: 20 };

  function plotX(z, p) {
    const n = Math.max(1, S.info.slices - 1);
    return PLOT.left + (p.width - PLOT.left - PLOT.right) * (S.info.slices === 1 ? 0.5 : z / n);
  }

  function drawPlot() {
    const p = $('plot');
    const g = p.getContext('2d');
    g.fillStyle = '#1f2226';
    g.fillRect(0, 0, p.width, p.height);
    if (!S.info) {
      return;
    }
    const series = [];
    if (profile) {
      if (profile.mask) series.push({ name: 'mask', color: '#00c8ff', values: profile.mask, line: true });
      if (profile.truth) series.push({ name: 'truth', color: '#00e65a', values: profile.truth, line: true });
      series.push({ name: 'model', color: '#4d9bff', points: profile.model });
      series.push({ name: 'fine-tuned', color: '#ff6ec8', points: profile.tuned });
    }
    let max = 0;
    for (const s of series) {
      const vals = s.values || Object.values(s.points || {});
      for (const v of vals) {
        if (v != null && v > max) max = v;
      }
    }
    max = max > 0 ? max * 1.1 : 0.1;
    const y = (v) => p.height - PLOT.bottom - (p.height - PLOT.top - PLOT.bottom) * v / max;
    g.strokeStyle = '#3a3f46';
    g.fillStyle = '#8a9099';
    g.font = '11px system-ui, sans-serif';
    g.beginPath();
    g.moveTo(PLOT.left, PLOT.top);
    g.lineTo(PLOT.left, p.height - PLOT.bottom);
    g.lineTo(p.width - PLOT.right, p.height - PLOT.bottom);
    g.stroke();
    g.fillText((max * 100).toFixed(1) + ' %', 4, PLOT.top + 8);
    g.fillText('0 %', 4, p.height - PLOT.bottom);
    g.fillText('porosity per slice (click to go to a slice)', PLOT.left + 6, PLOT.top + 8);
    g.fillText('1', PLOT.left, p.height - 5);
    g.fillText(String(S.info.slices), p.width - PLOT.right - 20, p.height - 5);
    for (const s of series) {
      g.strokeStyle = s.color;
      g.fillStyle = s.color;
      if (s.values) {
        g.beginPath();
        let started = false;
        s.values.forEach((v, z) => {
          if (v == null) {
            started = false;
            return;
          }
          if (started) g.lineTo(plotX(z, p), y(v)); else g.moveTo(plotX(z, p), y(v));
          started = true;
        });
        g.stroke();
      } else if (s.points) {
        for (const [z, v] of Object.entries(s.points)) {
          g.fillRect(plotX(+z, p) - 2.5, y(v) - 2.5, 5, 5);
        }
      }
    }
    const cx = plotX(S.z, p);
    g.strokeStyle = '#fff';
    g.beginPath();
    g.moveTo(cx, PLOT.top);
    g.lineTo(cx, p.height - PLOT.bottom);
    g.stroke();
    let lx = p.width - PLOT.right - 90;
    for (const s of series.filter((q) => q.values || Object.keys(q.points || {}).length)) {
      g.fillStyle = s.color;
      g.fillText(s.name, lx, PLOT.top + 8);
      lx -= 70;
    }
  }

  $('plot').addEventListener('click', (e) => {
    if (!S.info) {
      return;
    }
    const p = $('plot');
    const r = p.getBoundingClientRect();
    const x = (e.clientX - r.left) * p.width / r.width;
    const n = Math.max(1, S.info.slices - 1);
    const z = Math.round((x - PLOT.left) / (p.width - PLOT.left - PLOT.right) * n);
    goTo(z);
  });

  // ---- fine-tuning ------------------------------------------------------------------------------
  function showTrain(st) {
    const bar = $('trainBar');
    const running = st.state === 'running';
    $('train').disabled = running || !S.layers.model.available;
    $('cancel').disabled = !running;
    document.body.dataset.train = st.state;
    if (running) {
      bar.max = st.total || 1;
      bar.value = st.done || 0;
      $('trainState').textContent = st.total ? `training: batch ${st.done} / ${st.total}` : 'preparing the labelled slices...';
    } else if (st.state === 'done') {
      bar.value = bar.max;
      const pct = (v) => (v * 100).toFixed(2) + ' %';
      $('trainState').textContent = `slice ${st.slice + 1}: porosity ${pct(st.before)} before, ${pct(st.after)} after`
        + (st.val_f1 != null ? `; F1 on the labelled slices ${st.val_f1.toFixed(3)}` : '') + `. Model saved to ${st.model}`
        + (st.calibrated === false ? '. Its porosity interval is not calibrated: strokes alone cannot calibrate it; label a region whole '
          + '(box tool, then correct it) and fine-tune again' : st.calibrated ? '. Porosity interval calibrated on the regions labelled whole' : '');
    } else if (st.state === 'failed') {
      $('trainState').textContent = 'failed: ' + st.message;
    } else if (st.state === 'cancelled') {
      $('trainState').textContent = 'cancelled; no model written';
    }
  }

  function connectEvents() {
    const es = new EventSource('api/events');
    es.addEventListener('train', (e) => {
      const st = JSON.parse(e.data);
      showTrain(st);
      if (st.state === 'done') {
        S.layers.tuned.available = true;
        S.layers.tuned.on = true;
        buildLayers();
        if (S.data) {
          delete S.data.tuned;
        }
        refreshLayers();
        refreshPlot();
      }
    });
    es.addEventListener('epoch', (e) => {
      const m = JSON.parse(e.data);
      const log = $('trainLog');
      log.textContent += `epoch ${m.epoch}/${m.epochs}  loss ${m.loss.toFixed(4)}  F1 ${m.f1.toFixed(3)}  | labelled F1 ${m.val_f1.toFixed(3)}  ${m.seconds.toFixed(1)} s\n`;
      log.scrollTop = log.scrollHeight;
    });
  }

  $('train').addEventListener('click', async () => {
    try {
      await flushLabels();
      $('trainLog').textContent = '';
      const epochs = encodeURIComponent($('epochs').value);
      showTrain(await (await api(`api/train?slice=${S.z}&epochs=${epochs}`, { method: 'POST' })).json());
    } catch (e) {
      $('trainState').textContent = e.message;
    }
  });
  $('cancel').addEventListener('click', () => api('api/train/cancel', { method: 'POST' }).catch((e) => status(e.message, true)));

  // ---- controls ---------------------------------------------------------------------------------
  $('slice').addEventListener('input', (e) => goTo(+e.target.value));
  $('autoContrast').addEventListener('change', () => reloadImage());
  $('autoPct').addEventListener('change', () => {
    $('autoContrast').checked = true;
    reloadImage();
  });
  for (const id of ['lo', 'hi']) {
    $(id).addEventListener('change', () => {
      $('autoContrast').checked = false;
      reloadImage();
    });
  }
  function reloadImage() {
    if (S.data) {
      loadSlice(S.data.z, ['image']).catch((e) => status(e.message, true));
    }
  }
  document.querySelectorAll('.tools button').forEach((b) => b.addEventListener('click', () => setTool(b.dataset.tool)));
  $('brush').addEventListener('input', (e) => setBrush(+e.target.value));
  $('undo').addEventListener('click', undo);
  $('save').addEventListener('click', save);
  $('compare').addEventListener('change', (e) => {
    S.compare = e.target.checked;
    fit();
    refreshLayers();
  });
  window.addEventListener('resize', resize);
  window.addEventListener('beforeunload', () => flushLabels());

  // ---- start ------------------------------------------------------------------------------------
  async function start() {
    try {
      S.info = await (await api('api/info')).json();
    } catch (e) {
      status('cannot load: ' + e.message, true);
      return;
    }
    S.w = S.info.width;
    S.h = S.info.height;
    for (const L of LAYERS) {
      const available = L.kind === 'labels' ? true
        : L.kind === 'errors' ? !!(S.info.layers.truth && (S.info.layers.mask || S.info.layers.model))
          : !!S.info.layers[L.id];
      // the model and the 0..1 maps are shown when asked for (the model costs time on large slices)
      const on = available && !['model', 'prob', 'uncertainty'].includes(L.id) && !(L.id === 'errors' && !S.info.layers.mask);
      S.layers[L.id] = { on, opacity: L.opacity, available };
    }
    $('name').textContent = `${S.info.name}: ${S.info.width} x ${S.info.height} x ${S.info.slices}, ${S.info.type}, `
      + `voxel ${S.info.voxel.join(' x ')} ${S.info.unit}`;
    $('labelFile').textContent = `label file ${S.info.labels}: 255 pore, 0 solid, 128 unlabelled`;
    $('slice').max = S.info.slices - 1;
    $('tuneSection').hidden = !S.info.layers.model;
    buildLayers();
    setTool('pore');
    setBrush(Math.max(3, Math.round(Math.min(S.w, S.h) / 64)));
    showTrain(S.info.train);
    resize();
    fit();
    const m = /slice=(\d+)/.exec(location.hash);
    goTo(m ? +m[1] - 1 : 0);
    refreshPlot();
    // "#still" leaves out the event stream: a page with an open stream never becomes idle, and a
    // headless screenshot (scripts/view-screenshot.sh) waits for that
    if (!/still/.test(location.hash)) {
      connectEvents();
    }
    view.tabIndex = 0;
  }

  window.poreseg = { state: S, screenToImage, imageToScreen, goTo, save, setTool, setBrush };
  start();
})();
