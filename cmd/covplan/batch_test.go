package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// indexRows reads index.csv into rows keyed by area.
func indexRows(t *testing.T, out string) (header []string, rows map[string][]string) {
	t.Helper()
	all := readCSV(t, filepath.Join(out, "index.csv"))
	rows = map[string][]string{}
	for _, r := range all[1:] {
		rows[r[0]] = r
	}
	return all[0], rows
}

// The example manifest runs as documented; a rerun skips both areas.
func TestBatchExample(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := covplan(t, "batch", ex+"batch/manifest.yaml", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "2 areas: 2 planned, 0 unchanged (skipped), 0 failed") {
		t.Errorf("stdout:\n%s", stdout)
	}
	h, rows := indexRows(t, out)
	for _, id := range []string{"cantal", "mont-bonvillers"} {
		r := rows[id]
		if r == nil || r[col(t, h, "status")] != "planned" || r[col(t, h, "report")] != id+"/report.html" {
			t.Errorf("index.csv row %s: %v", id, r)
			continue
		}
		// the index's figures are the area's own plan's
		for _, k := range []string{"public_cost_eur", "capex_eur"} {
			if got, want := r[col(t, h, k)], summaryValue(t, filepath.Join(out, id, "summary.json"), k); got != want {
				t.Errorf("%s: index.csv %s %s, summary.json %s", id, k, got, want)
			}
		}
	}
	code, stdout, stderr = covplan(t, "batch", ex+"batch/manifest.yaml", "--out", out)
	if code != exitOK || !strings.Contains(stdout, "0 planned, 2 unchanged (skipped)") || !strings.Contains(stderr, "cantal: unchanged since the last run") {
		t.Errorf("rerun: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, rows2 := indexRows(t, out); rows2["cantal"][col(t, h, "status")] != "unchanged" || rows2["cantal"][col(t, h, "capex_eur")] != rows["cantal"][col(t, h, "capex_eur")] {
		t.Errorf("rerun: index row %v, was %v", rows2["cantal"], rows["cantal"])
	}
}

// A broken area fails alone: the others are planned, the index lists it
// with its error, the exit code is 3 and a JSON log names the areas.
func TestBatchBrokenArea(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := covplan(t, "batch", "testdata/batch/manifest-broken.yaml", "--out", out, "--jobs", "3", "--log-format", "json")
	if code != exitPartial {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	h, rows := indexRows(t, out)
	if r := rows["broken"]; r == nil || r[col(t, h, "status")] != "failed" || !strings.Contains(r[col(t, h, "error")], "broken.geojson") || r[col(t, h, "report")] != "" {
		t.Errorf("broken row: %v", r)
	}
	for _, id := range []string{"cantal", "mont-bonvillers"} {
		if rows[id][col(t, h, "status")] != "planned" {
			t.Errorf("%s: %v", id, rows[id])
		}
	}
	if _, err := os.Stat(filepath.Join(out, "broken", "report.html")); err == nil {
		t.Errorf("the broken area has a report")
	}
	var failed, areaLines int
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON record: %s", line)
		}
		if rec["area"] != nil {
			areaLines++
		}
		if rec["level"] == "ERROR" {
			failed++
			if c, _ := rec["exit_code"].(float64); c != 3 || !strings.Contains(rec["msg"].(string), "1 of 3 areas failed") {
				t.Errorf("error record: %v", rec)
			}
		}
	}
	if failed != 1 || areaLines < 4 {
		t.Errorf("%d error records, %d records naming an area:\n%s", failed, areaLines, stderr)
	}
	html, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="cantal/report.html"`, `id="areas-table"`, "broken.geojson", `id="chart-map"`} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// copyMB copies Mont-Bonvillers' inputs into dir and writes a manifest of
// two areas on them.
func copyMB(t *testing.T, dir string) string {
	t.Helper()
	for _, f := range []string{"adresses.csv", "nro-assumed.csv", "wifi-assumed.csv"} {
		b, err := os.ReadFile(ex + "mont-bonvillers/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := `areas:
  - id: mb-a
    premises: adresses.csv
    grid_m: 250
    fibre: nro-assumed.csv
    aps: wifi-assumed.csv
    no_report: true
  - id: mb-b
    premises: adresses.csv
    grid_m: 500
    fibre: [nro-assumed.csv]
    no_report: true
`
	path := filepath.Join(dir, "manifest.yaml")
	if err := os.WriteFile(path, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A rerun plans again exactly the areas whose input content, options,
// scenario or covplan version changed, or all with --force.
func TestBatchSkipsUnchanged(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	manifest := copyMB(t, dir)
	status := func(args ...string) map[string]string {
		t.Helper()
		code, _, stderr := covplan(t, append([]string{"batch", manifest, "--out", out}, args...)...)
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		h, rows := indexRows(t, out)
		got := map[string]string{}
		for id, r := range rows {
			got[id] = r[col(t, h, "status")]
		}
		return got
	}
	want := func(step string, got map[string]string, a, b string) {
		t.Helper()
		if got["mb-a"] != a || got["mb-b"] != b {
			t.Errorf("%s: mb-a %s, mb-b %s; want %s, %s", step, got["mb-a"], got["mb-b"], a, b)
		}
	}
	want("first run", status(), "planned", "planned")
	want("rerun", status(), "unchanged", "unchanged")
	want("--force", status("--force"), "planned", "planned")
	// the access points only mb-a reads: same name, new content
	aps := filepath.Join(dir, "wifi-assumed.csv")
	b, _ := os.ReadFile(aps)
	if err := os.WriteFile(aps, append(b, b[bytes.IndexByte(b, '\n')+1:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	want("an input changed", status(), "planned", "unchanged")
	// an option in the manifest
	m, _ := os.ReadFile(manifest)
	os.WriteFile(manifest, bytes.Replace(m, []byte("grid_m: 500"), []byte("grid_m: 400"), 1), 0o644)
	want("an option changed", status(), "unchanged", "planned")
	// a file of the area's output set edited by hand
	os.WriteFile(filepath.Join(out, "mb-a", "zones.csv"), []byte("edited\n"), 0o644)
	want("an output edited", status(), "planned", "unchanged")
	// another covplan version
	defer func(v string) { version = v }(version)
	version = "9.9.9-test"
	want("a new version", status(), "planned", "planned")
}

func TestBatchManifestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown key", "areas:\n  - id: a\n    premise: x.csv\n", "m.yaml:3:5: unknown key \"premise\"; did you mean premises?"},
		{"unknown top key", "area:\n  - id: a\n", "m.yaml:1:1: unknown key \"area\""},
		{"no areas", "title: x\n", "no areas"},
		{"areas not a list", "areas: {id: a}\n", "areas: want a list of areas"},
		{"bad number", "areas:\n  - id: a\n    premises: x.csv\n    grid_m: wide\n", "m.yaml:4:13: grid_m: want a number"},
		{"bad bool", "areas:\n  - id: a\n    premises: x.csv\n    excel: yes please\n", "m.yaml:4:12: excel: want true or false"},
		{"bad set value", "areas:\n  - id: a\n    premises: x.csv\n    set:\n      fibre.route_factor: lots\n", "m.yaml:5:27: not a number"},
		{"unknown set key", "areas:\n  - id: a\n    premises: x.csv\n    set: {fibre.route: 1}\n", "m.yaml:4:11: unknown key \"fibre.route\""},
		{"bad id", "areas:\n  - id: ../etc\n    premises: x.csv\n", "id \"../etc\""},
		{"no id", "areas:\n  - premises: x.csv\n", "an area without id"},
		{"same id", "areas:\n  - id: a\n    premises: x.csv\n  - id: A\n    premises: y.csv\n", "m.yaml:4:5: area id \"A\" is used twice (first at line 2, column 5)"},
		{"key twice", "areas:\n  - id: a\n    premises: x.csv\n    premises: y.csv\n", `m.yaml:4:5: mapping key "premises" already defined`},
		{"no inputs", "areas:\n  - id: a\n", "area a: give --zones, --premises or both"},
		{"id in defaults", "defaults:\n  id: a\nareas:\n  - id: a\n    premises: x.csv\n", "m.yaml:2:3: unknown key \"id\""},
		{"bad scenario file", "areas:\n  - id: a\n    premises: x.csv\n    scenario: nowhere.yaml\n", "nowhere.yaml: cannot read the scenario file"},
		{"not yaml", "areas: [\n", "m.yaml:"},
		{"bad lang", "areas:\n  - id: a\n    premises: x.csv\n    lang: de\n", "area a: --lang: want fr or en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "m.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			code, stdout, stderr := covplan(t, "batch", path, "--out", out)
			want := strings.Replace(tc.want, "m.yaml", path, 1)
			if code != exitUsage || !strings.Contains(stderr, want) || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a manifest error created --out")
			}
		})
	}
}

func TestBatchUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"batch", "--out", "x"}, "want one MANIFEST.yaml, got 0"},
		{[]string{"batch", ex + "batch/manifest.yaml"}, "give --out DIR"},
		{[]string{"batch", ex + "batch/manifest.yaml", "--out", "x", "--jobs", "-1"}, "--jobs: want 1 or more"},
		{[]string{"batch", "missing.yaml", "--out", "x"}, "missing.yaml: cannot read the manifest"},
	} {
		code, _, stderr := covplan(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestFlagsFirst(t *testing.T) {
	flags := batchCommand().Flags
	for _, tc := range []struct{ in, want []string }{
		{[]string{"m.yaml", "--out", "d", "--force"}, []string{"--out", "d", "--force", "m.yaml"}},
		{[]string{"--force", "m.yaml", "-j", "2"}, []string{"--force", "-j", "2", "m.yaml"}},
		{[]string{"m.yaml", "--out=d", "--quiet"}, []string{"--out=d", "--quiet", "m.yaml"}},
		{[]string{"--out", "d", "--", "-m.yaml"}, []string{"--out", "d", "--", "-m.yaml"}},
	} {
		if got := flagsFirst(tc.in, flags); !slices.Equal(got, tc.want) {
			t.Errorf("flagsFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAreaWriter(t *testing.T) {
	var buf bytes.Buffer
	text := &areaWriter{w: &buf, area: "cantal"}
	text.Write([]byte("covplan: a.csv: skipped 2 record(s)\ncovplan: par"))
	text.Write([]byte("tial line\n"))
	js := &areaWriter{w: &buf, area: "mb", json: true}
	js.Write([]byte(`{"time":"t","level":"WARN","msg":"m"}` + "\n"))
	want := "covplan: cantal: a.csv: skipped 2 record(s)\ncovplan: cantal: partial line\n" + `{"area":"mb","time":"t","level":"WARN","msg":"m"}` + "\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
