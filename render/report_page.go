package render

import (
	"html/template"
	"math"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// pageScript writes the page's own script: labels for the client, the
// shared data, the chart options, and the code that draws the charts,
// switches language and sorts and filters the zone table. It returns the
// ids of the charts it draws, for the template to write their containers.
func pageScript(d *reportData, pg *reportPage) (string, []string, error) {
	var b strings.Builder
	b.WriteString("\"use strict\";\n")

	// labels the script needs, per language
	tl := map[string]map[string]any{}
	for _, l := range langs {
		names := make([]string, coverage.NumTechs)
		for i := range names {
			names[i] = techLabels[i].in(l)
		}
		tl[string(l)] = map[string]any{
			"tech": names, "zone": label("tt.zone").in(l), "premise": label("tt.premise").in(l),
			"techH": label("col.tech").in(l), "cpp": label("col.cpp").in(l), "premises": label("col.premises").in(l),
			"reasons": label("col.reasons").in(l), "meets": label("col.meets").in(l),
			"yes": label("yes").in(l), "no": label("no").in(l),
			"filter": label("tbl.filter").in(l), "shown": label("tbl.shown").in(l),
		}
	}
	js, err := jsonJS(tl)
	if err != nil {
		return "", nil, err
	}
	b.WriteString("var CP_T = " + js + ";\n")
	b.WriteString("var CP_LANG = \"" + string(d.lang) + "\";\n")

	var specs []chartSpec
	if pg.Charts && !pg.Empty {
		builders := []func(*reportData) (chartSpec, error){techMixChart}
		if len(d.curve) > 1 {
			builders = append(builders, costCurveChart)
		}
		if pg.HasDist {
			builders = append(builders, histogramChart)
		}
		if pg.Phased {
			builders = append(builders, rolloutChart)
		}
		if pg.HasMap {
			builders = append(builders, mapChart)
		}
		for _, f := range builders {
			s, err := f(d)
			if err != nil {
				return "", nil, err
			}
			specs = append(specs, s)
		}
	}

	data := map[string]any{}
	if pg.Charts && pg.HasMap {
		zi := make([]any, len(d.src.Input.Zones))
		for i := range d.rows {
			r := &d.rows[i]
			var cpp any
			if !math.IsNaN(r.CostPerPremise) && !math.IsInf(r.CostPerPremise, 0) {
				cpp = roundTo(r.CostPerPremise, 0)
			}
			meets := 0
			if r.Meets {
				meets = 1
			}
			zi[r.Index] = []any{r.Name, r.ID, int(r.Tech), cpp, r.Reasons, r.Premises, meets}
		}
		data["zi"] = zi
		for t := range d.sample.Points {
			if len(d.sample.Points[t]) > 0 {
				data["p"+string(rune('0'+t))] = d.sample.Points[t]
			}
		}
	}
	js, err = jsonJS(data)
	if err != nil {
		return "", nil, err
	}
	b.WriteString("var CP_DATA = " + js + ";\n")
	if pg.Charts && pg.HasMap {
		b.WriteString("var CP_GEO = ")
		b.WriteString(optionSafe(string(d.zmap.GeoJSON)))
		b.WriteString(";\n")
	} else {
		b.WriteString("var CP_GEO = null;\n")
	}

	ids := make([]string, 0, len(specs))
	b.WriteString("var CP_CHARTS = [")
	for i, s := range specs {
		if i > 0 {
			b.WriteString(",")
		}
		fill, err := jsonJS(s.Fill)
		if err != nil {
			return "", nil, err
		}
		if s.Fill == nil {
			fill = "[]"
		}
		b.WriteString("\n{id: \"" + s.ID + "\", fill: " + fill + ", opt: {")
		for li, l := range langs {
			if li > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + string(l) + ": ")
			b.WriteString(optionSafe(s.Opt[li]))
		}
		b.WriteString("}}")
		ids = append(ids, s.ID)
	}
	b.WriteString("];\n")
	b.WriteString(pageJS)
	return b.String(), ids, nil
}

