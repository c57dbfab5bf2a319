package geodata

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
)

// ReadShapefileZip reads a zipped shapefile (as data.gouv.fr and many
// open-data portals distribute them): the archive's .shp, its .dbf and,
// when present, .prj and .cpg with the same base name (any folder, any
// case). layer picks the .shp by base name ("COMMUNE" for
// "ADMIN-EXPRESS/COMMUNE.shp") when the archive holds several; "" accepts
// an archive with exactly one. name (the archive's) is used in errors. A
// missing .dbf is an error naming it. It is ReadShapefileZipOptions with
// the default Limits.
func ReadShapefileZip(r io.ReaderAt, size int64, name, layer string) (*ShapefileLayer, error) {
	return ReadShapefileZipOptions(r, size, name, layer, ShapefileOptions{})
}

// ReadShapefileZipOptions is ReadShapefileZip with options: opt.Limits
// bound every member's inflated size (counted while inflating, whatever
// the archive's headers claim) and the .prj and .cpg sizes. opt.PRJ and
// opt.CPG, when set, replace the archive's.
func ReadShapefileZipOptions(r io.ReaderAt, size int64, name, layer string, opt ShapefileOptions) (*ShapefileLayer, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "not a zip archive: %v", err)
	}
	shp, err := pickShp(zr, name, layer)
	if err != nil {
		return nil, err
	}
	shpBase, _ := splitExt(shp.Name)
	part := func(ext string) *zip.File {
		for _, f := range zr.File {
			if b, e := splitExt(f.Name); strings.EqualFold(e, ext) && strings.EqualFold(b, shpBase) {
				return f
			}
		}
		return nil
	}
	lim := opt.Limits
	shpData, err := readMember(shp, name, -1, lim)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		ext string
		dst *[]byte
	}{{".prj", &opt.PRJ}, {".cpg", &opt.CPG}} {
		if f := part(c.ext); f != nil && *c.dst == nil {
			if *c.dst, err = readMember(f, name, lim.sidecarBytes(), lim); err != nil {
				return nil, err
			}
		}
	}
	var dbf io.Reader // nil when missing: ReadShapefile says so after checking the .shp
	if f := part(".dbf"); f != nil {
		b, err := readMember(f, name, -1, lim)
		if err != nil {
			return nil, err
		}
		dbf = bytes.NewReader(b)
	}
	return ReadShapefile(bytes.NewReader(shpData), dbf, name+"/"+shp.Name, opt)
}

// pickShp finds the archive's .shp (the one named layer, when given).
func pickShp(zr *zip.Reader, name, layer string) (*zip.File, error) {
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
	if len(shps) == 1 {
		return shps[0], nil
	}
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
		return nil, fileErr(name, ErrEmpty, "no layer %s in the archive; its .shp files: %s", echo(layer, 0), echoList(all, 0))
	}
	return nil, fileErr(name, ErrSyntax, "the archive holds %d .shp files (%s): name the layer", len(all), echoList(all, 0))
}

// readMember inflates an archive member, at most max bytes (a sidecar;
// -1 for the inflate limits alone).
func readMember(f *zip.File, archive string, max int64, lim Limits) ([]byte, error) {
	member := echo(f.Name, 0)
	rc, err := f.Open()
	if err != nil {
		return nil, fileErr(archive, ErrSyntax, "%s: %v", member, err)
	}
	defer rc.Close()
	var r io.Reader = newInflateReader(rc, archive, member, int64(f.CompressedSize64), lim)
	if max >= 0 {
		r = io.LimitReader(r, max+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, fileErr(archive, ErrSyntax, "%s: %v", member, err)
	}
	if max >= 0 && int64(len(b)) > max {
		return nil, limitErr(archive, 0, member, max, "--max-sidecar-bytes")
	}
	return b, nil
}

// ErrMissingFile: a file the input needs beside it (a shapefile's .dbf)
// is not there.
var ErrMissingFile = errors.New("missing file")

// missingDBF is the error for a shapefile without its .dbf.
func missingDBF(shp string) error {
	return fileErr(shp, ErrMissingFile, "%s is missing: a shapefile needs its .dbf attribute table (ids, names, populations) beside the .shp, with the same name", echo(pathBase(dbfName(shp)), 0))
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
// errors. The caller closes the returned reader. It is OpenKMZLimits with
// the default Limits.
func OpenKMZ(r io.ReaderAt, size int64, name string) (io.ReadCloser, error) {
	return OpenKMZLimits(r, size, name, Limits{})
}

// OpenKMZLimits is OpenKMZ whose reader fails (with ErrLimit) once the
// KML inflates past lim.MaxInflatedBytes or lim.MaxInflateRatio times its
// compressed size, whatever the archive's headers claim.
func OpenKMZLimits(r io.ReaderAt, size int64, name string, lim Limits) (io.ReadCloser, error) {
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
		return nil, fileErr(name, ErrSyntax, "the KMZ holds %d .kml files and no doc.kml: %s", len(kmls), echoList(names, 0))
	}
	f := kmls[0]
	rc, err := f.Open()
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "%s: %v", echo(f.Name, 0), err)
	}
	return struct {
		io.Reader
		io.Closer
	}{newInflateReader(rc, name, echo(f.Name, 0), int64(f.CompressedSize64), lim), rc}, nil
}
