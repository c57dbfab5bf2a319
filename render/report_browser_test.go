package render

import (
	"bytes"
	"context"
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
	}{
		{"premise_phased", testSource(true, true), ReportOptions{Lang: "en"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-rollout", "chart-map"}, true},
		{"zone_level", testSource(false, false), ReportOptions{Lang: "fr"},
			[]string{"chart-mix", "chart-curve", "chart-dist", "chart-map"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".html")
			if err := os.WriteFile(path, renderReport(t, tc.src, tc.opt), 0o644); err != nil {
				t.Fatal(err)
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
