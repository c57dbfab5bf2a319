package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/covplan/covplan/geodata"
)

// layerReaders reads one kind of layer (zones, points, fibre) from every
// format covplan knows; load picks the reader from the file's format.
type layerReaders[T any] struct {
	// text reads GeoJSON or CSV (the geodata readers tell them apart).
	text func(rd io.Reader, name string, size int64) (T, error)
	// kml reads a KML document.
	kml func(rd io.Reader, name string) (T, error)
	// shp converts a shapefile's records.
	shp func(l *geodata.ShapefileLayer) (T, error)
}

// sniffFormat returns the format of the file at path, from its name and
// first bytes (see geodata.FormatOf).
func sniffFormat(role, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s file %s: %w", role, path, unwrapPathError(err))
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	format := geodata.FormatOf(filepath.Base(path), head[:n])
	if format == "" {
		return "", fmt.Errorf("%s file %s: unsupported format (covplan reads GeoJSON, CSV, KML/KMZ and ESRI shapefiles, .shp or zipped)", role, path)
	}
	return format, nil
}

// readLayer reads a layer from path in whatever format it is in, recording
// its digest, count and skips like every input.
func readLayer[T any](s *session, role, path string, rd layerReaders[T], info func(T) layerInfo) (T, error) {
	var zero T
	format, err := sniffFormat(role, path)
	if err != nil {
		return zero, err
	}
	switch format {
	case "kml":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) { return rd.kml(x, name) }, info)
	case "kmz":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) {
			data, err := io.ReadAll(x)
			if err != nil {
				return zero, fmt.Errorf("%s: %w", name, err)
			}
			doc, err := geodata.OpenKMZ(bytes.NewReader(data), int64(len(data)), name)
			if err != nil {
				return zero, err
			}
			defer doc.Close()
			return rd.kml(doc, name)
		}, info)
	case "zip":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) {
			data, err := io.ReadAll(x)
			if err != nil {
				return zero, fmt.Errorf("%s: %w", name, err)
			}
			l, err := geodata.ReadShapefileZip(bytes.NewReader(data), int64(len(data)), name, "")
			if err != nil {
				return zero, err
			}
			return rd.shp(l)
		}, info)
	case "shapefile":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) {
			var dbf io.Reader
			if p := sidecar(path, ".dbf"); p != "" {
				f, err := os.Open(p)
				if err != nil {
					return zero, fmt.Errorf("%s: %w", p, unwrapPathError(err))
				}
				defer f.Close()
				dbf = f
			}
			var opt geodata.ShapefileOptions
			for _, s := range []struct {
				ext string
				dst *[]byte
			}{{".prj", &opt.PRJ}, {".cpg", &opt.CPG}} {
				if p := sidecar(path, s.ext); p != "" {
					b, err := os.ReadFile(p)
					if err != nil {
						return zero, fmt.Errorf("%s: %w", p, unwrapPathError(err))
					}
					*s.dst = b
				}
			}
			l, err := geodata.ReadShapefile(x, dbf, name, opt)
			if err != nil {
				return zero, err
			}
			return rd.shp(l)
		}, info)
	}
	return readInput(s, role, path, rd.text, info)
}

// sidecar returns the first existing companion file of a .shp, or "".
func sidecar(shp, ext string) string {
	for _, p := range geodata.ShapefileSidecar(shp, ext) {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}