// optionSafe makes echarts option text (JSON with functions) safe inside
// <script>: "</" only occurs in string literals there.
func optionSafe(s string) string {
	s = strings.ReplaceAll(s, "</", `<\/`)
	return strings.ReplaceAll(s, "<!--", `<\u0021--`)
}

// pageJS is the page's code. It needs no library for the table and the
// language toggle; charts are drawn only when echarts is present.
const pageJS = `
(function () {
  var body = document.body;
  var lang = CP_LANG;
  var nfCache = {};
  function nf(d) {
    var k = lang + d;
    if (!nfCache[k]) {
      nfCache[k] = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', {minimumFractionDigits: d, maximumFractionDigits: d});
    }
    return nfCache[k];
  }
  window.cpFmt = function (v, d) {
    if (v === null || v === undefined || v === '' || isNaN(v)) { return '–'; }
    return nf(d || 0).format(v);
  };
  window.cpEUR = function (v) {
    if (v === null || v === undefined || isNaN(v)) { return '–'; }
    var s = cpFmt(v, 0);
    return lang === 'fr' ? s + '\u202f€' : (v < 0 ? '-€' + cpFmt(-v, 0) : '€' + s);
  };
  window.cpEURShort = function (v) {
    var a = Math.abs(v), u = ['', '', ''], x = v, d = 0;
    if (a >= 1e9) { x = v / 1e9; d = 1; u = ['Md€', 'bn', 'bn']; }
    else if (a >= 1e6) { x = v / 1e6; d = 1; u = ['M€', 'M', 'M']; }
    else if (a >= 1e3) { x = v / 1e3; d = 0; u = ['k€', 'k', 'k']; }
    else { u = ['€', '', '']; }
    if (lang === 'fr') { return cpFmt(x, d) + '\u202f' + u[0]; }
    return (x < 0 ? '-€' : '€') + cpFmt(Math.abs(x), d) + u[1];
  };
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  window.cpMapTip = function (p) {
    var T = CP_T[lang], zi = CP_DATA.zi || [];
    if (p.seriesType === 'map') {
      var z = zi[+p.name];
      if (!z) { return ''; }
      var s = '<b>' + esc(z[0]) + '</b> (' + esc(z[1]) + ')<br>' +
        T.techH + ': ' + esc(T.tech[z[2]]) + '<br>' +
        T.premises + ': ' + cpFmt(z[5]) + '<br>' +
        T.cpp + ': ' + cpFmt(z[3]) + '<br>' +
        T.meets + ': ' + (z[6] ? T.yes : T.no);
      if (z[4]) { s += '<br>' + T.reasons + ': ' + esc(z[4]); }
      return s;
    }
    if (p.seriesType === 'scatter') {
      var q = zi[p.value[2]];
      return p.marker + esc(p.seriesName) + (q ? '<br>' + T.zone + ': ' + esc(q[0]) + ' (' + esc(q[1]) + ')' : '');
    }
    return esc(p.name || '');
  };

  function draw() {
    if (typeof echarts === 'undefined') { return; }
    CP_CHARTS.forEach(function (c) {
      var el = document.getElementById(c.id);
      if (!el) { return; }
      try {
        if (!c.inst) { c.inst = echarts.init(el, null, {renderer: 'canvas'}); }
        var o = c.opt[lang];
        c.fill.forEach(function (f) { o.series[f.s].data = CP_DATA[f.k]; });
        c.inst.setOption(o, true);
        el.setAttribute('data-drawn', lang);
      } catch (e) {
        el.setAttribute('data-error', String(e));
        el.textContent = 'Chart error: ' + e;
      }
    });
  }

  if (typeof echarts !== 'undefined' && CP_GEO) {
    try { echarts.registerMap('` + mapName + `', CP_GEO); }
    catch (e) { body.setAttribute('data-error', 'registerMap: ' + e); }
  }
  if (CP_DATA.zi) {
    var zs = [];
    CP_DATA.zi.forEach(function (z, i) { if (z) { zs.push({name: String(i), value: z[2]}); } });
    CP_DATA.zones = zs;
  }

  var table = document.getElementById('zone-table');
  function reformat() {
    if (!table) { return; }
    var cells = table.tBodies[0].querySelectorAll('td[data-v]');
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i];
      if (c.getAttribute('data-v') === '') { continue; }
      c.textContent = cpFmt(c.getAttribute('data-v'), +(c.getAttribute('data-d') || 0));
    }
  }
  function setLang(l) {
    lang = l;
    body.className = body.className.replace(/\blang-\w+/, 'lang-' + l);
    document.documentElement.lang = l;
    var f = document.getElementById('zone-filter');
    if (f) { f.placeholder = CP_T[l].filter; }
    var opts = document.querySelectorAll('option[data-' + l + ']');
    for (var i = 0; i < opts.length; i++) { opts[i].textContent = opts[i].getAttribute('data-' + l); }
    reformat();
    count();
    draw();
  }
  var btn = document.getElementById('lang-toggle');
  if (btn) { btn.addEventListener('click', function () { setLang(lang === 'fr' ? 'en' : 'fr'); }); }

  var shown = document.getElementById('zone-count');
  function count() {
    if (!table || !shown) { return; }
    var n = 0, rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) { if (!rows[i].hidden) { n++; } }
    shown.textContent = cpFmt(n) + ' / ' + cpFmt(rows.length) + ' ' + CP_T[lang].shown;
  }
  function filter() {
    var q = (document.getElementById('zone-filter').value || '').toLowerCase();
    var t = document.getElementById('zone-tech').value;
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      r.hidden = (t !== '' && r.getAttribute('data-t') !== t) ||
        (q !== '' && r.textContent.toLowerCase().indexOf(q) < 0);
    }
    count();
  }
  if (table) {
    document.getElementById('zone-filter').addEventListener('input', filter);
    document.getElementById('zone-tech').addEventListener('change', filter);
    var ths = table.tHead.rows[0].cells;
    for (var k = 0; k < ths.length; k++) {
      ths[k].addEventListener('click', (function (col, th) {
        return function () {
          var asc = th.getAttribute('aria-sort') !== 'ascending';
          for (var m = 0; m < ths.length; m++) { ths[m].removeAttribute('aria-sort'); }
          th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
          var num = th.getAttribute('data-num') === '1';
          var tb = table.tBodies[0], rows = Array.prototype.slice.call(tb.rows);
          var key = rows.map(function (r, i) {
            var c = r.cells[col], v = c.textContent;
            if (num && c.hasAttribute('data-v')) { v = c.getAttribute('data-v'); }
            return {r: r, i: i, v: num ? (v === '' ? -Infinity : +v) : v};
          });
          key.sort(function (a, b) {
            var x = num ? (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) : a.v.localeCompare(b.v, lang);
            return (asc ? x : -x) || a.i - b.i;
          });
          var frag = document.createDocumentFragment();
          key.forEach(function (e) { frag.appendChild(e.r); });
          tb.appendChild(frag);
        };
      })(k, ths[k]));
    }
    count();
  }
  var h = /lang=(fr|en)/.exec(location.hash);
  if (h && h[1] !== lang) { setLang(h[1]); } else { draw(); }
  window.addEventListener('resize', function () {
    CP_CHARTS.forEach(function (c) { if (c.inst) { c.inst.resize(); } });
  });
})();
`

