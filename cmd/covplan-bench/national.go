package main

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// The national benchmark: every département of metropolitan France as an
// area of `covplan batch`, at zone level, each filled with synthetic
// communes: square cells of nationalCellM whose centre lies inside the
// département's outline (about 34,000 cells, near France's 34,900
// communes), each with a heavy-tailed premises count (median about 250,
// some thousands: about 17 million in all), and one active optical node
// for about every 15 cells. Deterministic for a seed.

//go:embed testdata/departements-version-simplifiee.geojson
var departementsGeoJSON []byte

// nationalVersion names the national generator; part of its cache folder.
const nationalVersion = "covplan-national-2"

const nationalCellM = 4000.0

// generateNational writes DIR/CODE/communes.geojson and DIR/CODE/nodes.csv
// for every département, then DIR/manifest.yaml (last: its presence marks
// a complete set). It returns the number of communes written.
func generateNational(dir string, seed uint64) (int, error) {
	fc, err := geojson.UnmarshalFeatureCollection(departementsGeoJSON)
	if err != nil {
		return 0, fmt.Errorf("départements: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var manifest strings.Builder
	manifest.WriteString("# covplan-bench -national: every metropolitan département, synthetic communes at zone level\ntitle: France métropolitaine (communes synthétiques)\nareas:\n")
	total := 0
	for k, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		name, _ := f.Properties["nom"].(string)
		rng := rand.New(rand.NewPCG(seed, uint64(k)+1))
		n, err := writeDepartement(filepath.Join(dir, code), code, f.Geometry, rng)
		if err != nil {
			return 0, fmt.Errorf("département %s: %w", code, err)
		}
		total += n
		fmt.Fprintf(&manifest, "  - id: %q\n    title: %q\n    zones: %s/communes.geojson\n    fibre: %s/nodes.csv\n", code, name+" ("+code+")", code, code)
	}
	return total, os.WriteFile(filepath.Join(dir, "manifest.yaml"), []byte(manifest.String()), 0o644)
}

// writeDepartement fills one outline with cells and writes its files.
func writeDepartement(dir, code string, g orb.Geometry, rng *rand.Rand) (int, error) {
	var mp orb.MultiPolygon
	switch v := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{v}
	case orb.MultiPolygon:
		mp = v
	default:
		return 0, fmt.Errorf("outline is a %s", g.GeoJSONType())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	b := mp.Bound()
	lat0 := (b.Min[1] + b.Max[1]) / 2
	dLon := nationalCellM / (111_319.491 * math.Cos(lat0*math.Pi/180))
	dLat := nationalCellM / 111_132.954
	zf, err := os.Create(filepath.Join(dir, "communes.geojson"))
	if err != nil {
		return 0, err
	}
	defer zf.Close()
	zw := bufio.NewWriter(zf)
	var nodes strings.Builder
	nodes.WriteString("id,name,lon,lat,status\n")
	zw.WriteString(`{"type":"FeatureCollection","features":[`)
	n := 0
	for y := b.Min[1]; y < b.Max[1]; y += dLat {
		for x := b.Min[0]; x < b.Max[0]; x += dLon {
			c := orb.Point{x + dLon/2, y + dLat/2}
			if !planar.MultiPolygonContains(mp, c) {
				continue
			}
			if n > 0 {
				zw.WriteString(",\n")
			}
			n++
			premises := int(math.Min(200_000, math.Max(5, math.Exp(5.5+1.2*rng.NormFloat64()))))
			id := fmt.Sprintf("%s%04d", code, n)
			fmt.Fprintf(zw, `{"type":"Feature","properties":{"id":"%s","nom":"Commune %s","premises":%d},"geometry":{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}}`,
				id, id, premises, ll(x), ll(y), ll(x+dLon), ll(y), ll(x+dLon), ll(y+dLat), ll(x), ll(y+dLat), ll(x), ll(y))
			if rng.IntN(15) == 0 || n == 1 { // every département has a node
				fmt.Fprintf(&nodes, "N%s,NRO %s,%s,%s,active\n", id, id, ll(c[0]+dLon*(rng.Float64()-0.5)/2), ll(c[1]+dLat*(rng.Float64()-0.5)/2))
			}
		}
	}
	zw.WriteString("]}\n")
	if err := zw.Flush(); err != nil {
		return 0, err
	}
	return n, os.WriteFile(filepath.Join(dir, "nodes.csv"), []byte(nodes.String()), 0o644)
}

func ll(v float64) string { return strconv.FormatFloat(v, 'f', 5, 64) }

// benchNational generates (or reuses) the national set, then times
// `covplan batch` on it: a first run that plans every area, and a rerun
// that skips them all.
func benchNational(opt *options, stdout, stderr io.Writer) error {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	dir := filepath.Join(opt.dataDir, fmt.Sprintf("%s-%d", nationalVersion, opt.seed))
	if _, err := os.Stat(filepath.Join(dir, "manifest.yaml")); err != nil {
		start := time.Now()
		n, err := generateNational(dir, opt.seed)
		if err != nil {
			return err
		}
		logf("generated %d communes in 96 départements into %s in %.1f s", n, dir, time.Since(start).Seconds())
	}
	out := opt.outDir
	if out == "" {
		tmp, err := os.MkdirTemp("", "covplan-bench-national-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out = tmp
	}
	bin := opt.covplan
	if bin == "" {
		b, err := buildCovplan(out, logf)
		if err != nil {
			return err
		}
		bin = b
	}
	args := []string{"batch", filepath.Join(dir, "manifest.yaml"), "--out", filepath.Join(out, "batch"), "--quiet"}
	if opt.jobs > 0 {
		args = append(args, "--jobs", fmt.Sprint(opt.jobs))
	}
	if opt.workers > 0 {
		args = append(args, "--workers", fmt.Sprint(opt.workers))
	}
	for _, run := range []struct{ name, flag string }{{"national batch, every area planned", "--force"}, {"national batch rerun, every area unchanged", ""}} {
		a := args
		if run.flag != "" {
			a = append(a, run.flag)
		}
		wall, rss, _, err := timeRun(exec.Command(bin, a...))
		if err != nil {
			return fmt.Errorf("%s: %w", run.name, err)
		}
		fmt.Fprintf(stdout, "%s: %.1f s wall, %.1f s CPU, peak RSS %.0f MB\n", run.name, wall.Seconds(), lastCPU.Seconds(), float64(rss)/1024)
	}
	return nil
}
