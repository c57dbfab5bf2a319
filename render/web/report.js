// covplan report: the page's own script. It needs no library for the
// tables, the panel and the language toggle; charts and the map are drawn
// when echarts is present. Data comes from the page's JSON blocks
// (report_blob.go); nothing is ever fetched from the network (the page's
// Content-Security-Policy forbids it).
(function () {
  'use strict';
  var body = document.body;
  function fail(where, e) {
    body.setAttribute('data-error', where + ': ' + (e && e.message ? e.message : e));
  }
  window.addEventListener('error', function (e) { fail('error', e.message); });
  window.addEventListener('unhandledrejection', function (e) { fail('promise', e.reason); });

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var T = json('cp-t'), C = json('cp-cfg');
  var lang = C.lang;
  function L() { return T[lang]; }

  // ---- numbers, as render/i18n.go writes them ----
  var nfCache = {};
  function nf(d) {
    var k = lang + d;
    if (!nfCache[k]) {
      nfCache[k] = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', {minimumFractionDigits: d, maximumFractionDigits: d});
    }
    return nfCache[k];
  }
  function round(v, d) { var p = Math.pow(10, d), r = Math.sign(v) * Math.round(Math.abs(v) * p) / p; return r === 0 ? 0 : r; }
  function num(v, d) {
    if (v === null || v === undefined || v === '' || !isFinite(v)) { return '–'; }
    d = d || 0;
    return nf(d).format(round(+v, d));
  }
  function withEuro(s, unit) {
    if (s === '–') { return s; }
    if (lang === 'fr') { return s + '\u202f' + unit + '€'; }
    unit = {'': '', k: 'k', M: 'M', Md: 'bn'}[unit];
    return s.charAt(0) === '-' ? '-€' + s.slice(1) + unit : '€' + s + unit;
  }
  function eur(v) { return withEuro(num(v, 0), ''); }
  function money(v) {
    if (v === null || v === undefined || !isFinite(v)) { return '–'; }
    if (Math.round(Math.abs(v)) < 10000) { return eur(v); }
    var units = ['k', 'M', 'Md'], scale = 1e3;
    for (var i = 0; i < units.length; i++) {
      var x = v / scale, ax = Math.abs(x), d = ax >= 99.95 ? 0 : ax >= 9.995 ? 1 : 2;
      if (round(ax, d) < 1000 || i === units.length - 1) {
        var s = num(x, d);
        if (d > 0) { s = s.replace(/0+$/, '').replace(/[.,]$/, ''); }
        return withEuro(s, units[i]);
      }
      scale *= 1000;
    }
  }
  function pct(v, d) { return v === null || !isFinite(v) ? '–' : num(v, d === undefined ? 1 : d) + (lang === 'fr' ? '\u202f%' : '%'); }
  // share is a fraction as a percentage with as few decimals as it needs.
  function share(v) { var p = 100 * v, d = 0; while (d < 2 && round(p, d) !== p) { d++; } return pct(p, d); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  // moneyHTML is a rounded amount with the exact euros in a tooltip.
  function moneyHTML(v) {
    if (v === null || v === undefined || !isFinite(v)) { return '–'; }
    var s = money(v), e = eur(v);
    return s === e ? esc(s) : '<span title="' + esc(e) + '">' + esc(s) + '</span>';
  }
  function fill(s, args) { return s.replace(/\{(\d)\}/g, function (m, i) { return args[+i]; }); }
  window.cpFmt = num;
  window.cpEUR = eur;
  window.cpMoney = money;
  window.cpPct = pct;

  // ---- data blocks: JSON, or base64 of raw DEFLATE ----
  function block(id) {
    var el = document.getElementById(id);
    if (!el) { return Promise.resolve(null); }
    if (el.getAttribute('data-enc') !== 'deflate') { return Promise.resolve(JSON.parse(el.textContent)); }
    var bin = atob(el.textContent), u = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { u[i] = bin.charCodeAt(i); }
    var s = new Blob([u]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(s).text().then(JSON.parse);
  }

  // ---- zones: the plan's zones and their options ----
  var Z = null, N = 0, builtRow = {}, rowOfZone = {};
  var TECHS = [1, 2, 3, 4];
  function bit(mask, i) { return (mask >>> i) & 1; }
  function codeIndex(code) { return C.codes.indexOf(code); }
  var SAT_CAP = codeIndex('SAT_CAPACITY');
  // option returns option t of table row r as an object; t = 'b' is what is built.
  function option(r, t) {
    var src, k = r;
    if (t === 'b') {
      if (builtRow[r] === undefined) { return Z.tech[r] ? option(r, Z.tech[r]) : null; }
      src = Z.b.opt; k = builtRow[r];
    } else {
      src = Z.o[t];
    }
    var o = {tech: t === 'b' ? Z.tech[r] : t, f: src.f[k], r: src.r[k], items: {}};
    ['ps', 'pu', 'us', 'cx', 'ox', 'nc', 'sc', 'rv', 'sb', 'pc', 'pb', 'nv', 'dn', 'up', 'lt'].forEach(function (f) { o[f] = src[f][k]; });
    Object.keys(src.i).forEach(function (it) { if (src.i[it][k]) { o.items[it] = src.i[it][k]; } });
    return o;
  }
  function usable(o) {
    return o.f === 1 && !((o.tech === 3 || o.tech === 4) && SAT_CAP >= 0 && bit(o.r, SAT_CAP));
  }
  // rankCost is what the policy ranks an option on, per premise served.
  function rankCost(o) {
    if (!o.ps) { return Infinity; }
    if (C.rank === 'public') { return o.pb / o.ps; }
    if (C.rank === 'npv') { return o.nv === null ? o.pb / o.ps : -o.nv / o.ps; }
    return o.pc / o.ps;
  }
  function rankShown(o) { return C.rank === 'npv' && o.nv !== null ? -rankCost(o) : rankCost(o); }
  function techName(t) { return L().tech[t]; }
  function reasonsOf(mask, short) {
    var out = [];
    for (var i = 0; i < C.codes.length; i++) { if (bit(mask, i)) { out.push((short ? L().rshort : L().rlong)[i]); } }
    return out;
  }
  // zoneWhy lists the zone's reasons attributed to the options carrying
  // them, options with the same reasons together: "LEO, GEO : ciel
  // obstrué". The chosen option's own reasons are marked as such.
  function zoneWhy(r, short) {
    var zr = Z.zr[r], texts = short ? L().rshort : L().rlong, byTech = {}, loose = [];
    for (var i = 0; i < C.codes.length; i++) {
      if (!bit(zr, i)) { continue; }
      var owners = TECHS.filter(function (t) { return bit(Z.o[t].r[r], i); });
      if (!owners.length && C.codes[i].indexOf('FIBRE_') === 0) { owners = [1]; }
      if (!owners.length) { loose.push(texts[i]); continue; }
      owners.forEach(function (t) { (byTech[t] = byTech[t] || []).push(texts[i]); });
    }
    var groups = [], sep = lang === 'fr' ? ' : ' : ': ';
    TECHS.forEach(function (t) {
      if (!byTech[t]) { return; }
      var name = L().techShort[t] + (t === Z.tech[r] ? ' ' + L().chosenMark : ''), text = byTech[t].join(', ');
      var g = groups.filter(function (g) { return g.text === text && t !== Z.tech[r] && !g.chosen; })[0];
      if (g) { g.names.push(name); } else { groups.push({names: [name], text: text, chosen: t === Z.tech[r]}); }
    });
    return groups.map(function (g) { return g.names.join(', ') + sep + g.text; }).concat(loose);
  }
  // techCell names the zone's chosen technology, and the others a mixed
  // option or a fallback adds.
  function techText(r) {
    var t = Z.tech[r], k = builtRow[r];
    if (k === undefined) { return L().techShort[t]; }
    var mix = Z.b.mix[k], parts = [L().techShort[t]];
    for (var u = 1; u < 5; u++) { if (u !== t && mix[u]) { parts.push(L().techShort[u]); } }
    return parts.join(' + ');
  }
  function yearText(y) {
    if (!y) { return L().notProgrammed; }
    return C.startYear ? String(C.startYear + y - 1) : fill(L().yearN, [y]);
  }

  // ---- the zone table: paged, sorted and filtered in memory ----
  var table = document.getElementById('zone-table'), tbody = table ? table.tBodies[0] : null;
  var COLS = [
    {k: 'id', s: function (r) { return Z.id[r]; }, h: function (r) { return esc(Z.id[r]); }},
    {k: 'name', s: function (r) { return key(Z.name[r]); }, cls: 'name', h: function (r) {
      var n = Z.name[r];
      return n.length > 80 ? '<span class="clamp" title="' + esc(n) + '">' + esc(n) + '</span>' : esc(n);
    }},
    {k: 'premises', n: 1, s: function (r) { return Z.prem[r]; }, h: function (r) { return num(Z.prem[r]); }},
    {k: 'units', n: 1, s: function (r) { return Z.units[r]; }, h: function (r) { return num(Z.units[r]); }},
    {k: 'tech', s: function (r) { return key(techText(r)); }, h: function (r) { return '<i class="dot t' + Z.tech[r] + '"></i>' + esc(techText(r)); }},
    {k: 'year', n: 1, phased: 1, s: function (r) { return Z.year[r] || Infinity; }, h: function (r) { return esc(yearText(Z.year[r])); }},
    {k: 'meets', s: function (r) { return Z.meets[r]; }, h: function (r) { return Z.meets[r] ? '<span class="ok">✓</span>' : '<span class="ko">✗</span>'; }},
    {k: 'cpp', n: 1, s: function (r) { var o = built(r); return o && o.ps ? o.pc / o.ps : -Infinity; }, h: function (r) { var o = built(r); return o && o.ps ? moneyHTML(o.pc / o.ps) : '–'; }},
    {k: 'capex', n: 1, s: function (r) { var o = built(r); return o ? o.cx : -Infinity; }, h: function (r) { var o = built(r); return o ? moneyHTML(o.cx) : '–'; }},
    {k: 'public', n: 1, s: function (r) { var o = built(r); return o ? o.pb : -Infinity; }, h: function (r) { var o = built(r); return o ? moneyHTML(o.pb) : '–'; }},
    {k: 'speed', n: 1, cls: 'c-speed', s: function (r) { var o = built(r); return o ? o.dn : -Infinity; }, h: function (r) { var o = built(r); return o ? num(o.dn, o.dn % 1 ? 1 : 0) + ' / ' + num(o.up, o.up % 1 ? 1 : 0) : '–'; }},
    {k: 'why', s: function (r) { return key(zoneWhy(r, true).join(' ')); }, h: function (r) { return esc(zoneWhy(r, true).join(' · ')); }, cls: 'why c-why'}
  ];
  var builtCache = {};
  function built(r) {
    if (!Z.tech[r]) { return null; }
    if (!(r in builtCache)) { builtCache[r] = option(r, 'b'); }
    return builtCache[r];
  }
  function key(s) { return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  var view = {order: null, shown: null, page: 0, size: 50, sort: -1, asc: true, q: '', tech: '', state: ''};
  var searchText = null, searchLang = '';
  function buildSearch() {
    if (searchLang === lang) { return; }
    searchText = new Array(N);
    for (var r = 0; r < N; r++) {
      searchText[r] = key(Z.id[r] + ' ' + Z.name[r] + ' ' + techName(Z.tech[r]) + ' ' + techText(r) + ' ' + zoneWhy(r, true).join(' '));
    }
    searchLang = lang;
  }
  function applyFilter() {
    var q = key(view.q.trim()), out = [];
    if (q) { buildSearch(); }
    var tech = view.tech === '' ? -1 : +view.tech;
    for (var i = 0; i < N; i++) {
      var r = view.order[i];
      if (tech >= 0 && Z.tech[r] !== tech) { continue; }
      if (view.state === 'met' && !Z.meets[r]) { continue; }
      if (view.state === 'notmet' && Z.meets[r]) { continue; }
      if (view.state === 'unprog' && (!Z.year || Z.year[r])) { continue; }
      if (q && searchText[r].indexOf(q) < 0) { continue; }
      out.push(r);
    }
    view.shown = out;
  }
  function applySort() {
    var order = new Array(N);
    for (var i = 0; i < N; i++) { order[i] = i; }
    if (view.sort >= 0) {
      var col = COLS[view.sort], dir = view.asc ? 1 : -1, ck = view.sort + lang, vals = sortKeys[ck];
      if (!vals) {
        vals = sortKeys[ck] = new Array(N);
        for (var r = 0; r < N; r++) { vals[r] = col.s(r); }
      }
      order.sort(function (a, b) {
        var x = vals[a], y = vals[b];
        return (x < y ? -dir : x > y ? dir : 0) || a - b;
      });
    }
    view.order = order;
  }
  var selectedRow = -1, sortKeys = {};
  function render(limit) {
    if (!tbody) { return; }
    var shown = view.shown, from = view.page * view.size, to = Math.min(shown.length, from + (limit || view.size));
    if (limit) { from = 0; to = Math.min(shown.length, limit); }
    var cols = activeCols(), html = [];
    for (var i = from; i < to; i++) {
      var r = shown[i], cells = [];
      for (var c = 0; c < cols.length; c++) {
        var col = cols[c];
        var cls = (col.n ? 'n ' : '') + (col.cls || '');
        cells.push('<td' + (cls ? ' class="' + cls.trim() + '"' : '') + '>' + col.h(r) + '</td>');
      }
      html.push('<tr data-r="' + r + '"' + (r === selectedRow ? ' class="sel"' : '') + '>' + cells.join('') + '</tr>');
    }
    tbody.innerHTML = html.join('');
    var info = document.getElementById('zone-count');
    if (info) {
      info.textContent = fill(L().shown, [shown.length ? num(from + 1) : '0', num(to), num(shown.length), num(N)]);
    }
    var prev = document.getElementById('zone-prev'), next = document.getElementById('zone-next');
    if (prev) { prev.disabled = view.page === 0; }
    if (next) { next.disabled = to >= shown.length; }
  }
  function activeCols() { return COLS.filter(function (c) { return !c.phased || Z.year; }); }
  function refresh(resort) {
    if (resort) { applySort(); }
    applyFilter();
    view.page = Math.min(view.page, Math.max(0, Math.ceil(view.shown.length / view.size) - 1));
    render();
  }
  function setupTable() {
    if (!table) { return; }
    var ths = table.tHead.rows[0].cells, cols = activeCols();
    for (var k = 0; k < ths.length; k++) {
      ths[k].addEventListener('click', (function (k) {
        return function () {
          var c = COLS.indexOf(cols[k]);
          var asc = view.sort === c ? !view.asc : !cols[k].n;
          for (var m = 0; m < ths.length; m++) { ths[m].removeAttribute('aria-sort'); }
          ths[k].setAttribute('aria-sort', asc ? 'ascending' : 'descending');
          view.sort = c; view.asc = asc; view.page = 0;
          refresh(true);
        };
      })(k));
    }
    var f = document.getElementById('zone-filter'), s = document.getElementById('zone-tech'), st = document.getElementById('zone-state');
    function onFilter() { view.q = f.value; view.tech = s.value; view.state = st ? st.value : ''; view.page = 0; refresh(false); }
    f.addEventListener('input', onFilter);
    s.addEventListener('change', onFilter);
    if (st) { st.addEventListener('change', onFilter); }
    document.getElementById('zone-prev').addEventListener('click', function () { view.page = Math.max(0, view.page - 1); render(); });
    document.getElementById('zone-next').addEventListener('click', function () { view.page++; render(); });
    document.getElementById('zone-size').addEventListener('change', function (e) { view.size = +e.target.value; view.page = 0; render(); });
    tbody.addEventListener('click', function (e) {
      var tr = e.target.closest('tr');
      if (tr) { openZone(+tr.getAttribute('data-r'), 'table'); }
    });
    applySort();
    applyFilter();
    render();
  }
  // showRow puts row r on the current page of the table and marks it.
  function showRow(r) {
    selectedRow = r;
    var i = view.shown.indexOf(r);
    if (i >= 0) { view.page = Math.floor(i / view.size); }
    render();
  }

  // ---- the "why this technology" panel ----
  var panel = document.getElementById('zone-panel'), panelRow = -1;
  function openZone(r, from) {
    if (!panel || r < 0 || r >= N) { return; }
    panelRow = r;
    drawPanel();
    panel.hidden = false;
    panel.setAttribute('data-zone', Z.id[r]);
    showRow(r);
    if (from !== 'map') { mapSelect(r, false); }
    panel.querySelector('.close').focus({preventScroll: true});
  }
  window.cpOpenZone = function (id) { openZone(Z.id.indexOf(String(id)), 'api'); };
  function closePanel() { if (panel) { panel.hidden = true; panelRow = -1; } }
  // whyText explains zone r's choice in sentences (HTML): how the policy
  // chose, the cheaper options ruled out, the fallback, the reasons by
  // option, the year and the target.
  function whyText(r) {
    var W = L().why, t = Z.tech[r], out = [], b = built(r), semi = lang === 'fr' ? ' ; ' : '; ';
    if (!Z.prem[r]) { return [W.noprem]; }
    var opts = TECHS.map(function (u) { return option(r, u); });
    // the budget policy offers each zone its lowest investment per premise
    var byCapex = C.policy === 'budget' && C.budgetPick !== 'rank';
    var measure = function (o) { return byCapex ? (o.ps ? o.cx / o.ps : Infinity) : rankCost(o); };
    var costOf = function (o) { return moneyHTML(byCapex ? measure(o) : rankShown(o)); };
    var named = function (o) { return esc(techName(o.tech)) + ' ' + costOf(o); };
    var usableBy = function (o) { return usable(o) && o.ps > 0; };
    var rank = esc(L().rank[C.rank]);
    var overIdx = codeIndex('OVER_BUDGET'), thrIdx = codeIndex('FIBRE_OVER_THRESHOLD');
    if (!t) {
      if (overIdx >= 0 && bit(Z.zr[r], overIdx)) {
        var offer = opts.filter(usableBy).sort(function (a, c) { return measure(a) - measure(c); })[0];
        out.push(fill(W.overBudget, [moneyHTML(C.budget)]) + (offer ? ' ' + fill(W.offer, [esc(techName(offer.tech)), moneyHTML(offer.cx / offer.ps)]) : ''));
      }
      var ruled = opts.filter(function (o) { return o.r; }).map(function (o) {
        return esc(techName(o.tech)) + ' (' + esc(reasonsOf(o.r, false).join(semi)) + ')';
      });
      if (ruled.length) { out.push(fill(W.none, [ruled.join(', ')])); }
      return out;
    }
    var chosen = opts[t - 1];
    var ranked = opts.filter(usableBy).sort(function (a, c) { return measure(a) - measure(c) || a.tech - c.tech; });
    var cheapest = ranked[0];
    var others = ranked.filter(function (o) { return o.tech !== t; }).map(named);
    var othersText = others.length ? fill(W.others, [others.join(', ')]) : '';
    if (Z.b.mx[builtRow[r]]) {
      var mix = Z.b.mix[builtRow[r]], alt = [];
      for (var u = 2; u < 5; u++) { if (mix[u]) { alt.push(fill(W.on, [num(mix[u]), esc(techName(u))])); } }
      out.push(fill(W.mixed, [num(mix[1]), alt.join(', '), moneyHTML(rankShown(b)), rank,
        cheapest ? esc(techName(cheapest.tech)) : '–', cheapest ? costOf(cheapest) : '–']));
    } else if (C.policy === 'fibre-first' && t === 1) {
      out.push(fill(W.fibreFirst, [moneyHTML(chosen.cx / chosen.ps), moneyHTML(C.threshold)]));
    } else if (C.policy === 'fibre-first' && thrIdx >= 0 && bit(Z.zr[r], thrIdx)) {
      var fo = opts[0];
      out.push(fill(W.overThreshold, [moneyHTML(fo.ps ? fo.cx / fo.ps : NaN), moneyHTML(C.threshold), esc(techName(t)), rank, costOf(chosen)]));
    } else if (C.policy === 'budget') {
      out.push(fill(byCapex ? W.budgetCapex : W.budgetRank, [esc(techName(t)), moneyHTML(chosen.cx / chosen.ps), rank, costOf(chosen), othersText]));
    } else if (C.policy === 'lowest-cost-band' && cheapest && cheapest.tech !== t && t === C.prio) {
      out.push(fill(W.band, [esc(techName(t)), costOf(chosen), share(C.band), esc(techName(cheapest.tech)), costOf(cheapest), rank]));
    } else if (cheapest && cheapest.tech === t) {
      out.push(fill(W.least, [esc(techName(t)), rank, costOf(chosen), othersText]));
      var prio = opts[C.prio - 1];
      if (C.policy === 'lowest-cost-band' && prio && prio.tech !== t && usableBy(prio)) {
        out.push(fill(W.bandOut, [esc(techName(prio.tech)), costOf(prio), share(C.band)]));
      }
    } else {
      out.push(fill(W.policy, [esc(techName(t)), esc(L().policy[C.policy] || C.policy)]));
    }
    var cheaperOut = opts.filter(function (o) { return o.tech !== t && !usable(o) && o.ps && measure(o) < measure(chosen); }).map(named);
    if (cheaperOut.length) { out.push(fill(W.cheaperOut, [cheaperOut.join(', ')])); }
    if (Z.b.fb && builtRow[r] !== undefined && Z.b.fb[builtRow[r]]) {
      var fb = Z.b.fb[builtRow[r]];
      out.push(fill(W.fallback, [num(Z.b.mix[builtRow[r]][fb]), esc(techName(fb))]));
    }
    var ruledOut = zoneWhy(r, false);
    if (ruledOut.length) { out.push(fill(W.ruled, [esc(ruledOut.join(semi))])); }
    if (Z.year) { out.push(Z.year[r] ? fill(W.year, [esc(yearText(Z.year[r]))]) : W.unscheduled); }
    out.push(Z.meets[r] ? W.meets : W.notMeets);
    return out;
  }
  function drawPanel() {
    var r = panelRow;
    if (r < 0) { return; }
    var P = L().panel, t = Z.tech[r], opts = TECHS.map(function (u) { return option(r, u); });
    var b = builtRow[r] !== undefined ? option(r, 'b') : null;
    var cols = opts.slice();
    if (b) { cols.push(b); }
    var h = [];
    h.push('<h2>' + esc(Z.name[r] || Z.id[r]) + ' <span class="zid">' + esc(Z.id[r]) + '</span></h2>');
    h.push('<p class="chips"><span class="chip"><i class="dot t' + t + '"></i>' + esc(techText(r)) + '</span>' +
      '<span class="chip">' + esc(fill(P.premises, [num(Z.prem[r]), num(Z.units[r])])) + '</span>' +
      (Z.year ? '<span class="chip">' + esc(yearText(Z.year[r])) + '</span>' : '') + '</p>');
    h.push('<div class="why">' + whyText(r).map(function (s) { return '<p>' + s + '</p>'; }).join('') + '</div>');
    h.push('<div class="optwrap"><table class="opts"><thead><tr><th></th>');
    cols.forEach(function (o, i) {
      var head = i < 4 ? esc(L().techShort[o.tech]) : esc(P.built);
      h.push('<th class="n' + ((i < 4 && o.tech === t && !b) || i === 4 ? ' chosen' : '') + '">' + head + '</th>');
    });
    h.push('</tr></thead><tbody>');
    function row(label, f, cls) {
      h.push('<tr' + (cls ? ' class="' + cls + '"' : '') + '><th>' + esc(label) + '</th>');
      cols.forEach(function (o, i) {
        h.push('<td class="n' + ((i < 4 && o.tech === t && !b) || i === 4 ? ' chosen' : '') + '">' + f(o) + '</td>');
      });
      h.push('</tr>');
    }
    function per(v, o) { return o.ps ? moneyHTML(v / o.ps) : '–'; }
    row(P.feasible, function (o) { return o.f ? esc(L().yes) : '<span class="ko">' + esc(L().no) + '</span>'; });
    row(P.served, function (o) { return num(o.ps); });
    row(P.unserved, function (o) { return num(o.pu); });
    row(P.speed, function (o) { return num(o.dn, o.dn % 1 ? 1 : 0) + ' / ' + num(o.up, o.up % 1 ? 1 : 0); });
    row(P.latency, function (o) { return num(o.lt); });
    row(P.capex, function (o) { return moneyHTML(o.cx); }, 'sum');
    var items = {};
    cols.forEach(function (o) { Object.keys(o.items).forEach(function (k) { items[k] = 1; }); });
    Object.keys(items).sort(function (a, c) { return a - c; }).forEach(function (k) {
      row(L().items[k], function (o) { return o.items[k] ? moneyHTML(o.items[k]) : '–'; }, 'item');
    });
    row(P.capexPer, function (o) { return per(o.cx, o); });
    row(P.opex, function (o) { return moneyHTML(o.ox); });
    row(P.network, function (o) { return moneyHTML(o.nc); }, 'pv');
    row(P.subscribers, function (o) { return moneyHTML(o.sc); }, 'pv');
    row(P.revenue, function (o) { return o.rv ? moneyHTML(-o.rv) : '–'; }, 'pv');
    row(P.present, function (o) { return moneyHTML(o.pc); }, 'sum');
    row(P.presentPer, function (o) { return per(o.pc, o); });
    row(P.subsidy, function (o) { return moneyHTML(o.sb); }, 'pv');
    row(P.public, function (o) { return moneyHTML(o.pb); }, 'sum');
    row(P.publicPer, function (o) { return per(o.pb, o); });
    if (cols.some(function (o) { return o.nv !== null; })) {
      row(P.npv, function (o) { return o.nv === null ? '–' : moneyHTML(o.nv); });
    }
    row(fill(P.rank, [L().rank[C.rank]]), function (o) { return o.ps ? moneyHTML(rankShown(o)) : '–'; }, 'rank');
    row(P.reasons, function (o) { return esc(reasonsOf(o.r, false).join(lang === 'fr' ? ' ; ' : '; ')) || '–'; }, 'reasons');
    h.push('</tbody></table></div>');
    h.push('<p class="note">' + esc(fill(P.basis, [C.horizon, share(C.rate)])) + '</p>');
    var content = panel.querySelector('.content');
    content.innerHTML = h.join('');
    var goto = panel.querySelector('.goto');
    if (goto) { goto.hidden = !map; }
  }
  function setupPanel() {
    if (!panel) { return; }
    panel.querySelector('.close').addEventListener('click', closePanel);
    var goto = panel.querySelector('.goto');
    if (goto) {
      goto.addEventListener('click', function () {
        var m = document.getElementById('map');
        if (m) { m.scrollIntoView({block: 'start'}); }
        mapSelect(panelRow, true);
      });
    }
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') { closePanel(); } });
  }

  // ---- charts (echarts) ----
  var charts = CP_CHARTS, map = null, printTimer = 0;
  function drawChart(c) {
    var el = document.getElementById(c.id);
    if (!el || typeof echarts === 'undefined') { return; }
    try {
      if (!c.inst) { c.inst = echarts.init(el, null, {renderer: 'canvas'}); }
      c.inst.setOption(c.opt[lang], true);
      el.setAttribute('data-drawn', lang);
    } catch (e) {
      el.setAttribute('data-error', String(e));
      el.textContent = 'Chart error: ' + e;
    }
  }
  function drawAll() {
    charts.forEach(drawChart);
    var m = document.getElementById('chart-map');
    if (m && map) { m.setAttribute('data-drawn', lang); }
  }
  window.cpRolloutTip = function (ps) {
    var s = esc(ps.length ? ps[0].axisValueLabel : '');
    ps.forEach(function (p) {
      s += '<br>' + p.marker + esc(p.seriesName) + colon() + (p.seriesType === 'line' ? esc(eur(p.value)) : num(p.value));
    });
    return s;
  };
  function colon() { return lang === 'fr' ? ' : ' : ': '; }

  // ---- the map (map.js) ----
  // cpZoneTip is the tooltip of input zone z on the map.
  window.cpZoneTip = function (z) {
    var r = rowOfZone[z], Lg = L();
    if (r === undefined) { return ''; }
    var o = built(r), s = '<b>' + esc(Z.name[r] || Z.id[r]) + '</b> (' + esc(Z.id[r]) + ')<br>' +
      esc(Lg.cols.tech) + colon() + esc(techText(r)) + '<br>' + esc(Lg.cols.premises) + colon() + num(Z.prem[r]);
    if (o && o.ps) { s += '<br>' + esc(Lg.cols.cpp) + colon() + esc(money(o.pc / o.ps)); }
    if (Z.year) { s += '<br>' + esc(yearText(Z.year[r])); }
    return s + '<br><i>' + esc(Lg.clickZone) + '</i>';
  };
  function pointTip(st, q) {
    var name = st[lang], extra = '';
    if (st.group === 'prem' && typeof q[2] === 'number') {
      var r = rowOfZone[q[2]];
      extra = r !== undefined ? esc(Z.name[r] || Z.id[r]) : '';
    } else if (typeof q[2] === 'string') {
      extra = esc(q[2]);
    } else if (st.key === 'newNodes' && q[2] > 1) {
      extra = '× ' + num(q[2]);
    }
    return '<i class="dot" style="background:' + esc(st.color) + '"></i>' + esc(name) + (extra ? '<br>' + extra : '');
  }
  function setupMap(geo, layers) {
    var el = document.getElementById('chart-map');
    if (!el || !geo) { return; }
    var colors = C.zoneColors, zt = layers.zt || [];
    var first = true;
    map = window.CPMap(el, geo, layers, {
      styles: C.layers,
      zoneColor: function (z) { return zt[z] >= 0 ? colors[zt[z]] : null; },
      onClick: function (z) { var r = rowOfZone[z]; if (r !== undefined) { openZone(r, 'map'); } },
      tip: window.cpZoneTip,
      pointTip: pointTip,
      onDraw: function () {
        el.setAttribute('data-drawn', lang);
        var canvas = el.querySelector('canvas');
        if (first) {
          first = false;
          printImages(canvas.toDataURL('image/png'), true);
          return;
        }
        // the printed map follows the view on screen, once it settles (an
        // image changed while printing would stall the print)
        clearTimeout(printTimer);
        printTimer = setTimeout(function () { printImages(canvas.toDataURL('image/png'), false); }, 600);
      }
    });
    var boxes = document.querySelectorAll('#map-legend input[data-layer]');
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener('change', function (e) { map.show(e.target.getAttribute('data-layer'), e.target.checked); });
    }
    var reset = document.getElementById('map-reset');
    if (reset) { reset.addEventListener('click', function () { map.reset(); }); }
  }
  // printImages puts the map's picture where paper needs it: the cover
  // (the first, whole view) and the map section (the view on screen).
  function printImages(url, cover) {
    var img = document.getElementById('cover-map');
    if (img && cover) { img.src = url; }
    var pm = document.getElementById('map-print');
    if (pm) { pm.src = url; }
  }
  function mapSelect(r, zoom) {
    if (map && r >= 0) { map.select(Z.z[r], zoom); }
  }

  // ---- language, print, start-up ----
  function setLang(l) {
    lang = l;
    body.className = body.className.replace(/\blang-\w+/, 'lang-' + l);
    document.documentElement.lang = l;
    var f = document.getElementById('zone-filter');
    if (f) { f.placeholder = L().filter; }
    var opts = document.querySelectorAll('option[data-' + l + ']');
    for (var i = 0; i < opts.length; i++) { opts[i].textContent = opts[i].getAttribute('data-' + l); }
    builtCache = {};
    if (Z) { render(); drawPanel(); }
    drawAll();
  }
  var btn = document.getElementById('lang-toggle');
  if (btn) { btn.addEventListener('click', function () { setLang(lang === 'fr' ? 'en' : 'fr'); }); }
  var pbtn = document.getElementById('print');
  if (pbtn) { pbtn.addEventListener('click', function () { window.print(); }); }
  var printing = false;
  function beforePrint() {
    if (printing || !Z) { return; }
    printing = true;
    render(C.printRows);
    var note = document.getElementById('print-note');
    if (note) { note.hidden = view.shown.length <= C.printRows; }
    charts.forEach(function (c) { if (c.inst) { c.inst.resize({width: 680}); } });
  }
  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    render();
    charts.forEach(function (c) { if (c.inst) { c.inst.resize(); } });
  }
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);
  window.addEventListener('resize', function () {
    if (!printing) { charts.forEach(function (c) { if (c.inst) { c.inst.resize(); } }); }
  });

  // mark records when each stage of the start-up ended (ms since the
  // navigation), in the body's data-timing, for measurements.
  var timing = [];
  function mark(name) {
    timing.push(name + ':' + Math.round(performance.now()));
    body.setAttribute('data-timing', timing.join(' '));
  }
  mark('script');
  var h = /lang=(fr|en)/.exec(location.hash);
  if (h && h[1] !== lang) { setLang(h[1]); } else { drawAll(); }
  mark('charts');
  setupPanel();
  Promise.all([block('cp-zones'), block('cp-geo'), block('cp-layers')]).then(function (res) {
    mark('data');
    Z = res[0];
    N = Z.id.length;
    Z.b.row.forEach(function (r, k) { builtRow[r] = k; });
    for (var r = 0; r < N; r++) { rowOfZone[Z.z[r]] = r; }
    setupTable();
    mark('table');
    setupMap(res[1], res[2] || {});
    mark('map');
    var hz = /zone=([^&]+)/.exec(location.hash);
    if (hz) { openZone(Z.id.indexOf(decodeURIComponent(hz[1])), 'hash'); }
    body.setAttribute('data-ready', String(Math.round(performance.now())));
  }).catch(function (e) { fail('data', e); });
})();
