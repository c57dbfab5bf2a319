package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// covplan runs the CLI on buffers, as a user would from a shell.
func covplan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"covplan"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

const ex = "../../examples/"

// testDate is the report date every test run uses (--date), so that
// reports written by the command and by runPlan are the same bytes.
const testDate = "2026-06-01"

func mbArgs(out string) []string {
	return []string{"plan", "--quiet", "--date", testDate,
		"--premises", ex + "mont-bonvillers/adresses.csv", "--grid-m", "250",
		"--fibre", ex + "mont-bonvillers/nro-assumed.csv",
		"--aps", ex + "mont-bonvillers/wifi-assumed.csv",
		"--out", out}
}

func cantalArgs(out string) []string {
	return []string{"plan", "--quiet",
		"--zones", ex + "cantal/communes.geojson", "--zone-table", ex + "cantal/population.csv",
		"--fibre", ex + "cantal/public-network-2014-2021.geojson", "--fibre", ex + "cantal/nro-nodes.csv",
		"--out", out}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func col(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

func TestPlanPremiseLevel(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, mbArgs(out)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("--quiet printed to stdout: %q", stdout)
	}
	for _, name := range []string{"zones.csv", "zones.geojson", "premises.csv", "summary.json", "report.html"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
	prem := readCSV(t, filepath.Join(out, "premises.csv"))
	if got := len(prem) - 1; got != 501 {
		t.Errorf("premises.csv has %d rows, want the 501 addresses", got)
	}
	h := prem[0]
	for _, c := range []string{"premise_id", "zone_id", "fibre_dist_m", "aps_in_range", "technology"} {
		col(t, h, c)
	}
	zi, ti := col(t, h, "zone_id"), col(t, h, "technology")
	for _, r := range prem[1:] {
		if r[zi] == "" || !strings.HasPrefix(r[zi], "G") {
			t.Fatalf("premise %s has zone %q, want a grid cell", r[0], r[zi])
		}
		if r[ti] == "" {
			t.Fatalf("premise %s has no technology", r[0])
		}
	}
	zones := readCSV(t, filepath.Join(out, "zones.csv"))
	zh := zones[0]
	pi := col(t, zh, "premises")
	sum := 0
	for _, r := range zones[1:] {
		n := 0
		for _, ch := range r[pi] {
			n = n*10 + int(ch-'0')
		}
		sum += n
	}
	if sum != 501 {
		t.Errorf("zones.csv premises sum to %d, want 501", sum)
	}
	var summary map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &summary); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if !bytes.Contains(b, []byte("adresses.csv")) || !bytes.Contains(b, []byte("sha256")) {
		t.Errorf("summary.json does not name the inputs with digests:\n%s", b)
	}
}

func TestPlanZoneLevelCantal(t *testing.T) {
	out := t.TempDir()
	args := append([]string{"plan"}, cantalArgs(out)[2:]...) // not --quiet: the warnings are checked
	code, _, stderr := covplan(t, append(args, "--no-report", "--excel")...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "zones-excel.csv")); err != nil || !bytes.HasPrefix(b, []byte("\ufeffzone_id;name;")) {
		t.Errorf("--excel: zones-excel.csv missing or not in the ';' dialect (%v)", err)
	}
	// The 2018 polygons and recent populations differ: both sides of the
	// mismatch are reported, not dropped.
	for _, want := range []string{"15136", "15031"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not report unmatched zone/row %s:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err == nil {
		t.Error("--no-report wrote report.html")
	}
	if _, err := os.Stat(filepath.Join(out, "premises.csv")); err == nil {
		t.Error("zone-level run wrote premises.csv")
	}
	zones := readCSV(t, filepath.Join(out, "zones.csv"))
	if got := len(zones) - 1; got != 247 {
		t.Errorf("zones.csv has %d rows, want 247 communes", got)
	}
	idc := col(t, zones[0], "zone_id")
	ids := map[string]bool{}
	for _, r := range zones[1:] {
		ids[r[idc]] = true
	}
	if !ids["15014"] || !ids["15001"] {
		t.Errorf("INSEE codes not kept as ids (want 15014 Aurillac, 15001 Allanche)")
	}
}

// Same inputs, same scenario: byte-identical outputs.
func TestPlanDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if code, _, stderr := covplan(t, mbArgs(dir)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, name := range []string{"zones.csv", "zones.geojson", "premises.csv", "summary.json", "report.html"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two identical runs", name)
		}
	}
}

