package main

import (
	"context"
	"fmt"
	"io"

	"github.com/covplan/covplan/coverage"
	"github.com/covplan/covplan/render"
	"github.com/urfave/cli/v2"
)

// measureCommand runs the spatial workload alone and writes it in the
// format of the GeoPandas / PostGIS peer scripts (zone_counts.csv,
// premise_out.csv), so covplan can be checked against them file for file.
func measureCommand() *cli.Command {
	flags := pickFlags(inputFlags(), "zones", "zone-id-field", "premises", "lon-field", "lat-field", "fibre", "aps")
	flags = append(flags,
		onceFlag(&cli.GenericFlag{Name: "out", Usage: "output `DIR` (created if missing)"}),
		&cli.StringFlag{Name: "crs", Usage: "force the CRS of every input: EPSG:4326 or EPSG:2154"},
	)
	flags = append(flags, checkFlags()...)
	return &cli.Command{
		Name:  "measure",
		Usage: "measure premises only (zone, nearest fibre node, access points in range) and write zone_counts.csv and premise_out.csv",
		Description: "measure is the spatial core without the planning models: per premise the containing zone,\n" +
			"the distance to the nearest fibre node and the access points whose range reaches it; per zone\n" +
			"the aggregates. Its files have the columns of the peer benchmarks (docs/performance.md).",
		Flags: append(flags, runFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("measure: unexpected argument %q", c.Args().First())
			}
			ro, err := runOptionsFromCLI(c)
			if err != nil {
				return err
			}
			in, err := inputOptionsFromCLI(c)
			if err != nil {
				return err
			}
			opt := MeasureOptions{Inputs: in, Out: c.String("out"), Run: ro}
			_, err = runMeasure(c.Context, opt, c.App.Writer, c.App.ErrWriter)
			return err
		},
	}
}

// pickFlags returns the flags of fs with the given names, in fs's order.
func pickFlags(fs []cli.Flag, names ...string) []cli.Flag {
	var out []cli.Flag
	for _, f := range fs {
		for _, n := range names {
			if f.Names()[0] == n {
				out = append(out, f)
			}
		}
	}
	return out
}

// validate checks a measure run's options, as usage errors.
func (o MeasureOptions) validate() error {
	switch {
	case o.Inputs.Zones == "":
		return usagef("measure: give --zones")
	case o.Inputs.Premises == "":
		return usagef("measure: give --premises")
	case o.Out == "":
		return usagef("measure: give --out DIR")
	}
	if err := o.Run.validate(); err != nil {
		return err
	}
	return o.Inputs.validate()
}

// measureResult is what a measure run produced.
type measureResult struct {
	Premises, Zones, Outside int // premises, zones, premises outside every zone
	Frame                    string
	Written                  []string // paths of the files written
}

// runMeasure measures every premise (zone, nearest fibre, access points in
// range) and writes zone_counts.csv and premise_out.csv into opt.Out.
func runMeasure(ctx context.Context, opt MeasureOptions, stdout, stderr io.Writer) (*measureResult, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	s := newSession(ctx, opt.Run, stdout, stderr)
	set, err := openOutputSet(opt.Out, "measure", s.con.warn)
	if err != nil {
		return nil, err
	}
	defer set.close()
	ds, l, err := s.load(opt.Inputs)
	if err != nil {
		s.pg.wait()
		return nil, err
	}
	in := ds.Input
	done := s.pg.stage("measuring")
	m := s.measure(coverage.NewIndex(in), ds, l.premises)
	counts := coverage.PeerCounts(in, m)
	done()
	if err := s.checkOutside(l, ds, m, opt.Inputs.Strict); err != nil {
		s.pg.wait()
		return nil, err
	}
	written, err := writeOutputs(s, set, []output{
		{"zone_counts.csv", func(w io.Writer) error { return render.WriteZoneCounts(w, in, counts) }},
		{"premise_out.csv", func(w io.Writer) error { return render.WritePremiseOut(w, in, m) }},
	})
	s.pg.wait()
	if err != nil {
		return nil, err
	}
	s.pg.total()
	res := &measureResult{Premises: len(in.Premises), Zones: len(in.Zones), Frame: ds.Frame.Name(), Written: written}
	for i := range m {
		if m[i].Zone < 0 {
			res.Outside++
		}
	}
	s.con.summary("measure written", func(w io.Writer) {
		fmt.Fprintf(w, "covplan measure: %d premises in %d zones (%d outside every zone), frame %s\n",
			res.Premises, res.Zones, res.Outside, res.Frame)
		fmt.Fprintf(w, "  wrote %s and %s\n", written[0], written[1])
	}, "premises", res.Premises, "zones", res.Zones, "outside", res.Outside, "frame", res.Frame, "out", opt.Out, "files", written)
	return res, nil
}
