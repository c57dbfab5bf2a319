package geodata

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/covplan/covplan/coverage"
)

// TestBadCorpus is a regression suite in the style of PostGIS's: every
// file of testdata/bad (broken, or surprising, inputs) is read as the role
// its name starts with (zones, premises, aps, fibre), and what covplan
// says about it — the error, or what it read, repaired, skipped and
// warned about, and for premises, access points and fibre what they give
// against the Cantal communes of testdata — must equal testdata/bad/
// NAME.out. Regenerate with go test ./geodata -run BadCorpus -update, and
// read the diff.
func TestBadCorpus(t *testing.T) {
	entries, err := os.ReadDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	area, err := ReadZones(openT(t, "testdata/cantal-3-communes.geojson"), "cantal-3-communes.geojson", ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		switch filepath.Ext(name) {
		case ".out", ".md", ".shx", ".dbf", ".prj", ".cpg":
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			got := readBad(t, filepath.Join("testdata/bad", name), name, area)
			golden := filepath.Join("testdata/bad", name+".out")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run BadCorpus -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
			}
		})
	}
	if n < 30 {
		t.Errorf("only %d files in testdata/bad", n)
	}
}

// readBad reads one corpus file and describes the outcome.
func readBad(t *testing.T, path, name string, area *ZoneLayer) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	role := name[:strings.IndexByte(name, '.')]
	format := FormatOf(name, data[:min(len(data), 512)])
	var b strings.Builder
	fmt.Fprintf(&b, "%s: read as %s, format %s\n", name, role, format)
	say := func(diags []Diagnostic) {
		for _, d := range diags {
			fmt.Fprintf(&b, "- %s\n", strings.TrimPrefix(d.String(), d.File+": "))
		}
	}
	switch role {
	case "zones":
		z, err := readBadAs(path, name, format, data,
			func(r io.Reader) (*ZoneLayer, error) { return ReadZones(r, name, ZoneOptions{}) },
			func(r io.Reader) (*ZoneLayer, error) { return ReadKMLZones(r, name, ZoneOptions{}) },
			func(l *ShapefileLayer) (*ZoneLayer, error) { return l.Zones(ZoneOptions{}) })
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "read: %d zones of %d features, %s\n", z.Len(), z.Records, z.CRS)
		say(z.AllDiagnostics())
	case "premises", "aps":
		l, err := readBadAs(path, name, format, data,
			func(r io.Reader) (*PointLayer, error) { return ReadPoints(r, name, PointOptions{}) },
			func(r io.Reader) (*PointLayer, error) { return ReadKMLPoints(r, name, PointOptions{}) },
			func(l *ShapefileLayer) (*PointLayer, error) { return l.Points(PointOptions{}) })
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "read: %d points of %d records, %s, %s\n", l.Len(), l.Records, l.CRS, l.Encoding)
		say(l.AllDiagnostics())
		if role == "premises" {
			zl := coverage.NewZoneLocator(area.Geoms)
			if o := OutsideZones(l, area.Geoms, func(i int) int32 { return zl.ZoneOf(l.Pts[i]) }); o != nil {
				fmt.Fprintf(&b, "against %s: %s\n", area.Name, strings.TrimPrefix(o.Diagnostic.String(), o.Diagnostic.File+": "))
			} else {
				fmt.Fprintf(&b, "against %s: every premise is in a zone\n", area.Name)
			}
			break
		}
		badBuild(&b, area, nil, l)
	case "fibre":
		f, err := readBadAs(path, name, format, data,
			func(r io.Reader) (*FibreLayer, error) { return ReadFibre(r, name, FibreOptions{}) },
			func(r io.Reader) (*FibreLayer, error) { return ReadKMLFibre(r, name, FibreOptions{}) },
			func(l *ShapefileLayer) (*FibreLayer, error) { return l.Fibre(FibreOptions{}) })
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "read: %d nodes, %d lines, %d served areas, %s\n", len(f.Nodes), len(f.Lines), len(f.Areas), f.CRS)
		say(f.AllDiagnostics())
		badBuild(&b, area, f, nil)
	default:
		t.Fatalf("%s: unknown role %q", name, role)
	}
	return b.String()
}

// badBuild builds a dataset of the Cantal communes with the layer and
// says what Build skipped.
func badBuild(b *strings.Builder, area *ZoneLayer, f *FibreLayer, a *PointLayer) {
	var fibre []*FibreLayer
	var aps []*PointLayer
	if f != nil {
		fibre = append(fibre, f)
	}
	if a != nil {
		aps = append(aps, a)
	}
	ds, err := Build(area, nil, fibre, aps, BuildOptions{})
	if err != nil {
		fmt.Fprintf(b, "build with %s: error: %v\n", area.Name, err)
		return
	}
	fmt.Fprintf(b, "build with %s: frame %s, %d nodes, %d served areas, %d access points kept\n", area.Name, ds.Frame.Name(),
		len(ds.Input.Nodes), len(ds.Input.Served), len(ds.Input.APs))
	for _, d := range ds.Diagnostics {
		if d.Code == "far-feature" {
			fmt.Fprintf(b, "build: %s\n", strings.TrimPrefix(d.String(), d.File+": "))
		}
	}
}

// readBadAs reads a file of any format with the role's readers.
func readBadAs[L any](path, name, format string, data []byte, text, kml func(io.Reader) (L, error), shp func(*ShapefileLayer) (L, error)) (L, error) {
	var zero L
	switch format {
	case "kml":
		return kml(bytes.NewReader(data))
	case "kmz":
		rc, err := OpenKMZ(bytes.NewReader(data), int64(len(data)), name)
		if err != nil {
			return zero, err
		}
		defer rc.Close()
		return kml(rc)
	case "zip":
		l, err := ReadShapefileZip(bytes.NewReader(data), int64(len(data)), name, "")
		if err != nil {
			return zero, err
		}
		return shp(l)
	case "shapefile":
		var dbf io.Reader
		for _, p := range ShapefileSidecar(path, ".dbf") {
			if b, err := os.ReadFile(p); err == nil {
				dbf = bytes.NewReader(b)
				break
			}
		}
		l, err := ReadShapefile(bytes.NewReader(data), dbf, name, ShapefileOptions{})
		if err != nil {
			return zero, err
		}
		return shp(l)
	}
	return text(bytes.NewReader(data))
}
