package render

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/covplan/covplan/coverage"
)

// chromiumPath is where Debian's chromium package (and the CI image, see
// the Makefile) puts the browser.
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on a local file with args and returns
// its standard output. Nothing is fetched from the network: the page is
// self-contained, forbids requests by its Content-Security-Policy, and
// background networking is off. Every console message (an error, a CSP
// violation, an echarts warning: the page itself logs nothing) fails the
// test.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(), "--virtual-time-budget=15000",
		"--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("console message: %s", line)
		}
	}
	return stdout.Bytes()
}

func skipWithoutBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser test skipped: %s not found (apt-get install chromium)", chromiumPath)
	}
	if !HasEcharts() {
		t.Skip("browser test skipped: echarts.min.js is not embedded (run `make assets`)")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
}

var chartDiv = regexp.MustCompile(`<div class="chart[^"]*" id="(chart-[a-z]+)"[^>]*>`)

// TestReportBrowser opens the report in headless Chromium and checks that
// every chart drew (echarts put a canvas in each chart container, no
// "Chart error", no error recorded by the page), in the opening language and
// after switching language through the URL, that the zone data loaded
// (plain and compressed), then takes a screenshot and checks that the
// technology colours are on it, and prints the page.
func TestReportBrowser(t *testing.T) {
	skipWithoutBrowser(t)
	dir := t.TempDir()
	big := largeSource(5, 2500, 60, 60000)
	big.Plan.Scenario = coverage.DefaultScenario()
	cases := []struct {
		name   string
		src    *Source
		opt    ReportOptions
		charts []string
		full   bool // also switch language, take a screenshot and print
		probe  bool // drive the table, the panel and the toggle with probeJS
		bare   bool // without echarts: the map and tables only
	}{
		{"premise_phased", testSource(true, true), ReportOptions{Lang: "en"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-rollout", "chart-map"}, true, false, false},
		{"zone_level", testSource(false, false), ReportOptions{Lang: "fr"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-map"}, false, true, false},
		{"compressed", big, ReportOptions{Lang: "fr"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-rollout", "chart-map"}, false, false, false},
		{"no_echarts", testSource(true, true), ReportOptions{Lang: "en"}, []string{"chart-map"}, false, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".html")
			var page []byte
			if tc.bare {
				withEcharts(t, nil, func() { page = renderReport(t, tc.src, tc.opt) })
			} else {
				page = renderReport(t, tc.src, tc.opt)
			}
			if tc.probe {
				page = withProbe(page)
			}
			if err := os.WriteFile(path, page, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.probe {
				dom := string(chromium(t, "--dump-dom", "file://"+path))
				checkProbe(t, dom)
				checkDrawn(t, dom, "en", tc.charts) // the probe switched fr -> en
				return
			}
			other := map[string]string{"fr": "en", "en": "fr"}[tc.opt.Lang]
			langs := []string{tc.opt.Lang, other}
			if !tc.full {
				langs = langs[:1]
			}
			for _, lang := range langs {
				dom := string(chromium(t, "--dump-dom", "file://"+path+"#lang="+lang))
				checkDrawn(t, dom, lang, tc.charts)
				if !regexp.MustCompile(`<body [^>]*data-ready="\d+"`).MatchString(dom) {
					t.Errorf("lang %s: the page's data did not load", lang)
				}
				if n := len(regexp.MustCompile(`<tr data-r="\d+"`).FindAllString(dom, -1)); n != min(50, len(tc.src.Plan.Zones)) {
					t.Errorf("lang %s: zone table shows %d rows", lang, n)
				}
			}
			if !tc.full {
				return
			}
			png := filepath.Join(dir, tc.name+".png")
			chromium(t, "--window-size=1300,5200", "--screenshot="+png, "file://"+path)
			checkScreenshot(t, png)
			keepScreenshot(png, "report_"+tc.name+".png")
			checkPrint(t, dir, tc.name, page)
		})
	}
}

// keepScreenshot copies a screenshot to $COVPLAN_SCREENSHOTS, for a person
// to look at.
func keepScreenshot(png, name string) {
	if out := os.Getenv("COVPLAN_SCREENSHOTS"); out != "" {
		b, _ := os.ReadFile(png)
		_ = os.WriteFile(filepath.Join(out, name), b, 0o644)
	}
}

// withProbe inserts probeJS before the page's own </body> (echarts' source
// has one too).
func withProbe(page []byte) []byte {
	i := bytes.LastIndex(page, []byte("</body>"))
	return append(page[:i:i], append([]byte("<script>"+probeJS+"</script>\n"), page[i:]...)...)
}

// checkPrint prints the page to PDF, and screenshots it with its print
// styles applied to the screen: the first page must be the cover, with
// its dark title band and the map.
func checkPrint(t *testing.T, dir, name string, page []byte) {
	t.Helper()
	pdf := filepath.Join(dir, name+".pdf")
	chromium(t, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+filepath.Join(dir, name+".html"))
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(b, -1))
	if !bytes.HasPrefix(b, []byte("%PDF-")) || pages < 4 {
		t.Errorf("print: %d bytes, %d pages", len(b), pages)
	}
	keepScreenshot(pdf, "report_"+name+".pdf")
	paper := bytes.Replace(page, []byte(`<style media="print" id="print-css">`), []byte(`<style media="all" id="print-css">`), 1)
	html := filepath.Join(dir, name+"-paper.html")
	if err := os.WriteFile(html, paper, 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, name+"-paper.png")
	chromium(t, "--window-size=800,1100", "--screenshot="+png, "file://"+html)
	keepScreenshot(png, "report_"+name+"_paper.png")
	img := decodePNG(t, png)
	band, zones := 0, 0
	tintFibre := hexRGBA(tint(techColors[coverage.TechFibre], 0.45))
	for y := 0; y < 1100; y++ {
		for x := 0; x < 800; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if y < 200 && near(c, hexRGBA("#17324d")) {
				band++
			}
			if near(c, tintFibre) {
				zones++
			}
		}
	}
	if band < 20000 || zones < 2000 {
		t.Errorf("printed cover: %d pixels of the title band, %d of the map's fibre zones", band, zones)
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return img
}

func checkDrawn(t *testing.T, dom, lang string, want []string) {
	t.Helper()
	if !strings.Contains(dom, `class="lang-`+lang+`"`) {
		t.Errorf("lang %s: body not in %s", lang, lang)
	}
	// the attribute the page script sets on a failure (its own source
	// names it in single quotes)
	if i := strings.Index(dom, ` data-error="`); i >= 0 {
		t.Fatalf("lang %s: a chart failed: %.300s", lang, dom[max(0, i):])
	}
	found := map[string]bool{}
	for _, m := range chartDiv.FindAllStringSubmatchIndex(dom, -1) {
		id := dom[m[2]:m[3]]
		found[id] = true
		tag := dom[m[0]:m[1]]
		if !strings.Contains(tag, `data-drawn="`+lang+`"`) {
			t.Errorf("lang %s: %s not drawn: %s", lang, id, tag)
		}
		// the chart's own content up to the next chart or section
		rest := dom[m[1]:]
		if end := strings.Index(rest, "</section>"); end >= 0 {
			rest = rest[:end]
		}
		if !strings.Contains(rest, "<canvas") {
			t.Errorf("lang %s: %s has no canvas", lang, id)
		}
	}
	for _, id := range want {
		if !found[id] {
			t.Errorf("lang %s: no chart %s in the page", lang, id)
		}
	}
}

// checkScreenshot decodes the PNG and counts pixels of the technology
// colours: bars in the full colours, zones of the map in their tints.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	img := decodePNG(t, path)
	count := map[string]int{}
	want := map[string]color.RGBA{}
	for _, tc := range []coverage.Tech{coverage.TechFibre, coverage.TechWifi} {
		want["bar "+tc.String()] = hexRGBA(techColors[tc])
		want["zone "+tc.String()] = hexRGBA(tint(techColors[tc], 0.45))
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			for name, w := range want {
				if near(c, w) {
					count[name]++
				}
			}
		}
	}
	for name := range want {
		if count[name] < 500 {
			t.Errorf("screenshot %s: only %d pixels of %s: chart or map not drawn", filepath.Base(path), count[name], name)
		}
	}
}

func hexRGBA(h string) color.RGBA {
	var c color.RGBA
	c.A = 255
	for i, p := range []*uint8{&c.R, &c.G, &c.B} {
		var v uint8
		for _, ch := range h[1+2*i : 3+2*i] {
			v <<= 4
			switch {
			case ch >= '0' && ch <= '9':
				v |= uint8(ch - '0')
			case ch >= 'a' && ch <= 'f':
				v |= uint8(ch-'a') + 10
			}
		}
		*p = v
	}
	return c
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
}

// probeValues are amounts the probe formats with the page's money(), to
// compare with fmtMoney.
var probeValues = []float64{0, 4500, 9999.6, 45321, 999950, 1204000, -99792405, 1.234e9}

// probeJS drives the page as a person would, once its data has loaded:
// sorts the zone table by premises (descending first), filters it by text
// and by technology, reads a cost, switches the language, opens a zone's
// panel from the table; it writes what it saw into <pre id="probe">.
const probeJS = `(function () {
  function go() {
    if (!document.body.hasAttribute('data-ready')) { setTimeout(go, 20); return; }
    var out = {}, tb = document.getElementById('zone-table');
    function ids() { return Array.prototype.map.call(tb.tBodies[0].rows, function (r) { return r.cells[0].textContent; }).join(','); }
    tb.tHead.rows[0].cells[2].click();
    out.sorted = ids();
    var f = document.getElementById('zone-filter');
    f.value = 'marc'; f.dispatchEvent(new Event('input'));
    out.text = ids();
    f.value = 'TROP LOIN'; f.dispatchEvent(new Event('input'));
    out.reason = ids();
    f.value = ''; f.dispatchEvent(new Event('input'));
    var s = document.getElementById('zone-tech');
    s.value = '1'; s.dispatchEvent(new Event('change'));
    out.tech = ids();
    out.cppBefore = tb.tBodies[0].rows[0].cells[6].textContent;
    out.moneyFr = [` + "0, 4500, 9999.6, 45321, 999950, 1204000, -99792405, 1.234e9" + `].map(cpMoney).join('|');
    document.getElementById('lang-toggle').click();
    out.body = document.body.className;
    out.cppAfter = tb.tBodies[0].rows[0].cells[6].textContent;
    out.count = document.getElementById('zone-count').textContent;
    out.option = s.options[0].textContent;
    out.moneyEn = [` + "0, 4500, 9999.6, 45321, 999950, 1204000, -99792405, 1.234e9" + `].map(cpMoney).join('|');
    out.tip = cpZoneTip(2);
    tb.tBodies[0].rows[1].click();
    var panel = document.getElementById('zone-panel');
    out.panel = panel.hidden ? 'hidden' : panel.getAttribute('data-zone');
    out.why = panel.querySelector('.why').textContent;
    out.optCols = String(panel.querySelectorAll('table.opts thead th').length);
    out.selected = tb.tBodies[0].querySelector('tr.sel') ? tb.tBodies[0].querySelector('tr.sel').cells[0].textContent : '';
    cpOpenZone('15014');
    out.mixed = panel.querySelector('.why').textContent;
    out.mixedCols = String(panel.querySelectorAll('table.opts thead th').length);
    out.mixedTech = tb.tBodies[0].querySelector('tr.sel').cells[4].textContent;
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  go();
})();`

func checkProbe(t *testing.T, dom string) {
	t.Helper()
	m := regexp.MustCompile(`<pre id="probe">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatal("probe: no result in the page (script error?)")
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("probe: %v: %s", err, m[1])
	}
	money := func(l lang) string {
		var out []string
		for _, v := range probeValues {
			out = append(out, fmtMoney(v, l))
		}
		return strings.Join(out, "|")
	}
	want := map[string]string{
		"sorted":    "15014,15120,15187,15200,15230,15999", // premises 24, 12, 9, 6, 3, 0
		"text":      "15120",                               // Marcenat, case-insensitive
		"reason":    "15200,15230",                         // « trop loin du réseau », without accents or case
		"tech":      "15014,15120",
		"cppBefore": "900\u202f€",
		"body":      "lang-en",
		"cppAfter":  "€900",
		"count":     "zones 1–2 of 2 filtered (6 in all)",
		"option":    "All technologies",
		"moneyFr":   money(langFR),
		"moneyEn":   money(langEN),
		"tip":       "<b>Saint-Flour &lt;Haute &amp; Basse&gt;</b> (15187)<br>Technology: Wireless<br>Premises: 9<br>Present cost / premise: €1,400<br><i>Click to see why</i>",
		"panel":     "15120",
		"optCols":   "5", // the row header and the four options
		"selected":  "15120",
		"mixedCols": "6", // and what is built
		"mixedTech": "Fibre + LEO",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("probe %s = %q, want %q", k, got[k], w)
		}
	}
	if !strings.Contains(got["why"], "Fibre (FTTH) is the feasible option that ranks first") {
		t.Errorf("probe: panel explains %q", got["why"])
	}
	if !strings.Contains(got["mixed"], "Mixed option: fibre serves 20 premises (the dense part), the others are served by LEO satellite (4)") {
		t.Errorf("probe: mixed zone's panel explains %q", got["mixed"])
	}
}
