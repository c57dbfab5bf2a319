// covplan map: the zones coloured by their chosen technology and the
// switchable layers (premises, existing network, planned sites, place
// names), drawn on a canvas with pan, zoom, hover and click. It is the
// page's own code, not echarts': a national plan's 35,000 zones and their
// 250,000 vertices draw in about 0.2 s, where a chart library's map takes
// tens of seconds. Coordinates are lon/lat, drawn in an equirectangular
// projection at the map's mean latitude.
(function () {
  'use strict';

  // rings decodes writeRing arrays (map.go) into flat lon/lat arrays.
  function rings(list, scale) {
    return list.map(function (r) {
      var out = new Float64Array(r.length), x = 0, y = 0;
      for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out[i] = x / scale; out[i + 1] = y / scale; }
      return out;
    });
  }
  function inRing(r, lon, lat) {
    var inside = false;
    for (var i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      var yi = r[i + 1], yj = r[j + 1];
      if ((yi > lat) !== (yj > lat) && lon < (r[j] - r[i]) * (lat - yi) / (yj - yi) + r[i]) { inside = !inside; }
    }
    return inside;
  }

  // CPMap draws geo (the "cp-geo" block) and layers ("cp-layers") in el.
  // opt: zoneColor(z) (fill of input zone z, null: not drawn), styles (the
  // layers' styles, bottom to top), onClick(z), tip(z) and pointTip(style,
  // item) (HTML of the tooltips), onDraw() after each full drawing.
  window.CPMap = function (el, geo, layers, opt) {
    var dpr = Math.max(1, Math.min(window.devicePixelRatio || 1, 2));
    var base = document.createElement('canvas'), over = document.createElement('canvas');
    base.className = 'map-base'; over.className = 'map-over';
    el.appendChild(base); el.appendChild(over);
    var tip = document.createElement('div');
    tip.className = 'map-tip'; tip.hidden = true;
    el.appendChild(tip);
    var g = base.getContext('2d'), go = over.getContext('2d');
    var B = layers.view || geo.bound, kx = Math.cos((B[1] + B[3]) / 2 * Math.PI / 180);
    var W = 0, H = 0, fit = null, view = {k: 1, x: 0, y: 0}, on = {}, hover = -1, selected = -1;
    var lastMs = 0, snap = null, snapView = null, timer = 0, premR = 1.2;

    // world coordinates: x = (lon − west)·cos φ, y = north − lat (degrees)
    var Z = geo.z.map(function (rs) { return rs ? rings(rs, geo.scale) : null; });
    var paths = new Array(Z.length), zbox = new Float64Array(Z.length * 4);
    Z.forEach(function (rs, z) {
      if (!rs) { return; }
      var p = new Path2D(), w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      rs.forEach(function (r) {
        for (var i = 0; i < r.length; i += 2) {
          var x = (r[i] - B[0]) * kx, y = B[3] - r[i + 1];
          if (i) { p.lineTo(x, y); } else { p.moveTo(x, y); }
          if (r[i] < w) { w = r[i]; } if (r[i] > e) { e = r[i]; }
          if (r[i + 1] < s) { s = r[i + 1]; } if (r[i + 1] > n) { n = r[i + 1]; }
        }
        p.closePath();
      });
      paths[z] = p;
      zbox.set([w, s, e, n], z * 4);
    });
    // a grid of the zones' boxes, for hit tests
    var GN = 96, grid = new Array(GN * GN), gw = (B[2] - B[0]) / GN || 1, gh = (B[3] - B[1]) / GN || 1;
    function cell(lon, lat) {
      return [Math.max(0, Math.min(GN - 1, Math.floor((lon - B[0]) / gw))), Math.max(0, Math.min(GN - 1, Math.floor((lat - B[1]) / gh)))];
    }
    Z.forEach(function (rs, z) {
      if (!rs) { return; }
      var a = cell(zbox[z * 4], zbox[z * 4 + 1]), b = cell(zbox[z * 4 + 2], zbox[z * 4 + 3]);
      for (var i = a[0]; i <= b[0]; i++) { for (var j = a[1]; j <= b[1]; j++) { (grid[j * GN + i] = grid[j * GN + i] || []).push(z); } }
    });
    // layers: lines and polygons as paths in world coordinates
    var lpaths = {};
    opt.styles.forEach(function (st) {
      on[st.key] = true;
      var d = layers[st.key];
      if (!d || (st.type !== 'lines' && st.type !== 'polygons')) { return; }
      var p = new Path2D();
      rings(d, geo.scale).forEach(function (r) {
        for (var i = 0; i < r.length; i += 2) {
          var x = (r[i] - B[0]) * kx, y = B[3] - r[i + 1];
          if (i) { p.lineTo(x, y); } else { p.moveTo(x, y); }
        }
        if (st.type === 'polygons') { p.closePath(); }
      });
      lpaths[st.key] = p;
    });

    // screen = (world · s + o) · k + view offset
    function size() {
      W = el.clientWidth; H = el.clientHeight;
      [base, over].forEach(function (c) { c.width = Math.round(W * dpr); c.height = Math.round(H * dpr); c.style.width = W + 'px'; c.style.height = H + 'px'; });
      var ww = (B[2] - B[0]) * kx || 1, wh = B[3] - B[1] || 1, s = Math.min((W - 40) / ww, (H - 40) / wh);
      fit = {s: s, ox: (W - ww * s) / 2, oy: (H - wh * s) / 2};
      // premise dots: larger when there are few of them
      var n = 0;
      opt.styles.forEach(function (st) { if (st.group === 'prem' && layers[st.key]) { n += layers[st.key].length; } });
      premR = Math.max(1.2, Math.min(2.6, Math.sqrt(W * H / Math.max(n, 1)) / 12));
    }
    function scale() { return fit.s * view.k; }
    function tx() { return fit.ox * view.k + view.x; }
    function ty() { return fit.oy * view.k + view.y; }
    function toScreen(lon, lat) { return [((lon - B[0]) * kx) * scale() + tx(), (B[3] - lat) * scale() + ty()]; }
    function toLonLat(X, Y) { return [B[0] + (X - tx()) / scale() / kx, B[3] - (Y - ty()) / scale()]; }
    function worldTransform(c) { c.setTransform(dpr * scale(), 0, 0, dpr * scale(), dpr * tx(), dpr * ty()); }

    function symbol(c, shape, x, y, r) {
      c.beginPath();
      if (shape === 'rect') { c.rect(x - r, y - r, 2 * r, 2 * r); }
      else if (shape === 'diamond') { c.moveTo(x, y - r * 1.3); c.lineTo(x + r, y); c.lineTo(x, y + r * 1.3); c.lineTo(x - r, y); c.closePath(); }
      else if (shape === 'triangle') { c.moveTo(x, y - r * 1.2); c.lineTo(x + r * 1.1, y + r * 0.8); c.lineTo(x - r * 1.1, y + r * 0.8); c.closePath(); }
      else { c.arc(x, y, r, 0, 2 * Math.PI); }
    }
    function visible(lon, lat, m) {
      var p = toScreen(lon, lat);
      return p[0] > -m && p[0] < W + m && p[1] > -m && p[1] < H + m ? p : null;
    }
    // draw paints the zones and layers (a full drawing).
    function draw() {
      var t0 = performance.now();
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, base.width, base.height);
      var view0 = toLonLat(0, H), view1 = toLonLat(W, 0), px = 1 / scale();
      worldTransform(g);
      g.lineJoin = 'round';
      g.lineWidth = 0.7 * px;
      g.strokeStyle = '#ffffff';
      for (var z = 0; z < paths.length; z++) {
        var col = paths[z] && opt.zoneColor(z);
        if (!col || zbox[z * 4] > view1[0] || zbox[z * 4 + 2] < view0[0] || zbox[z * 4 + 1] > view1[1] || zbox[z * 4 + 3] < view0[1]) { continue; }
        g.fillStyle = col;
        g.fill(paths[z], 'evenodd');
        if (scale() * (zbox[z * 4 + 2] - zbox[z * 4]) > 3) { g.stroke(paths[z]); }
      }
      var labels = [];
      opt.styles.forEach(function (st) {
        if (!on[st.key] || !layers[st.key]) { return; }
        if (st.type === 'polygons') {
          worldTransform(g);
          g.fillStyle = 'rgba(31,111,178,0.16)'; g.strokeStyle = 'rgba(11,60,109,0.75)'; g.lineWidth = px;
          g.setLineDash([]);
          g.fill(lpaths[st.key], 'evenodd'); g.stroke(lpaths[st.key]);
        } else if (st.type === 'lines') {
          worldTransform(g);
          g.strokeStyle = st.color; g.lineWidth = 1.6 * px;
          g.setLineDash(st.dashed ? [5 * px, 4 * px] : []);
          g.stroke(lpaths[st.key]);
          g.setLineDash([]);
        } else if (st.type === 'labels') {
          labels = layers[st.key];
        } else {
          g.setTransform(dpr, 0, 0, dpr, 0, 0);
          var pts = layers[st.key], prem = st.group === 'prem', shown = [];
          for (var i = 0; i < pts.length; i++) {
            var p = visible(pts[i][0], pts[i][1], 10);
            if (p) { shown.push(p); }
          }
          // symbols shrink where many are in view, so that they never
          // hide the zones (a national network has thousands of nodes)
          var crowd = Math.min(1, Math.sqrt(W * H / 60 / Math.max(1, shown.length)) / st.size);
          var r = prem ? Math.min(4, premR + 0.5 * Math.log2(view.k)) : Math.max(1.5, st.size / 2 * crowd);
          var outline = (st.hollow || st.group === 'plan') && r > 2.5;
          g.fillStyle = st.hollow && r > 2.5 ? '#ffffff' : st.color;
          g.globalAlpha = prem ? 0.6 : 1;
          g.strokeStyle = st.hollow ? st.color : '#ffffff';
          g.lineWidth = st.hollow ? 1.5 : 1.1;
          for (var k = 0; k < shown.length; k++) {
            var q = shown[k];
            if (prem && shown.length > 5000) { g.fillRect(q[0] - r, q[1] - r, 2 * r, 2 * r); continue; }
            if (prem) { g.beginPath(); g.arc(q[0], q[1], r, 0, 2 * Math.PI); g.fill(); continue; }
            symbol(g, st.symbol, q[0], q[1], r);
            g.fill();
            if (outline) { g.stroke(); }
          }
          g.globalAlpha = 1;
        }
      });
      drawLabels(labels);
      lastMs = performance.now() - t0;
      snap = null;
      drawOver();
      if (opt.onDraw) { opt.onDraw(); }
    }
    // drawLabels writes the place names, skipping those that would overlap.
    function drawLabels(ls) {
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.font = 'bold 12px system-ui, "DejaVu Sans", sans-serif';
      g.textBaseline = 'middle';
      var boxes = [];
      ls.forEach(function (l) {
        var p = visible(l[0], l[1], 0);
        if (!p) { return; }
        var w = g.measureText(l[2]).width, b = [p[0] + 5, p[1] - 8, p[0] + 9 + w, p[1] + 8];
        if (boxes.some(function (o) { return b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]; })) { return; }
        boxes.push(b);
        g.fillStyle = '#1d2733';
        symbol(g, 'circle', p[0], p[1], 2.5);
        g.fill();
        g.lineWidth = 3; g.strokeStyle = '#ffffff'; g.lineJoin = 'round';
        g.strokeText(l[2], p[0] + 6, p[1]);
        g.fillText(l[2], p[0] + 6, p[1]);
      });
    }
    // drawOver paints the hovered and selected zones on the overlay.
    function drawOver() {
      go.setTransform(1, 0, 0, 1, 0, 0);
      go.clearRect(0, 0, over.width, over.height);
      worldTransform(go);
      var px = 1 / scale();
      if (selected >= 0 && paths[selected]) {
        go.fillStyle = 'rgba(255,213,79,0.55)';
        go.fill(paths[selected], 'evenodd');
        go.strokeStyle = '#1d2733'; go.lineWidth = 2.4 * px;
        go.stroke(paths[selected]);
      }
      if (hover >= 0 && hover !== selected && paths[hover]) {
        go.strokeStyle = '#1d2733'; go.lineWidth = 1.4 * px;
        go.stroke(paths[hover]);
      }
    }
    // redraw draws at once when drawing is fast; when it is slow (a large
    // map), a gesture moves a snapshot and the full drawing follows it.
    function redraw() {
      if (lastMs < 40) { draw(); return; }
      if (!snap) {
        snap = document.createElement('canvas');
        snap.width = base.width; snap.height = base.height;
        snap.getContext('2d').drawImage(base, 0, 0);
        snapView = {k: view.k, x: view.x, y: view.y};
      }
      var r = view.k / snapView.k;
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, base.width, base.height);
      // a point at s0 in the snapshot is now at s0·r + (view − snapView·r) offsets
      var ox = (fit.ox * view.k + view.x) - (fit.ox * snapView.k + snapView.x) * r;
      var oy = (fit.oy * view.k + view.y) - (fit.oy * snapView.k + snapView.y) * r;
      g.setTransform(r, 0, 0, r, ox * dpr, oy * dpr);
      g.drawImage(snap, 0, 0);
      drawOver();
      clearTimeout(timer);
      timer = setTimeout(draw, 150);
    }
    // zoomTo changes the zoom to k keeping the screen point (X, Y) still.
    function zoomTo(X, Y, k) {
      k = Math.max(1, Math.min(3000, k));
      var wx = (X - tx()) / scale(), wy = (Y - ty()) / scale();
      view.k = k;
      view.x = X - wx * scale() - fit.ox * k;
      view.y = Y - wy * scale() - fit.oy * k;
      redraw();
    }
    function zoneAt(X, Y) {
      var ll = toLonLat(X, Y), c = cell(ll[0], ll[1]), cand = grid[c[1] * GN + c[0]] || [];
      for (var i = cand.length - 1; i >= 0; i--) {
        var z = cand[i];
        if (ll[0] < zbox[z * 4] || ll[0] > zbox[z * 4 + 2] || ll[1] < zbox[z * 4 + 1] || ll[1] > zbox[z * 4 + 3] || !opt.zoneColor(z)) { continue; }
        var n = 0;
        Z[z].forEach(function (r) { if (inRing(r, ll[0], ll[1])) { n++; } });
        if (n % 2) { return z; }
      }
      return -1;
    }
    function pointAt(X, Y) {
      var best = null, bd = 49;
      opt.styles.forEach(function (st) {
        if (!on[st.key] || st.type !== 'points' || !layers[st.key]) { return; }
        layers[st.key].forEach(function (q) {
          var p = toScreen(q[0], q[1]), d = (p[0] - X) * (p[0] - X) + (p[1] - Y) * (p[1] - Y);
          if (d < bd) { bd = d; best = [st, q]; }
        });
      });
      return best;
    }
    function showTip(html, X, Y) {
      if (!html) { tip.hidden = true; return; }
      tip.innerHTML = html;
      tip.hidden = false;
      var w = tip.offsetWidth, h = tip.offsetHeight;
      tip.style.left = Math.min(W - w - 4, X + 14) + 'px';
      tip.style.top = Math.max(4, Math.min(H - h - 4, Y + 14)) + 'px';
    }

    var drag = null;
    over.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = over.getBoundingClientRect();
      zoomTo(e.clientX - r.left, e.clientY - r.top, view.k * Math.pow(1.0018, -e.deltaY));
    }, {passive: false});
    over.addEventListener('pointerdown', function (e) {
      drag = {x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false};
      over.setPointerCapture(e.pointerId);
    });
    over.addEventListener('pointermove', function (e) {
      var r = over.getBoundingClientRect(), X = e.clientX - r.left, Y = e.clientY - r.top;
      if (drag) {
        var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
        if (drag.moved) { view.x = drag.vx + dx; view.y = drag.vy + dy; tip.hidden = true; redraw(); }
        return;
      }
      var pt = pointAt(X, Y), z = pt ? -1 : zoneAt(X, Y);
      if (z !== hover) { hover = z; drawOver(); }
      showTip(pt ? opt.pointTip(pt[0], pt[1]) : z >= 0 ? opt.tip(z) : '', X, Y);
    });
    over.addEventListener('pointerup', function (e) {
      var d = drag;
      drag = null;
      if (d && !d.moved) {
        var r = over.getBoundingClientRect(), z = zoneAt(e.clientX - r.left, e.clientY - r.top);
        if (z >= 0) { opt.onClick(z); }
      } else if (d && snap) { clearTimeout(timer); draw(); }
    });
    over.addEventListener('pointerleave', function () { tip.hidden = true; if (hover >= 0) { hover = -1; drawOver(); } });
    over.addEventListener('dblclick', function (e) {
      var r = over.getBoundingClientRect();
      zoomTo(e.clientX - r.left, e.clientY - r.top, view.k * 2);
    });
    window.addEventListener('resize', function () { size(); draw(); });
    size();
    draw();

    return {
      canvas: base,
      draw: draw,
      // select marks input zone z (-1: none) and, with zoom, frames it.
      select: function (z, zoom) {
        selected = z;
        if (zoom && z >= 0 && paths[z]) {
          var w = zbox[z * 4], s = zbox[z * 4 + 1], e = zbox[z * 4 + 2], n = zbox[z * 4 + 3];
          var k = Math.min(W / (((e - w) * kx || 1e-4) * fit.s), H / ((n - s || 1e-4) * fit.s)) * 0.4;
          view.k = Math.max(1, Math.min(3000, k));
          var cx = ((w + e) / 2 - B[0]) * kx, cy = B[3] - (n + s) / 2;
          view.x = W / 2 - cx * scale() - fit.ox * view.k;
          view.y = H / 2 - cy * scale() - fit.oy * view.k;
          draw();
        } else {
          drawOver();
        }
      },
      reset: function () { view = {k: 1, x: 0, y: 0}; draw(); },
      show: function (key, v) { on[key] = v; draw(); },
      image: function () { return base.toDataURL('image/png'); }
    };
  };
})();