func TestPlanScenarioChangesChoice(t *testing.T) {
	count := func(dir, tech string) int {
		rows := readCSV(t, filepath.Join(dir, "zones.csv"))
		ti := col(t, rows[0], "technology")
		n := 0
		for _, r := range rows[1:] {
			if r[ti] == tech {
				n++
			}
		}
		return n
	}
	plan := func(extra ...string) string {
		dir := t.TempDir()
		if code, _, stderr := covplan(t, append(append(mbArgs(dir), "--no-report"), extra...)...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		return dir
	}
	// GEO's 600 ms fails us-bead's 100 ms.
	if n := count(plan("--target", "us-bead"), "geo"); n != 0 {
		t.Errorf("us-bead chose GEO in %d zones", n)
	}
	// Making LEO free (kit and subscription) must move zones to LEO (under
	// fr-thd: fr-2025 is fibre-grade, LEO only where fibre is not viable).
	base := count(plan("--target", "fr-thd"), "leo")
	free := count(plan("--target", "fr-thd", "--set", "leo.kit_eur=0", "--set", "leo.monthly_eur=0"), "leo")
	if free <= base {
		t.Errorf("free LEO chosen in %d zones, not more than the %d at list price", free, base)
	}
}

func TestPlanErrors(t *testing.T) {
	out := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want []string // all must appear in stderr
	}{
		{"no out", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv"}, exitUsage, []string{"--out"}},
		{"no inputs", []string{"plan", "--out", out}, exitUsage, []string{"--zones", "--premises"}},
		{"missing file", []string{"plan", "--premises", "nope.csv", "--out", out}, exitError, []string{"nope.csv", "no such file"}},
		{"no coordinates", []string{"plan", "--premises", "testdata/no-coords.csv", "--out", out}, exitError, []string{"no-coords.csv", "nom", "commune"}},
		{"bad json", []string{"plan", "--zones", "testdata/broken.geojson", "--out", out}, exitError, []string{"broken.geojson", "byte"}},
		{"points as zones", []string{"plan", "--zones", "testdata/points-as-zones.geojson", "--out", out}, exitError, []string{"points-as-zones.geojson", "Point"}},
		{"unknown set key", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--set", "leo.kitt_eur=1"}, exitUsage, []string{"leo.kitt_eur"}},
		{"bad set value", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--set", "fibre.route_factor=-3"}, exitUsage, []string{"fibre.route_factor"}},
		{"set without =", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--set", "leo.kit_eur"}, exitUsage, []string{"key=value"}},
		{"unknown target", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--target", "mars"}, exitUsage, []string{"mars"}},
		{"unknown policy", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--policy", "cheapest"}, exitUsage, []string{"cheapest"}},
		{"budget without amount", []string{"plan", "--premises", ex + "mont-bonvillers/adresses.csv", "--out", out, "--policy", "budget"}, exitUsage, []string{"budget"}},
		{"zone level without counts", []string{"plan", "--zones", ex + "cantal/communes.geojson", "--out", out}, exitError, []string{"communes.geojson", "population", "code, nom"}},
		{"unknown flag", []string{"plan", "--frobnicate"}, exitUsage, []string{"frobnicate"}},
		{"premises twice", []string{"plan", "--premises", "a.csv", "--premises", "b.csv", "--out", out}, exitUsage, []string{"--premises", "given twice", "a.csv", "b.csv"}},
		{"zones twice", []string{"plan", "--zones", "a.geojson", "--out", out, "--zones", "b.geojson"}, exitUsage, []string{"--zones", "given twice"}},
		{"out twice", []string{"plan", "--premises", "a.csv", "--out", out, "--out", "elsewhere"}, exitUsage, []string{"--out", "given twice"}},
		{"scenario twice", []string{"plan", "--premises", "a.csv", "--out", out, "--scenario", "a.yaml", "--scenario", "b.yaml"}, exitUsage, []string{"--scenario", "given twice"}},
		{"measure premises twice", []string{"measure", "--zones", "z", "--premises", "a.csv", "--premises", "b.csv", "--out", out}, exitUsage, []string{"--premises", "given twice"}},
		{"unknown command", []string{"plam"}, exitUsage, []string{"plam"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := covplan(t, tt.args...)
			checkOutcome(t, code, tt.code, stderr, tt.want)
		})
	}
}

func TestPlanSkippedRecordsAreReported(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := covplan(t, "plan", "--no-report", "--premises", "testdata/out-of-range.csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "out-of-range.csv: 1 record(s) skipped: lat out of range") || !strings.Contains(stderr, "e.g. line 3") {
		t.Errorf("the out-of-range row is not reported on stderr:\n%s", stderr)
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !bytes.Contains(b, []byte("out-of-range.csv")) {
		t.Errorf("summary.json does not count the skipped row:\n%s", b)
	}
	if rows := readCSV(t, filepath.Join(out, "premises.csv")); len(rows)-1 != 2 {
		t.Errorf("premises.csv has %d rows, want the 2 valid ones", len(rows)-1)
	}
	// --quiet prints errors only: the warning is in summary.json alone.
	code, stdout, stderr := covplan(t, "plan", "--quiet", "--no-report", "--premises", "testdata/out-of-range.csv", "--out", out)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("--quiet: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b2, _ := os.ReadFile(filepath.Join(out, "summary.json")); !bytes.Equal(b, b2) {
		t.Errorf("--quiet changed summary.json")
	}
}

func TestInspect(t *testing.T) {
	code, stdout, stderr := covplan(t, "inspect", ex+"mont-bonvillers/adresses.csv", ex+"cantal/communes.geojson", ex+"cantal/public-network-2014-2021.geojson")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"adresses.csv", "501", "communes.geojson", "247", "public-network-2014-2021.geojson", "56"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	code, _, stderr = covplan(t, "inspect", "testdata/no-such-file.csv")
	if code != exitError || !strings.Contains(stderr, "no-such-file.csv") {
		t.Errorf("inspect of a missing file: exit %d, stderr %q", code, stderr)
	}
}

func TestMeasureAndParams(t *testing.T) {
	out := t.TempDir()
	// Mont-Bonvillers is not in Cantal: every premise is outside every
	// zone, and measuring them is an error that says why.
	code, _, stderr := covplan(t, "measure", "--quiet", "--zones", ex+"cantal/communes.geojson",
		"--premises", ex+"mont-bonvillers/adresses.csv", "--fibre", ex+"mont-bonvillers/nro-assumed.csv", "--out", out)
	if code != exitError || !strings.Contains(stderr, "adresses.csv: none of the 501 premises falls in a zone of communes.geojson") ||
		!strings.Contains(stderr, "these premises are of another region") {
		t.Errorf("measure outside every zone: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "premise_out.csv")); err == nil {
		t.Errorf("premise_out.csv written by a failed measure")
	}
	// Mont-Bonvillers in its own grid: every premise is in a zone.
	grid := t.TempDir()
	if code, _, stderr := covplan(t, "plan", "--quiet", "--no-report", "--premises", ex+"mont-bonvillers/adresses.csv", "--out", grid); code != exitOK {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	code, _, stderr = covplan(t, "measure", "--quiet", "--zones", filepath.Join(grid, "zones.geojson"),
		"--premises", ex+"mont-bonvillers/adresses.csv", "--fibre", ex+"mont-bonvillers/nro-assumed.csv", "--out", out)
	if code != exitOK {
		t.Fatalf("measure: exit %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "premise_out.csv"))
	if len(rows)-1 != 501 {
		t.Errorf("premise_out.csv has %d rows", len(rows)-1)
	}
	code, stdout, _ := covplan(t, "params", "--set", "leo.kit_eur=0")
	if code != exitOK || !strings.Contains(stdout, "leo.kit_eur") || !strings.Contains(stdout, "default 349") {
		t.Errorf("params: exit %d, output:\n%s", code, stdout)
	}
}

// Shapefiles (Lambert-93, Latin-1 names) and KML read like GeoJSON and CSV.
func TestPlanShapefileAndKML(t *testing.T) {
	const gd = "../../geodata/testdata/"
	out := t.TempDir()
	code, _, stderr := covplan(t, "plan", "--quiet", "--no-report",
		"--zones", gd+"shp/cantal-3-communes.shp",
		"--zone-table", ex+"cantal/population.csv",
		"--fibre", gd+"kml/auvergne-phase2-3.kml",
		"--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "zones.csv"))
	if len(rows)-1 != 3 {
		t.Errorf("zones.csv has %d rows, want the 3 communes of the shapefile", len(rows)-1)
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	for _, want := range []string{"cantal-3-communes.shp", "auvergne-phase2-3.kml"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("summary.json does not list %s", want)
		}
	}
	out = t.TempDir()
	code, _, stderr = covplan(t, "plan", "--quiet", "--no-report", "--premises", gd+"shp/ban-54084-gdal.shp", "--grid-m", "500", "--out", out)
	if code != exitOK {
		t.Fatalf("shapefile premises: exit %d: %s", code, stderr)
	}
	if rows := readCSV(t, filepath.Join(out, "premises.csv")); len(rows) < 2 {
		t.Errorf("no premises read from the shapefile")
	}
	code, _, stderr = covplan(t, "plan", "--zones", "main_test.go", "--out", out)
	if code != exitError || !strings.Contains(stderr, "main_test.go") {
		t.Errorf("unreadable zones: exit %d, stderr %q", code, stderr)
	}
}

func TestInspectShapefileAndKML(t *testing.T) {
	code, stdout, stderr := covplan(t, "inspect", "../../geodata/testdata/shp/cantal-3-communes.shp", "../../geodata/testdata/kml/auvergne-phase2-3.kml")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"format:      shapefile", "EPSG:2154", "INSEE_COM", "format:      kml", "CODE_NRO"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestTimings checks --timings: one line per stage, then the total with the
// process's CPU time and peak memory, on stderr only.
func TestTimings(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, append(mbArgs(out), "--no-report", "--timings")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("--quiet --timings wrote to stdout: %q", stdout)
	}
	for _, stage := range []string{"reading adresses.csv", "projecting", "indexing", "measuring", "evaluating", "writing premises.csv", "total"} {
		if !strings.Contains(stderr, "covplan: "+stage) {
			t.Errorf("no %q line in:\n%s", stage, stderr)
		}
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if runtime.GOOS == "windows" {
		return // no rusage: the total is the wall time alone
	}
	if !strings.HasPrefix(last, "covplan: total") || !strings.Contains(last, " s, CPU ") || !strings.Contains(last, " MB") {
		t.Errorf("last line %q, want the total with CPU and peak RSS", last)
	}
}
