package render

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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
// self-contained and background networking is off.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(), "--virtual-time-budget=8000"}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
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

var chartDiv = regexp.MustCompile(`<div class="chart" id="(chart-[a-z]+)"[^>]*>`)

// TestReportBrowser opens the report in headless Chromium and checks that
// every chart drew (echarts put a canvas in each chart container, no
// "Chart error", no registerMap error), in the opening language and after
// switching language through the URL, then takes a screenshot and checks
// that the technology colours are on it.
func TestReportBrowser(t *testing.T) {
	skipWithoutBrowser(t)
	dir := t.TempDir()
	cases := []struct {
		name   string
		src    *Source
		opt    ReportOptions
		charts []string
		full   bool // also switch language and take a screenshot
		probe  bool // drive the table and the toggle with probeJS
	}{
		{"premise_phased", testSource(true, true), ReportOptions{Lang: "en"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-rollout", "chart-map"}, true, false},
		{"zone_level", testSource(false, false), ReportOptions{Lang: "fr"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-map"}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".html")
			page := renderReport(t, tc.src, tc.opt)
			if tc.probe {
				// before the page's own </body> (echarts' source has one too)
				i := bytes.LastIndex(page, []byte("</body>"))
				page = append(page[:i:i], append([]byte("<script>"+probeJS+"</script>\n"), page[i:]...)...)
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
			other := "fr"
			if tc.opt.Lang == "fr" {
				other = "en"
			}
			langs := []string{tc.opt.Lang, other}
			if !tc.full {
				langs = langs[:1]
			}
			for _, lang := range langs {
				url := "file://" + path + "#lang=" + lang
				dom := string(chromium(t, "--dump-dom", url))
				checkDrawn(t, dom, lang, tc.charts)
			}

			if !tc.full {
				return
			}
			png := filepath.Join(dir, tc.name+".png")
			chromium(t, "--window-size=1300,4400", "--screenshot="+png, "file://"+path)
			checkScreenshot(t, png)
			if out := os.Getenv("COVPLAN_SCREENSHOTS"); out != "" { // for a person to look at
				b, _ := os.ReadFile(png)
				_ = os.WriteFile(filepath.Join(out, "report_"+tc.name+".png"), b, 0o644)
			}
		})
	}
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
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
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

// probeJS drives the page as a person would: sorts the zone table by
// premises (two clicks: descending), filters it by text and by technology,
// then switches the language; it writes what it saw into <pre id="probe">.
const probeJS = `(function () {
  var out = {}, tb = document.getElementById('zone-table');
  function ids(all) {
    return Array.prototype.filter.call(tb.tBodies[0].rows, function (r) { return all || !r.hidden; })
      .map(function (r) { return r.cells[0].textContent; }).join(',');
  }
  var th = tb.tHead.rows[0].cells[2];
  th.click(); th.click();
  out.sorted = ids(true);
  var f = document.getElementById('zone-filter');
  f.value = 'MARC'; f.dispatchEvent(new Event('input'));
  out.text = ids(false);
  f.value = ''; f.dispatchEvent(new Event('input'));
  var s = document.getElementById('zone-tech');
  s.value = 'fibre'; s.dispatchEvent(new Event('change'));
  out.tech = ids(false);
  out.npvBefore = tb.tBodies[0].rows[0].cells[6].textContent;
  document.getElementById('lang-toggle').click();
  out.body = document.body.className;
  out.npvAfter = tb.tBodies[0].rows[0].cells[6].textContent;
  out.count = document.getElementById('zone-count').textContent;
  out.option = s.options[0].textContent;
  out.tip = cpMapTip({seriesType: 'map', name: '2'});
  out.eur = cpEURShort(1234567);
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
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
	want := map[string]string{
		"sorted":    "15014,15120,15187,15200,15230,15999", // premises 24, 12, 9, 6, 3, 0
		"text":      "15120",                               // Marcenat, case-insensitive
		"tech":      "15014,15120",
		"npvBefore": "21\u202f600",
		"body":      "lang-en",
		"npvAfter":  "21,600",
		"count":     "2 / 6 zones shown",
		"option":    "All technologies",
	}
	for k, w := range map[string]string{
		"tip": "<b>Saint-Flour &lt;Haute &amp; Basse&gt;</b> (15187)<br>Technology: Wi-Fi / FWA<br>Premises: 9<br>NPV / premise (EUR): 1,400<br>Target: yes<br>Reasons: FIBRE_OVER_THRESHOLD",
		"eur": "€1.2M",
	} {
		if got[k] != w {
			t.Errorf("probe %s = %q, want %q", k, got[k], w)
		}
	}
	for k, w := range want {
		w, _ = strconv.Unquote(`"` + w + `"`)
		if got[k] != w {
			t.Errorf("probe %s = %q, want %q", k, got[k], w)
		}
	}
}
