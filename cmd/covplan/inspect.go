package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/covplan/covplan/geodata"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	flags := append([]cli.Flag{
		&cli.BoolFlag{Name: "json", Usage: "print a JSON array of one object per file (one a line), in argument order, instead of text"},
	}, limitFlags()...)
	return &cli.Command{
		Name:      "inspect",
		Usage:     "say what each file holds: kind, count, bounds, columns, CRS, problems",
		ArgsUsage: "FILE...",
		Description: "inspect reads each file as covplan would and reports what it found, without planning.\n" +
			"A GeoPackage layer is named as in QGIS: FILE.gpkg|layername=NAME.\n" +
			"It exits non-zero when a file cannot be read at all.",
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("inspect: name at least one file")
			}
			lim, err := limitsFromCLI(c)
			if err != nil {
				return err
			}
			return inspectFiles(c.Args().Slice(), lim, c.Bool("json"), c.App.Writer, c.App.ErrWriter)
		},
	}
}

// inspectFiles describes each file of paths on stdout, as text or as one
// JSON array; a file that cannot be read is said on stderr (and, in JSON,
// is an object with its path and the error), and makes the command fail.
func inspectFiles(paths []string, lim geodata.Limits, asJSON bool, stdout, stderr io.Writer) error {
	var failed int
	var docs []json.RawMessage
	for i, path := range paths {
		info, err := inspectFile(path, lim)
		if err != nil {
			fmt.Fprintf(stderr, "covplan: %v\n", err)
			failed++
		}
		if asJSON {
			doc, jerr := inspectJSON(path, info, err)
			if jerr != nil {
				return jerr
			}
			docs = append(docs, doc)
			continue
		}
		if err != nil {
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s\n", path)
		if err := info.WriteText(stdout); err != nil {
			return err
		}
	}
	if asJSON {
		// One file a line: readable, and easy to grep or cut.
		b := []byte("[")
		for i, d := range docs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(b, '\n'), d...)
		}
		if _, err := stdout.Write(append(b, "\n]\n"...)); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("inspect: %d of %d files could not be read", failed, len(paths))
	}
	return nil
}

// inspectJSON is one element of inspect --json: the file's Info with its
// path first, or {"path", "error"} when it could not be read.
func inspectJSON(path string, info *geodata.Info, readErr error) (json.RawMessage, error) {
	if readErr != nil {
		return json.Marshal(struct {
			Path  string `json:"path"`
			Error string `json:"error"`
		}{path, readErr.Error()})
	}
	p, err := json.Marshal(path)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	// b is a JSON object: put "path" before its first key.
	return append(append(append([]byte(`{"path":`), p...), ','), b[1:]...), nil
}

// inspectFile reads the file at path (a GeoPackage layer named with
// "|layername=") as plan would and describes it.
func inspectFile(path string, lim geodata.Limits) (*geodata.Info, error) {
	file, layer := splitLayer(path)
	format, err := sniffFormat("input", file)
	if err != nil {
		return nil, err
	}
	if layer != "" && format != "gpkg" && format != "zip" {
		return nil, fmt.Errorf("%s: |layername=%s names a layer, but a %s file has only one", file, layer, format)
	}
	name := filepath.Base(file)
	switch format {
	case "shapefile":
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, unwrapPathError(err))
		}
		defer f.Close()
		l, err := readShapefile(f, file, name, lim)
		if err != nil {
			return nil, err
		}
		return geodata.InspectShapefile(l, format)
	case "kml", "kmz", "zip", "gpkg":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, unwrapPathError(err))
		}
		return inspectArchive(bytes.NewReader(data), name, layer, format, lim)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, unwrapPathError(err))
	}
	defer f.Close()
	return geodata.Inspect(f, name)
}

// inspectArchive describes a KML, KMZ, zipped shapefile or GeoPackage
// held in memory.
func inspectArchive(r *bytes.Reader, name, layer, format string, lim geodata.Limits) (*geodata.Info, error) {
	switch format {
	case "kml":
		return geodata.InspectKML(r, name, format, lim)
	case "kmz":
		doc, err := geodata.OpenKMZLimits(r, r.Size(), name, lim)
		if err != nil {
			return nil, err
		}
		defer doc.Close()
		return geodata.InspectKML(doc, name, format, lim)
	case "zip":
		l, err := geodata.ReadShapefileZipOptions(r, r.Size(), name, layer, geodata.ShapefileOptions{Limits: lim})
		if err != nil {
			return nil, err
		}
		return geodata.InspectShapefile(l, format)
	}
	l, err := geodata.ReadGeoPackage(r, r.Size(), name, geodata.GeoPackageOptions{Layer: layer})
	if err != nil {
		return nil, err
	}
	return geodata.InspectGeoPackage(l)
}

// unwrapPathError drops the path os.Open already put in its message, so
// errors read "file: no such file or directory" once.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
