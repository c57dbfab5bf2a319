package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// measureCommand runs the spatial workload alone and writes it in the
// format of the GeoPandas / PostGIS peer scripts (zone_counts.csv,
// premise_out.csv), so covplan can be checked against them file for file.
func measureCommand() *cli.Command {
	return &cli.Command{
		Name:  "measure",
		Usage: "measure premises only (zone, nearest fibre node, access points in range) and write zone_counts.csv and premise_out.csv",
		Description: "measure is the spatial core without the planning models: per premise the containing zone,\n" +
			"the distance to the nearest fibre node and the access points whose range reaches it; per zone\n" +
			"the aggregates. Its files have the columns of the peer benchmarks (docs/performance.md).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "zones", Usage: "zones `FILE` (GeoJSON)", Required: true},
			&cli.StringFlag{Name: "zone-id-field", Usage: "property holding the zone id"},
			&cli.StringFlag{Name: "premises", Usage: "premises `FILE`", Required: true},
			&cli.StringSliceFlag{Name: "fibre", Usage: "fibre network `FILE` (repeatable)"},
			&cli.StringSliceFlag{Name: "aps", Usage: "access points `FILE` (repeatable)"},
			&cli.StringFlag{Name: "out", Usage: "output `DIR`", Required: true},
			&cli.StringFlag{Name: "crs", Usage: "force the CRS of every input: EPSG:4326 or EPSG:2154"},
			&cli.IntFlag{Name: "workers", Usage: "goroutines (default: one per CPU)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress and no summary"},
			&cli.BoolFlag{Name: "timings", Usage: "print on stderr the wall time of every stage, then the total with CPU time and peak memory"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("measure: unexpected argument %q", c.Args().First())
			}
			quiet := c.Bool("quiet")
			r := newPlanRun(c)
			ds, err := r.load()
			if err != nil {
				r.pg.wait()
				return err
			}
			in := ds.Input
			workers := c.Int("workers")
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			done := r.pg.stage("measuring")
			m := r.measure(coverage.NewIndex(in), ds, workers)
			counts := coverage.PeerCounts(in, m)
			done()
			dir := c.String("out")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				r.pg.wait()
				return fmt.Errorf("--out %s: %w", dir, unwrapPathError(err))
			}
			outs := []struct {
				name string
				fn   func(io.Writer) error
			}{
				{"zone_counts.csv", func(w io.Writer) error { return render.WriteZoneCounts(w, in, counts) }},
				{"premise_out.csv", func(w io.Writer) error { return render.WritePremiseOut(w, in, m) }},
			}
			for _, o := range outs {
				if err := writeAtomic(filepath.Join(dir, o.name), o.fn); err != nil {
					r.pg.wait()
					return err
				}
			}
			r.pg.wait()
			r.pg.total()
			if !quiet {
				outside := 0
				for i := range m {
					if m[i].Zone < 0 {
						outside++
					}
				}
				fmt.Fprintf(c.App.Writer, "covplan measure: %d premises in %d zones (%d outside every zone), frame %s\n",
					len(in.Premises), len(in.Zones), outside, ds.Frame.Name())
				fmt.Fprintf(c.App.Writer, "  wrote %s and %s\n", filepath.Join(dir, "zone_counts.csv"), filepath.Join(dir, "premise_out.csv"))
			}
			return nil
		},
	}
}
