package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const (
	gd     = "../../geodata/testdata/"
	bad    = gd + "bad/"
	cantal = gd + "cantal-3-communes.geojson"
)

// summaryOf reads the summary.json of a run.
func summaryOf(t *testing.T, out string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	return s
}

// checkOutcome checks a run's exit code and that its stderr says each of
// want, without a stack trace; it reports whether the code was right.
func checkOutcome(t *testing.T, code, wantCode int, stderr string, want []string) bool {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, wantCode, stderr)
		return false
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
		t.Errorf("stack trace on stderr:\n%s", stderr)
	}
	return true
}

// findingCodes lists the "FILE CODE SEVERITY" of summary.json's findings.
func findingCodes(s map[string]any) []string {
	var codes []string
	fs, _ := s["findings"].([]any)
	for _, f := range fs {
		m := f.(map[string]any)
		codes = append(codes, m["file"].(string)+" "+m["code"].(string)+" "+m["severity"].(string))
	}
	return codes
}

// Broken inputs from the geodata corpus, planned from the command line:
// every one either stops with an error that says what is wrong, or plans
// and says what it repaired, skipped or doubts on stderr and in
// summary.json. Nothing is silent.
func TestPlanBrokenInputs(t *testing.T) {
	zt := []string{"--zone-table", ex + "cantal/population.csv"}
	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   []string // all appear on stderr
		findings []string // "FILE CODE SEVERITY" in summary.json, in order (exit 0 only)
	}{
		{"swapped lon/lat, all", []string{"--zones", cantal, "--premises", "testdata/premises-swapped.csv"}, exitError,
			[]string{"premises-swapped.csv: none of the 3 premises falls in a zone of cantal-3-communes.geojson: nothing would be planned", "lon and lat look swapped", "--lon-field"}, nil},
		{"swapped columns named", []string{"--zones", cantal, "--premises", "testdata/premises-swapped.csv", "--lon-field", "lat", "--lat-field", "lon"}, exitOK,
			nil, nil},
		{"swapped lon/lat, some", []string{"--zones", cantal, "--premises", bad + "premises.swapped-lonlat.csv"}, exitOK,
			[]string{"premises.swapped-lonlat.csv: 3 premises outside every zone (not planned) (warning): e.g. line 2", "lon and lat look swapped"},
			[]string{"premises.swapped-lonlat.csv outside-zones warning"}},
		{"swapped lon/lat, some, strict", []string{"--strict", "--zones", cantal, "--premises", bad + "premises.swapped-lonlat.csv"}, exitError,
			[]string{"premises.swapped-lonlat.csv: strict: 3 premises outside every zone", "lon and lat look swapped"}, nil},
		{"other region", []string{"--zones", cantal, "--premises", bad + "premises.other-region.csv"}, exitError,
			[]string{"none of the 3 premises falls in a zone", "these premises are of another region"}, nil},
		{"empty premises", []string{"--zones", cantal, "--premises", bad + "premises.empty.csv"}, exitError,
			[]string{"premises.empty.csv: empty file"}, nil},
		{"header-only premises", []string{"--zones", cantal, "--premises", bad + "premises.header-only.csv"}, exitError,
			[]string{"premises.header-only.csv: no records"}, nil},
		{"unclosed ring", append([]string{"--zones", bad + "zones.unclosed-ring.geojson"}, zt...), exitOK,
			[]string{"zones.unclosed-ring.geojson: 1 unclosed ring(s) closed (the first position repeated at the end) (repaired): e.g. feature 0 (id \"15014\")"},
			[]string{"population.csv row-without-zone skipped", "zones.unclosed-ring.geojson unclosed-ring repaired", "zones.unclosed-ring.geojson repeated-point repaired"}},
		{"unclosed ring, strict", append([]string{"--strict", "--zones", bad + "zones.unclosed-ring.geojson"}, zt...), exitError,
			[]string{"zones.unclosed-ring.geojson: strict: 1 unclosed ring(s) closed"}, nil},
		{"overlap", append([]string{"--zones", bad + "zones.overlap.geojson"}, zt...), exitOK,
			[]string{"zones overlap"}, []string{"population.csv zone-without-row warning", "population.csv row-without-zone skipped", "zones.overlap.geojson overlap warning"}},
		{"far fibre nodes", append([]string{"--zones", cantal, "--fibre", bad + "fibre.far-nodes.csv"}, zt...), exitOK,
			[]string{`fibre.far-nodes.csv: 1 feature(s) more than 100 km outside the area skipped (skipped): e.g. (id "N2") at 5.370000,43.300000: node`},
			[]string{"population.csv row-without-zone skipped", "fibre.far-nodes.csv far-feature skipped"}},
		{"far fibre nodes, strict", append([]string{"--strict", "--zones", cantal, "--fibre", bad + "fibre.far-nodes.csv"}, zt...), exitError,
			[]string{"strict:"}, nil},
		{"duplicate premise ids", []string{"--premises", bad + "premises.duplicate-ids.csv", "--grid-m", "500"}, exitOK,
			[]string{"premises.duplicate-ids.csv"}, []string{"premises.duplicate-ids.csv duplicate-id warning"}},
		{"bad coordinates skipped", []string{"--premises", bad + "premises.bad-coordinates.csv"}, exitOK,
			[]string{"premises.bad-coordinates.csv: ", "record(s) skipped", "e.g. line"},
			[]string{"premises.bad-coordinates.csv skipped skipped", "premises.bad-coordinates.csv skipped skipped"}},
		{"missing .dbf", []string{"--zones", bad + "zones.missing-dbf.shp"}, exitError,
			[]string{`"zones.missing-dbf.dbf" is missing`}, nil},
		{"zip without .dbf", []string{"--zones", bad + "zones.zip-missing-dbf.zip"}, exitError,
			[]string{"zones.zip-missing-dbf.zip", ".dbf", "missing"}, nil},
		{"zip with a long .prj", []string{"--zones", bad + "zones.zip-long-prj.zip"}, exitError,
			[]string{"zones.zip-long-prj.zip", "--max-sidecar-bytes"}, nil},
		{"zip with a long .prj, raised", append([]string{"--zones", bad + "zones.zip-long-prj.zip", "--max-sidecar-bytes", "1M"}, zt...), exitOK,
			nil, []string{"population.csv row-without-zone skipped"}},
		{"KMZ with a 2 MiB name", []string{"--premises", bad + "premises.huge-name.kmz"}, exitError,
			[]string{"premises.huge-name.kmz:1:", "longer than 1 MiB", "--max-text-bytes"}, nil},
		{"KMZ with a 2 MiB name, raised", []string{"--premises", bad + "premises.huge-name.kmz", "--max-text-bytes", "4MiB"}, exitOK,
			nil, nil},
		{"CSV record limit", []string{"--premises", ex + "mont-bonvillers/adresses.csv", "--max-record-bytes", "64"}, exitError,
			[]string{"adresses.csv:1:", "longer than 64 bytes", "--max-record-bytes"}, nil},
		{"premises twice", []string{"--premises", "a.csv", "--premises", "b.csv"}, exitUsage,
			[]string{"--premises given twice"}, nil},
		{"--lon-field alone", []string{"--premises", "testdata/premises-swapped.csv", "--lon-field", "lat"}, exitUsage,
			[]string{"--lon-field and --lat-field go together"}, nil},
		{"size of nothing", []string{"--premises", "p.csv", "--max-inflated-bytes", "0"}, exitUsage,
			[]string{"--max-inflated-bytes", "positive"}, nil},
		{"unknown unit", []string{"--premises", "p.csv", "--max-inflated-bytes", "2TB"}, exitUsage,
			[]string{"--max-inflated-bytes", `unknown unit "TB"`}, nil},
		{"ratio of nothing", []string{"--premises", "p.csv", "--max-inflate-ratio", "0"}, exitUsage,
			[]string{"--max-inflate-ratio: want 1 or more"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := covplan(t, append(append([]string{"plan", "--no-report"}, tt.args...), "--out", out)...)
			if !checkOutcome(t, code, tt.code, stderr, tt.stderr) {
				return
			}
			if code != exitOK {
				if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
					t.Errorf("a failed run wrote summary.json")
				}
				return
			}
			got := findingCodes(summaryOf(t, out))
			if strings.Join(got, "\n") != strings.Join(tt.findings, "\n") {
				t.Errorf("summary.json findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.findings, "\n"))
			}
			// Each finding is said once, on one line.
			for _, f := range got {
				file := strings.Fields(f)[0]
				if n := strings.Count(stderr, "covplan: "+file+": "); n < 1 {
					t.Errorf("%s: not said on stderr:\n%s", f, stderr)
				}
			}
		})
	}
}

