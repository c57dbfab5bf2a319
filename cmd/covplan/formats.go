package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
	// gpkg converts a GeoPackage feature layer.
	gpkg func(l *geodata.GeoPackageLayer) (T, error)
	// lim bounds the archives (KMZ, zip) and shapefile sidecars read;
	// the readers above carry their own.
	lim geodata.Limits
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
		return "", fmt.Errorf("%s file %s: unsupported format (covplan reads GeoJSON, CSV, KML/KMZ, GeoPackage and ESRI shapefiles, .shp or zipped)", role, path)
	}
	return format, nil
}

// readLayer reads a layer from path in whatever format it is in, recording
// its digest, count and skips like every input. path may name a layer of
// a GeoPackage or of a zip holding several shapefiles as QGIS does:
// "FILE|layername=NAME".
func readLayer[T any](s *session, role, path string, rd layerReaders[T], info func(T) layerInfo) (T, error) {
	var zero T
	path, layer := splitLayer(path)
	format, err := sniffFormat(role, path)
	if err != nil {
		return zero, err
	}
	if layer != "" && format != "gpkg" && format != "zip" {
		return zero, fmt.Errorf("%s file %s: |layername=%s names a layer, but a %s file has only one", role, path, layer, format)
	}
	switch format {
	case "kml":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) { return rd.kml(x, name) }, info)
	case "kmz", "zip", "gpkg":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) {
			data, err := io.ReadAll(x)
			if err != nil {
				return zero, fmt.Errorf("%s: %w", name, err)
			}
			return rd.archive(format, bytes.NewReader(data), int64(len(data)), name, layer)
		}, info)
	case "shapefile":
		return readInput(s, role, path, func(x io.Reader, name string, _ int64) (T, error) {
			l, err := readShapefile(x, path, name, rd.lim)
			if err != nil {
				return zero, err
			}
			return rd.shp(l)
		}, info)
	}
	return readInput(s, role, path, rd.text, info)
}

// archive reads a file held in memory whole: a KMZ, a zipped shapefile
// (its .shp named layer, or the only one) or a GeoPackage (its feature
// table named layer, or the first).
func (rd layerReaders[T]) archive(format string, r *bytes.Reader, size int64, name, layer string) (T, error) {
	var zero T
	switch format {
	case "kmz":
		doc, err := geodata.OpenKMZLimits(r, size, name, rd.lim)
		if err != nil {
			return zero, err
		}
		defer doc.Close()
		return rd.kml(doc, name)
	case "zip":
		l, err := geodata.ReadShapefileZipOptions(r, size, name, layer, geodata.ShapefileOptions{Limits: rd.lim})
		if err != nil {
			return zero, err
		}
		return rd.shp(l)
	}
	l, err := geodata.ReadGeoPackage(r, size, name, geodata.GeoPackageOptions{Layer: layer})
	if err != nil {
		return zero, err
	}
	return rd.gpkg(l)
}

// readShapefile reads the .shp at path from shp with the .dbf, .prj and
// .cpg beside it. A missing .dbf is left to geodata, whose error names it;
// the .prj and .cpg are bounded by lim.MaxSidecarBytes.
func readShapefile(shp io.Reader, path, name string, lim geodata.Limits) (*geodata.ShapefileLayer, error) {
	var dbf io.Reader
	if p := sidecar(path, ".dbf"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		defer f.Close()
		dbf = f
	}
	opt := geodata.ShapefileOptions{Limits: lim}
	for _, s := range []struct {
		ext string
		dst *[]byte
	}{{".prj", &opt.PRJ}, {".cpg", &opt.CPG}} {
		p := sidecar(path, s.ext)
		if p == "" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		b, err := geodata.ReadSidecar(f, filepath.Base(p), lim)
		f.Close()
		if err != nil {
			return nil, err
		}
		*s.dst = b
	}
	return geodata.ReadShapefile(shp, dbf, name, opt)
}

// splitLayer splits QGIS's "path|layername=NAME" (how QGIS names a layer
// of a GeoPackage) into the path and the layer name.
func splitLayer(path string) (string, string) {
	if i := strings.LastIndex(path, "|layername="); i >= 0 {
		return path[:i], path[i+len("|layername="):]
	}
	return path, ""
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