// pageTemplate is report.html. Every text is written in both languages
// (see biHTML); the body's lang-xx class shows one.
var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"t": t, "label": label}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="covplan {{.Version}}">
<title>covplan{{if .SubTitle}} – {{.SubTitle}}{{end}}</title>
<style>
:root { {{.TechCSS}} }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
.lang-fr .en, .lang-en .fr { display: none; }
header { background: #17324d; color: #fff; padding: 14px 24px; display: flex; align-items: center; gap: 18px; flex-wrap: wrap; }
header h1 { font-size: 22px; margin: 0; font-weight: 600; }
header .sub { font-size: 18px; opacity: .9; }
header .ver { margin-left: auto; font-size: 13px; opacity: .8; }
header button { background: #fff; color: #17324d; border: 0; border-radius: 4px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
nav { background: #fff; border-bottom: 1px solid #dde2e8; padding: 8px 24px; display: flex; gap: 16px; flex-wrap: wrap; font-size: 14px; }
nav a { color: #17324d; text-decoration: none; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 40px; }
section { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: 14px 20px; margin: 16px 0; }
h2 { font-size: 19px; margin: 4px 0 8px; }
h3 { font-size: 16px; margin: 14px 0 6px; }
.doc, .note { color: #55606d; font-size: 14px; margin: 4px 0 8px; }
.banner { background: #fff3cd; border: 1px solid #e0b100; color: #5c4400; padding: 12px 18px; margin: 16px 0; border-radius: 6px; font-weight: 600; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
.fig { border: 1px solid #e3e7ec; border-radius: 6px; padding: 10px 12px; }
.fig .v { font-size: 21px; font-weight: 650; }
.fig .k { font-size: 13px; color: #55606d; }
.fig .x { font-size: 12px; color: #7a8591; }
.chart { width: 100%; min-height: 200px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #e6e9ed; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; position: sticky; top: 0; }
td.n, th.n, td.ok, td.ko { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ok { color: #1a7f37; } td.ko { color: #b42318; }
#zone-table td:last-child { font-size: 11px; color: #55606d; }
{{.NumCSS}}
#zone-table th { cursor: pointer; user-select: none; }
#zone-table th[aria-sort=ascending]::after { content: " ▲"; } #zone-table th[aria-sort=descending]::after { content: " ▼"; }
.tablewrap { max-height: 640px; overflow: auto; border: 1px solid #e6e9ed; }
.tools { display: flex; gap: 10px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
.tools input { padding: 5px 8px; min-width: 240px; }
i.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
{{.DotCSS}}
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
footer { text-align: center; color: #7a8591; font-size: 12px; padding: 12px; }
@media print {
  nav, #lang-toggle, .tools { display: none; }
  body { background: #fff; }
  .tablewrap { max-height: none; overflow: visible; border: 0; }
  section { border: 0; padding: 0; break-inside: auto; }
  .chart { break-inside: avoid; }
  th { position: static; }
}
</style>
</head>
<body class="lang-{{.Lang}}">
<header>
<h1>{{.Title}}</h1>{{if .SubTitle}}<span class="sub">{{.SubTitle}}</span>{{end}}
<span class="ver">covplan {{.Version}}</span>
<button id="lang-toggle" type="button">{{t "lang.toggle"}}</button>
</header>
<nav>
<a href="#figures">{{t "nav.figures"}}</a><a href="#mix">{{t "nav.mix"}}</a><a href="#curve">{{t "nav.curve"}}</a><a href="#dist">{{t "nav.dist"}}</a><a href="#rollout">{{t "nav.rollout"}}</a><a href="#map">{{t "nav.map"}}</a><a href="#zones">{{t "nav.zones"}}</a><a href="#inputs">{{t "nav.inputs"}}</a>
</nav>
<main>
{{if .NoAssets}}<div class="banner" id="no-assets">{{t "noassets"}}</div>{{end}}
{{if .Charts}}<noscript><div class="banner">{{t "nojs"}}</div></noscript>{{end}}
{{if .Empty}}<div class="banner" id="empty-plan">{{t "empty"}}</div>{{end}}

<section id="figures">
<h2>{{t "nav.figures"}}</h2>
<div class="figs">
{{range .Figures}}<div class="fig"><div class="v">{{.Value}}</div><div class="k">{{.Key}}</div>{{if .Note}}<div class="x">{{.Note}}</div>{{end}}</div>
{{end}}</div>
<p class="doc">{{.Fidelity}}</p>
{{if .Reach}}<h3>{{t "reach.title"}}</h3>
<table id="reach">
<thead><tr><th>{{t "reach.kind"}}</th><th class="n">{{t "col.premises"}}</th><th class="n">{{t "reach.reached"}}</th><th class="n">%</th></tr></thead>
<tbody>
{{range .Reach}}<tr><td>{{.Kind}} <code>{{.Code}}</code>{{if .Priority}} <b>★ {{t "reach.prio"}}</b>{{end}}</td><td class="n">{{.Premises}}</td><td class="n">{{.Reached}}</td><td class="n">{{.Share}}</td></tr>
{{end}}</tbody>
</table>{{end}}
</section>

<section id="mix">
<h2>{{t "mix.title"}}</h2>
<p class="doc">{{t "mix.doc"}}</p>
{{if index .ChartIDs "chart-mix"}}<div class="chart" id="chart-mix" style="height:260px"></div>{{end}}
<table>
<thead><tr><th>{{t "mix.tech"}}</th><th class="n">{{t "col.zones"}}</th><th class="n">{{t "col.premises"}}</th><th class="n">{{t "mix.share"}}</th><th class="n">{{t "col.units"}}</th><th class="n">{{t "col.capex"}}</th><th class="n">{{t "col.npv"}}</th></tr></thead>
<tbody>
{{range .TechRows}}<tr><td><i class="dot t-{{.Code}}"></i>{{.Name}} <code>{{.Code}}</code></td><td class="n">{{.Zones}}</td><td class="n">{{.Premises}}</td><td class="n">{{.Share}}</td><td class="n">{{.Units}}</td><td class="n">{{.Capex}}</td><td class="n">{{.NPV}}</td></tr>
{{end}}<tr><th>Total</th><th class="n">{{.TechTotal.Zones}}</th><th class="n">{{.TechTotal.Premises}}</th><th class="n">{{.TechTotal.Share}}</th><th class="n">{{.TechTotal.Units}}</th><th class="n">{{.TechTotal.Capex}}</th><th class="n">{{.TechTotal.NPV}}</th></tr>
</tbody>
</table>
</section>

<section id="curve">
<h2>{{t "curve.title"}}</h2>
<p class="doc">{{t "curve.doc"}}</p>
{{if index .ChartIDs "chart-curve"}}<div class="chart" id="chart-curve" style="height:420px"></div>{{end}}
{{if .CurveNote}}<p class="note">{{.CurveNote}}</p>{{end}}
</section>

<section id="dist">
<h2>{{t "dist.title"}}</h2>
<p class="doc">{{t "dist.doc"}}</p>
{{if index .ChartIDs "chart-dist"}}<div class="chart" id="chart-dist" style="height:380px"></div>{{end}}
</section>

<section id="rollout">
<h2>{{t "roll.title"}}</h2>
{{if .Phased}}<p class="doc">{{t "roll.doc"}}</p>
{{if index .ChartIDs "chart-rollout"}}<div class="chart" id="chart-rollout" style="height:380px"></div>{{end}}
<table>
<thead><tr><th>{{t "roll.year"}}</th><th class="n">{{t "col.zones"}}</th><th class="n">{{t "roll.premises"}}</th><th class="n">{{t "roll.capex"}}</th><th class="n">{{t "roll.cumul"}}</th></tr></thead>
<tbody>
{{range .Rollout}}<tr><td>{{.Year}}</td><td class="n">{{.Zones}}</td><td class="n">{{.Premises}}</td><td class="n">{{.Capex}}</td><td class="n">{{.Cumul}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p class="doc" id="not-phased">{{t "roll.none"}}</p>{{end}}
</section>

<section id="map">
<h2>{{t "map.title"}}</h2>
{{if .HasMap}}<p class="doc">{{t "map.doc"}}</p>{{end}}
{{if index .ChartIDs "chart-map"}}<div class="chart" id="chart-map" style="height:640px"></div>{{end}}
{{range .MapNotes}}<p class="note">{{.}}</p>
{{end}}</section>

<section id="zones">
<h2>{{t "tbl.title"}}</h2>
<p class="doc">{{t "tbl.doc"}}</p>
{{if .TableNote}}<p class="note">{{.TableNote}}</p>{{end}}
<div class="tools">
<input id="zone-filter" type="search" placeholder="{{if eq .Lang "fr"}}Filtrer…{{else}}Filter…{{end}}">
<select id="zone-tech"><option value="" data-fr="{{(label "tbl.alltech").FR}}" data-en="{{(label "tbl.alltech").EN}}">{{if eq .Lang "fr"}}{{(label "tbl.alltech").FR}}{{else}}{{(label "tbl.alltech").EN}}{{end}}</option>{{range .TechOpts}}<option value="{{.Code}}">{{.Code}}</option>{{end}}</select>
<span id="zone-count" class="note"></span>
</div>
<div class="tablewrap">
<table id="zone-table">
<thead><tr>{{range .Cols}}<th{{if .Num}} class="n" data-num="1"{{end}}>{{.Label}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}{{.}}
{{end}}</tbody>
</table>
</div>
</section>

<section id="inputs">
<h2>{{t "in.title"}}</h2>
<p><b>{{t "in.version"}}</b>: <span class="mono">{{.Version}}</span></p>
<p><b>{{t "in.frame"}}</b>: {{if .Frame}}<span class="mono">{{.Frame}}</span>{{else}}{{t "in.noframe"}}{{end}}</p>
<h3>{{t "in.files"}}</h3>
{{if .Inputs}}<table>
<thead><tr><th>{{t "in.role"}}</th><th>{{t "in.file"}}</th><th class="n">{{t "in.records"}}</th><th class="n">{{t "in.skipped"}}</th><th>{{t "in.crs"}}</th><th>{{t "in.sha"}}</th></tr></thead>
<tbody>
{{range .Inputs}}<tr><td>{{.Role}}</td><td>{{.Name}}</td><td class="n">{{.Records}}</td><td class="n">{{.Skipped}}</td><td>{{.CRS}}</td><td class="mono">{{.SHA256}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p class="note">{{t "in.nofiles"}}</p>{{end}}
<h3>{{t "in.skips"}}</h3>
{{if .Skipped}}<table>
<thead><tr><th>{{t "in.file"}}</th><th>{{t "in.reason"}}</th><th class="n">{{t "in.count"}}</th></tr></thead>
<tbody>
{{range .Skipped}}<tr><td>{{.File}}</td><td>{{.Reason}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p class="note" id="no-skips">{{t "in.noskips"}}</p>{{end}}
<h3>{{t "in.scenario"}}</h3>
{{if .Scenario}}<p class="note">{{t "in.changed"}}</p>
<table id="scenario">
<thead><tr><th>{{t "in.param"}}</th><th class="n">{{t "in.value"}}</th><th class="n">{{t "in.default"}}</th><th></th><th></th></tr></thead>
<tbody>
{{range .Scenario}}<tr><td class="mono">{{.Key}}</td><td class="n">{{if .Changed}}<b>{{.Value}}</b>{{else}}{{.Value}}{{end}}</td><td class="n">{{.Default}}</td><td>{{.Unit}}</td><td class="note">{{.Doc}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p class="note">{{t "in.noscenario"}}</p>{{end}}
<h3>{{t "in.reasons"}}</h3>
<table>
<tbody>
{{range .Reasons}}<tr><td class="mono">{{.Code}}</td><td>{{.Text}}</td></tr>
{{end}}</tbody>
</table>
<h3>{{t "in.limits"}}</h3>
{{range .Limits}}<p class="note">{{.}}</p>{{end}}
</section>
</main>
<footer>{{t "generated"}} {{.Version}}{{if .Charts}} · Apache ECharts (Apache-2.0){{end}}</footer>
{{if .Charts}}<script>{{.Echarts}}</script>
{{end}}<script>{{.Script}}</script>
</body>
</html>
`))