// A far feature is said once, as the finding with its examples, not again
// as a count of skipped records; it is still counted in summary.json's
// skipped.
func TestFarFeatureSaidOnce(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := covplan(t, "plan", "--no-report", "--zones", cantal, "--zone-table", ex+"cantal/population.csv",
		"--fibre", bad+"fibre.far-nodes.csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stderr, "fibre.far-nodes.csv"); n != 1 {
		t.Errorf("fibre.far-nodes.csv named %d times on stderr:\n%s", n, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	var s struct {
		Skipped []struct {
			File   string
			Reason string
			Count  int
		}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	far := false
	for _, sk := range s.Skipped {
		far = far || sk.File == "fibre.far-nodes.csv" && strings.Contains(sk.Reason, "100 km") && sk.Count == 1
	}
	if !far {
		t.Errorf("summary.json skipped lacks the far nodes: %+v", s.Skipped)
	}
}

// Access points of New York and Paris beside premises of Lorraine on a
// grid: the frame is the premises' (Lambert-93), not moved by the far
// layer, the far points are reported and skipped, and the plan is the
// plan without them.
func TestFarAccessPointsKeepTheFrame(t *testing.T) {
	args := func(out string, extra ...string) []string {
		return append([]string{"plan", "--no-report", "--premises", gd + "ban-54084.csv", "--grid-m", "500", "--out", out}, extra...)
	}
	with, without := t.TempDir(), t.TempDir()
	code, stdout, stderr := covplan(t, args(with, "--aps", bad+"aps.new-york.csv")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "frame EPSG:2154 Lambert-93") {
		t.Errorf("frame moved by the far access points:\n%s", stdout)
	}
	if !strings.Contains(stderr, "aps.new-york.csv: 4 feature(s) more than 100 km outside the area skipped (skipped): e.g. line 2 (id \"paris\")") ||
		!strings.Contains(stderr, `(id "ny-1") at -73.990000,40.750000`) {
		t.Errorf("far access points not reported:\n%s", stderr)
	}
	if got := findingCodes(summaryOf(t, with)); strings.Join(got, ",") != "aps.new-york.csv far-feature skipped" {
		t.Errorf("findings %v", got)
	}
	if code, _, stderr := covplan(t, args(without)...); code != exitOK {
		t.Fatalf("without access points: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"zones.csv", "premises.csv", "zones.geojson"} {
		a, _ := os.ReadFile(filepath.Join(with, name))
		b, _ := os.ReadFile(filepath.Join(without, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs with the far access points", name)
		}
	}
}

// A KMZ whose KML inflates to 100 MiB of empty folders (a zip bomb of 100 KB)
// stops on the inflate limits, having allocated a few megabytes under
// --max-inflated-bytes 1M.
func TestPlanKMZBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	w, err := zw.Create("doc.kml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><kml><Document>`)
	folders := bytes.Repeat([]byte("<Folder></Folder>\n"), 1<<16)
	for range 100 {
		w.Write(folders)
	}
	io.WriteString(w, `<Placemark><Point><coordinates>2.44,44.92</coordinates></Point></Placemark></Document></kml>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bomb := filepath.Join(t.TempDir(), "premises.kmz")
	if err := os.WriteFile(bomb, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	code, _, stderr := covplan(t, "plan", "--no-report", "--premises", bomb, "--max-inflated-bytes", "1M", "--out", t.TempDir())
	runtime.ReadMemStats(&ms1)
	t.Logf("KMZ of %d bytes: %s; allocated %.1f MB", buf.Len(), strings.TrimSpace(stderr), float64(ms1.TotalAlloc-ms0.TotalAlloc)/1e6)
	if code != exitError || !strings.Contains(stderr, "premises.kmz") || !strings.Contains(stderr, "--max-inflated-bytes") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if n := ms1.TotalAlloc - ms0.TotalAlloc; n > 32<<20 {
		t.Errorf("allocated %d bytes, want a few MB", n)
	}
	code, _, stderr = covplan(t, "plan", "--no-report", "--premises", bomb, "--out", t.TempDir())
	if code != exitError || !strings.Contains(stderr, "--max-inflate-ratio") {
		t.Errorf("default limits: exit %d, stderr %q", code, stderr)
	}
}

// A .prj or .cpg beside a .shp is read within --max-sidecar-bytes.
func TestShapefileSidecarLimit(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".shp", ".shx", ".dbf", ".cpg"} {
		b, err := os.ReadFile(gd + "shp/cantal-3-communes" + ext)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "communes"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prj, err := os.ReadFile(gd + "shp/cantal-3-communes.prj")
	if err != nil {
		t.Fatal(err)
	}
	long := append(bytes.Repeat([]byte{' '}, 100<<10), prj...)
	if err := os.WriteFile(filepath.Join(dir, "communes.prj"), long, 0o644); err != nil {
		t.Fatal(err)
	}
	shp := filepath.Join(dir, "communes.shp")
	code, _, stderr := covplan(t, "plan", "--no-report", "--zones", shp, "--out", t.TempDir())
	if code != exitError || !strings.Contains(stderr, "communes.prj") || !strings.Contains(stderr, "--max-sidecar-bytes") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := covplan(t, "inspect", "--max-sidecar-bytes", "1MiB", shp)
	if code != exitOK || !strings.Contains(stdout, "EPSG:2154") {
		t.Errorf("inspect with the limit raised: exit %d: %s %s", code, stdout, stderr)
	}
}

// measure says what it finds about the inputs and stops where plan stops.
func TestMeasureChecks(t *testing.T) {
	code, _, stderr := covplan(t, "measure", "--zones", cantal, "--premises", bad+"premises.swapped-lonlat.csv", "--out", t.TempDir())
	if code != exitOK || !strings.Contains(stderr, "lon and lat look swapped") {
		t.Errorf("measure: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = covplan(t, "measure", "--strict", "--zones", cantal, "--premises", bad+"premises.swapped-lonlat.csv", "--out", t.TempDir())
	if code != exitError || !strings.Contains(stderr, "strict: 3 premises outside every zone") {
		t.Errorf("measure --strict: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = covplan(t, "measure", "--zones", cantal, "--premises", "testdata/premises-swapped.csv", "--out", t.TempDir())
	if code != exitError || !strings.Contains(stderr, "none of the 3 premises") {
		t.Errorf("measure, all outside: exit %d, stderr %q", code, stderr)
	}
}

// inspect --json: one array, an element per file in argument order, the
// unreadable ones with their error.
func TestInspectJSON(t *testing.T) {
	code, stdout, stderr := covplan(t, "inspect", "--json", bad+"zones.unclosed-ring.geojson", "nope.csv", bad+"premises.huge-name.kmz", gd+"shp/cantal-3-communes.shp")
	if code != exitError || !strings.Contains(stderr, "nope.csv") || !strings.Contains(stderr, "2 of 4 files could not be read") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var docs []map[string]any
	if err := json.Unmarshal([]byte(stdout), &docs); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if len(docs) != 4 || strings.Count(stdout, "\n") != 6 {
		t.Fatalf("%d documents, want 4, one a line:\n%s", len(docs), stdout)
	}
	if docs[0]["path"] != bad+"zones.unclosed-ring.geojson" || docs[0]["kind"] != "zones" {
		t.Errorf("first: %v", docs[0])
	}
	diags, _ := docs[0]["diagnostics"].([]any)
	if len(diags) != 2 || diags[0].(map[string]any)["code"] != "unclosed-ring" {
		t.Errorf("diagnostics %v", diags)
	}
	if docs[1]["path"] != "nope.csv" || !strings.Contains(docs[1]["error"].(string), "no such file") {
		t.Errorf("second: %v", docs[1])
	}
	if !strings.Contains(docs[2]["error"].(string), "--max-text-bytes") {
		t.Errorf("third: %v", docs[2])
	}
	if docs[3]["format"] != "shapefile" || docs[3]["kind"] != "zones" {
		t.Errorf("fourth: %v", docs[3])
	}
}

// parseBytes reads what formatBytes writes, and refuses what is not a
// positive size.
func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "1024": 1024, "64K": 64 << 10, "64 KiB": 64 << 10, "1m": 1 << 20,
		"2GiB": 2 << 30, "3gb": 3 << 30, "80 bytes": 80, "7b": 7} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1.5M", "M", "12X", "2TB", "99999999999999999999", "9000000000000G"} {
		if n, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) = %d, want an error", in, n)
		}
	}
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"1", "64K", "2 GiB", "80 bytes", "0", "1.5M", "9000000000000G"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseBytes(s)
		if err != nil {
			return
		}
		if n < 1 {
			t.Fatalf("parseBytes(%q) = %d", s, n)
		}
		if m, err := parseBytes(formatBytes(n)); err != nil || m != n {
			t.Fatalf("parseBytes(formatBytes(%d)) = %d, %v", n, m, err)
		}
	})
}
