package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/covplan/covplan/geodata"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "say what each file holds: kind, count, bounds, columns, CRS, problems",
		ArgsUsage: "FILE...",
		Description: "inspect reads each file as covplan would and reports what it found, without planning.\n" +
			"It exits non-zero when a file cannot be read at all.",
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("inspect: name at least one file")
			}
			var failed int
			for i, path := range c.Args().Slice() {
				if i > 0 {
					fmt.Fprintln(c.App.Writer)
				}
				if err := inspectFile(c.Context, c.App.Writer, path); err != nil {
					fmt.Fprintf(c.App.ErrWriter, "covplan: %v\n", err)
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("inspect: %d of %d files could not be read", failed, c.NArg())
			}
			return nil
		},
	}
}

// inspectFile describes the file at path on w.
func inspectFile(ctx context.Context, w io.Writer, path string) error {
	format, err := sniffFormat("input", path)
	if err != nil {
		return err
	}
	switch format {
	case "kml", "kmz", "shapefile", "zip":
		info, err := inspectBinary(ctx, path, format)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n", path)
		return info.WriteText(w)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	info, err := geodata.Inspect(f, filepath.Base(path))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\n", path)
	return info.WriteText(w)
}

// unwrapPathError drops the path os.Open already put in its message, so
// errors read "file: no such file or directory" once.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// inspectBinary describes a KML/KMZ or shapefile by reading it as a fibre
// layer, the reader that takes every geometry type.
func inspectBinary(ctx context.Context, path, format string) (*geodata.Info, error) {
	s := &session{ctx: ctx, pg: &progress{}, con: newConsole(io.Discard, io.Discard, LogText, true), workers: 1}
	fopt := geodata.FibreOptions{}
	l, err := readLayer(s, "input", path, layerReaders[*geodata.FibreLayer]{
		kml: func(rd io.Reader, name string) (*geodata.FibreLayer, error) {
			return geodata.ReadKMLFibre(rd, name, fopt)
		},
		shp: func(l *geodata.ShapefileLayer) (*geodata.FibreLayer, error) { return l.Fibre(fopt) },
	}, fibreInfo)
	if err != nil {
		return nil, err
	}
	info := &geodata.Info{
		Name: filepath.Base(path), Format: format, CRS: l.CRS,
		Records: l.Records, Kept: l.Len(), Columns: l.Columns, Used: l.Used,
		SkipCounts: l.SkipCounts, Skips: l.Skips, Warnings: l.Warnings,
	}
	if l.Len() > 0 {
		info.Bound, info.HasData = l.Bound(), true
	}
	kinds := 0
	for _, g := range []struct {
		name   string
		n      int
		active []bool
	}{{"Point", len(l.Nodes), l.NodeActive}, {"LineString", len(l.Lines), l.LineActive}, {"Polygon", len(l.Areas), l.AreaActive}} {
		if g.n == 0 {
			continue
		}
		kinds++
		info.Geometries = append(info.Geometries, geodata.ReasonCount{Reason: g.name, Count: g.n})
		for _, a := range g.active {
			if !a {
				info.Inactive++
			}
		}
	}
	switch {
	case kinds == 0:
		info.Kind = "empty"
	case kinds > 1:
		info.Kind = "mixed"
	case len(l.Nodes) > 0:
		info.Kind = "points"
	case len(l.Areas) > 0:
		info.Kind = "zones"
	default:
		info.Kind = "fibre"
	}
	return info, nil
}
