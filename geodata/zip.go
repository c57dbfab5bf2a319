package geodata

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// maxShapefilePart is the largest .shp or .dbf read from a zip archive:
// the specification limits files to 2 GiB (offsets are 32-bit words), and
// the limit also stops a decompression bomb.
const maxShapefilePart = 2 << 30

// ReadShapefileZip reads a zipped shapefile (as data.gouv.fr and many
// open-data portals distribute them): the archive's .shp, its .dbf and,
// when present, .prj and .cpg with the same base name (any folder, any
// case). layer picks the .shp by base name ("COMMUNE" for
// "ADMIN-EXPRESS/COMMUNE.shp") when the archive holds several; "" accepts
// an archive with exactly one. name (the archive's) is used in errors.
func ReadShapefileZip(r io.ReaderAt, size int64, name, layer string) (*ShapefileLayer, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "not a zip archive: %v", err)
	}
	var shps []*zip.File
	for _, f := range zr.File {
		base, ext := splitExt(f.Name)
		if !strings.EqualFold(ext, ".shp") || f.FileInfo().IsDir() || strings.HasPrefix(pathBase(base), "._") {
			continue
		}
		if layer == "" || strings.EqualFold(pathBase(base), layer) {
			shps = append(shps, f)
		}
	}
	if len(shps) != 1 {
		var all []string
		for _, f := range zr.File {
			if _, ext := splitExt(f.Name); strings.EqualFold(ext, ".shp") {
				all = append(all, f.Name)
			}
		}
		switch {
		case len(all) == 0:
			return nil, fileErr(name, ErrEmpty, "the archive holds no .shp file")
		case len(shps) == 0:
			return nil, fileErr(name, ErrEmpty, "no layer %q in the archive; its .shp files: %s", layer, quoteList(all))
		}
		return nil, fileErr(name, ErrSyntax, "the archive holds %d .shp files (%s): name the layer", len(all), quoteList(all))
	}
	shpBase, _ := splitExt(shps[0].Name)
	part := func(ext string) *zip.File {
		for _, f := range zr.File {
			if b, e := splitExt(f.Name); strings.EqualFold(e, ext) && strings.EqualFold(b, shpBase) {
				return f
			}
		}
		return nil
	}
	read := func(f *zip.File) ([]byte, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, fileErr(name, ErrSyntax, "%s: %v", f.Name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxShapefilePart+1))
		if err != nil {
			return nil, fileErr(name, ErrSyntax, "%s: %v", f.Name, err)
		}
		if len(b) > maxShapefilePart {
			return nil, fileErr(name, ErrSyntax, "%s: larger than the 2 GiB a shapefile part can be", f.Name)
		}
		return b, nil
	}
	shp, err := read(shps[0])
	if err != nil {
		return nil, err
	}
	var opt ShapefileOptions
	for _, c := range []struct {
		ext string
		dst *[]byte
	}{{".prj", &opt.PRJ}, {".cpg", &opt.CPG}} {
		if f := part(c.ext); f != nil {
			if *c.dst, err = read(f); err != nil {
				return nil, err
			}
		}
	}
	var dbf io.Reader
	if f := part(".dbf"); f != nil {
		b, err := read(f)
		if err != nil {
			return nil, err
		}
		dbf = bytes.NewReader(b)
	}
	return ReadShapefile(bytes.NewReader(shp), dbf, name+"/"+shps[0].Name, opt)
}

// splitExt splits a path into everything before the last '.' of its last
// element and the extension with its dot.
func splitExt(p string) (string, string) {
	for i := len(p) - 1; i >= 0 && p[i] != '/' && p[i] != '\\'; i-- {
		if p[i] == '.' {
			return p[:i], p[i:]
		}
	}
	return p, ""
}

func pathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// OpenKMZ returns the KML document of a KMZ archive (zipped KML): doc.kml
// at its root, else its only .kml file. name (the archive's) is used in
// errors. The caller closes the returned reader.
func OpenKMZ(r io.ReaderAt, size int64, name string) (io.ReadCloser, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "not a zip archive: %v", err)
	}
	var kmls []*zip.File
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "doc.kml") {
			kmls = []*zip.File{f}
			break
		}
		if _, ext := splitExt(f.Name); strings.EqualFold(ext, ".kml") && !f.FileInfo().IsDir() {
			kmls = append(kmls, f)
		}
	}
	if len(kmls) != 1 {
		names := make([]string, len(kmls))
		for i, f := range kmls {
			names[i] = f.Name
		}
		if len(kmls) == 0 {
			return nil, fileErr(name, ErrEmpty, "the KMZ holds no .kml file")
		}
		return nil, fileErr(name, ErrSyntax, "the KMZ holds %d .kml files and no doc.kml: %s", len(kmls), quoteList(names))
	}
	rc, err := kmls[0].Open()
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "%s: %v", kmls[0].Name, err)
	}
	return rc, nil
}
