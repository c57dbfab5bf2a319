package geodata

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// ESRI Shapefile support (ESRI Shapefile Technical Description, July
// 1998), written from the specification: the .shp main file is read
// sequentially (the .shx index is not needed), the .dbf attribute table
// as dBase III, the .prj WKT for the CRS and the .cpg for the attribute
// encoding.

// ShapeType is a shapefile shape type code (Technical Description,
// table 1).
type ShapeType int32

// Shape types covplan reads. MultiPatch (31) is recognised only to be
// refused.
const (
	ShapeNull        ShapeType = 0
	ShapePoint       ShapeType = 1
	ShapePolyLine    ShapeType = 3
	ShapePolygon     ShapeType = 5
	ShapeMultiPoint  ShapeType = 8
	ShapePointZ      ShapeType = 11
	ShapePolyLineZ   ShapeType = 13
	ShapePolygonZ    ShapeType = 15
	ShapeMultiPointZ ShapeType = 18
	ShapePointM      ShapeType = 21
	ShapePolyLineM   ShapeType = 23
	ShapePolygonM    ShapeType = 25
	ShapeMultiPointM ShapeType = 28
	ShapeMultiPatch  ShapeType = 31
)

// String is the type's name in the specification, e.g. "PolygonZ".
func (t ShapeType) String() string {
	switch t {
	case ShapeNull:
		return "Null"
	case ShapePoint:
		return "Point"
	case ShapePolyLine:
		return "PolyLine"
	case ShapePolygon:
		return "Polygon"
	case ShapeMultiPoint:
		return "MultiPoint"
	case ShapePointZ:
		return "PointZ"
	case ShapePolyLineZ:
		return "PolyLineZ"
	case ShapePolygonZ:
		return "PolygonZ"
	case ShapeMultiPointZ:
		return "MultiPointZ"
	case ShapePointM:
		return "PointM"
	case ShapePolyLineM:
		return "PolyLineM"
	case ShapePolygonM:
		return "PolygonM"
	case ShapeMultiPointM:
		return "MultiPointM"
	case ShapeMultiPatch:
		return "MultiPatch"
	}
	return "shape type " + strconv.Itoa(int(t))
}

// Base is the 2D type of a Z or M type (PolygonZ -> Polygon).
func (t ShapeType) Base() ShapeType {
	switch t {
	case ShapePointZ, ShapePointM:
		return ShapePoint
	case ShapePolyLineZ, ShapePolyLineM:
		return ShapePolyLine
	case ShapePolygonZ, ShapePolygonM:
		return ShapePolygon
	case ShapeMultiPointZ, ShapeMultiPointM:
		return ShapeMultiPoint
	}
	return t
}

// DBFField is one column of a .dbf attribute table.
type DBFField struct {
	Name     string
	Type     byte // 'C' text, 'N' or 'F' number, 'L' logical, 'D' date (others read as text)
	Length   int
	Decimals int
}

// ShapefileOptions tunes ReadShapefile.
type ShapefileOptions struct {
	// PRJ is the content of the .prj file (WKT), nil when there is none:
	// the CRS is then detected from the coordinate ranges.
	PRJ []byte
	// CPG is the content of the .cpg file ("UTF-8", "ISO-8859-1",
	// "1252"...), nil when there is none: text that is valid UTF-8 is
	// read as UTF-8, anything else as Windows-1252 (a superset of
	// Latin-1's printable characters), unless the .dbf header's language
	// driver says otherwise.
	CPG []byte
}

// ShapefileLayer is a shapefile read into memory, coordinates as in the
// file (metres for Lambert-93). Geoms[i] is record i's shape, nil for a
// Null shape: an orb.Point, orb.MultiPoint, orb.LineString,
// orb.MultiLineString, orb.Polygon or orb.MultiPolygon (rings assembled by
// orientation, see ReadShapefile); Z and M values are dropped. Attrs[i]
// holds record i's values aligned with Fields, decoded to UTF-8 and
// trimmed ("" for an empty or blank value). Deleted[i] is true for a
// record the .dbf marks deleted (its shape is kept but the converters skip
// it). A ShapefileLayer is read-only once returned: its converters may run
// concurrently and each returns a new layer.
type ShapefileLayer struct {
	Name        string
	ShapeType   ShapeType
	HeaderBound orb.Bound // the .shp header's bounding box, in file units
	CRS         string    // CRSL93Declared, CRSWGS84Declared, or "" (no .prj: detect)
	Encoding    string    // "UTF-8", "Windows-1252", "ISO-8859-15" or "UTF-8 or Windows-1252 (guessed per value)"

	Fields  []DBFField
	Geoms   []orb.Geometry
	Attrs   [][]string
	Deleted []bool

	// Warnings are oddities of the files that did not stop reading
	// ("hole outside every outer ring (kept as an outer ring)"...).
	Warnings []ReasonCount

	crs string // CRS option for the GeoJSON readers
}

// Len is the number of records, deleted ones included.
func (l *ShapefileLayer) Len() int { return len(l.Geoms) }

const (
	shpMagic      = 9994
	shpVersion    = 1000
	shpHeaderSize = 100
)

// ReadShapefile reads a .shp main file and its .dbf attribute table (dbf
// may be nil: the records then have no attributes). name is used in error
// messages (the .shp's name); errors in the .dbf name its file as
// name with the extension .dbf.
//
// Polygon rings are assembled following the specification: clockwise
// rings are outer rings, counter-clockwise rings are holes, each hole
// belonging to the smallest outer ring that contains it. When a hole lies
// in no outer ring (a writer that ignored the orientation rule), the
// rings of that shape are nested by containment instead, and a warning is
// counted.
//
// The CRS comes from opt.PRJ: Lambert-93 (PROJCS "RGF93_Lambert_93",
// "RGF93 / Lambert-93", EPSG 2154, or a Lambert conformal conic with the
// Lambert-93 parameters) or geographic WGS84 / RGF93 / ETRS89 degrees; any
// other projection is an error naming it. Errors are located *Error
// values: "feature N" is the 0-based record; a truncated file, a record
// length past the end of the file, a shape type that differs from the
// header's, part indices out of order, or a .dbf whose record count or
// field layout does not match are errors.
func ReadShapefile(shp, dbf io.Reader, name string, opt ShapefileOptions) (*ShapefileLayer, error) {
	l := &ShapefileLayer{Name: name}
	if opt.PRJ != nil {
		crs, crsName, err := parsePRJ(opt.PRJ)
		if err != nil {
			return nil, fileErr(name, ErrSyntax, ".prj: %v", err)
		}
		l.crs, l.CRS = crs, crsName
	}
	data, err := io.ReadAll(shp)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	var t tally
	if err := l.readSHP(data, &t); err != nil {
		return nil, err
	}
	if dbf != nil {
		cs, csName := charsetGuess, "UTF-8 or Windows-1252 (guessed per value)"
		if opt.CPG != nil {
			c, ok := parseCodePage(string(opt.CPG))
			if !ok {
				return nil, fileErr(dbfName(name), ErrSyntax, ".cpg: unsupported encoding %q (covplan reads UTF-8, ISO-8859-1/15 and Windows-1252)", strings.TrimSpace(string(opt.CPG)))
			}
			cs, csName = c, charsetName(c)
		}
		dd, err := io.ReadAll(dbf)
		if err != nil {
			return nil, fileErr(dbfName(name), ErrSyntax, "reading: %v", err)
		}
		if err := l.readDBF(dd, dbfName(name), cs, csName, opt.CPG != nil); err != nil {
			return nil, err
		}
	} else {
		l.Attrs = make([][]string, len(l.Geoms))
		l.Deleted = make([]bool, len(l.Geoms))
	}
	l.Warnings = sortCounts(t.warnings)
	return l, nil
}

// ShapefileSidecar returns where a shapefile's companion file with
// extension ext (".dbf", ".prj", ".cpg" or ".shx") may be: the .shp path
// with its extension replaced, first in the case of the .shp's extension
// ("COMMUNE.SHP" -> "COMMUNE.DBF"), then in the other case. The caller
// opens the first that exists; only the .dbf is required in practice.
func ShapefileSidecar(shpPath, ext string) []string {
	base := shpPath
	upper := false
	if i := strings.LastIndexByte(shpPath, '.'); i >= 0 && strings.EqualFold(shpPath[i:], ".shp") {
		base, upper = shpPath[:i], shpPath[i+1:] == "SHP"
	}
	lo, up := strings.ToLower(ext), strings.ToUpper(ext)
	if upper {
		return []string{base + up, base + lo}
	}
	return []string{base + lo, base + up}
}

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

func dbfName(shp string) string {
	if i := strings.LastIndexByte(shp, '.'); i >= 0 && strings.EqualFold(shp[i:], ".shp") {
		if shp[i+1:] == "SHP" {
			return shp[:i] + ".DBF"
		}
		return shp[:i] + ".dbf"
	}
	return shp + ".dbf"
}

// readSHP parses the main file.
func (l *ShapefileLayer) readSHP(b []byte, t *tally) error {
	name := l.Name
	if len(b) < shpHeaderSize {
		return fileErr(name, ErrSyntax, "truncated: %d bytes, a .shp header has 100", len(b))
	}
	if code := binary.BigEndian.Uint32(b[0:]); code != shpMagic {
		return fileErr(name, ErrSyntax, "not a shapefile (file code %d, want 9994)", int32(code))
	}
	if v := binary.LittleEndian.Uint32(b[28:]); v != shpVersion {
		return fileErr(name, ErrSyntax, "unsupported shapefile version %d (want 1000)", int32(v))
	}
	l.ShapeType = ShapeType(int32(binary.LittleEndian.Uint32(b[32:])))
	switch l.ShapeType.Base() {
	case ShapeNull, ShapePoint, ShapePolyLine, ShapePolygon, ShapeMultiPoint:
	case ShapeMultiPatch:
		return fileErr(name, ErrGeometry, "MultiPatch shapes are not supported")
	default:
		return fileErr(name, ErrSyntax, "unknown shape type %d", int32(l.ShapeType))
	}
	l.HeaderBound = orb.Bound{Min: orb.Point{f64(b[36:]), f64(b[44:])}, Max: orb.Point{f64(b[52:]), f64(b[60:])}}
	fileLen := int64(binary.BigEndian.Uint32(b[24:])) * 2
	end := int64(len(b))
	switch {
	case fileLen < shpHeaderSize:
		return fileErr(name, ErrSyntax, "header file length %d bytes is shorter than the header", fileLen)
	case fileLen > end:
		return fileErr(name, ErrSyntax, "truncated: the header says %d bytes, the file has %d", fileLen, end)
	}
	end = fileLen // trailing bytes after the declared length are ignored
	off := int64(shpHeaderSize)
	for rec := 0; off < end; rec++ {
		if end-off < 8 {
			return featErr(name, rec, "record header", ErrSyntax, "truncated at byte %d", off)
		}
		n := int64(binary.BigEndian.Uint32(b[off+4:])) * 2
		if n < 4 || n > end-off-8 {
			return featErr(name, rec, "record length", ErrSyntax, "%d bytes at byte %d runs past the end of the file (%d bytes)", n, off, end)
		}
		g, err := l.shape(b[off+8:off+8+n], rec, t)
		if err != nil {
			return err
		}
		l.Geoms = append(l.Geoms, g)
		off += 8 + n
	}
	return nil
}

// finite checks that no coordinate is NaN or infinite.
func finite(pts []orb.Point, name string, rec int) error {
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return featErr(name, rec, "coordinates", ErrRange, "point %d (%g, %g) is not finite", i, p[0], p[1])
		}
	}
	return nil
}

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

// shape decodes one record's content.
func (l *ShapefileLayer) shape(c []byte, rec int, t *tally) (orb.Geometry, error) {
	name := l.Name
	st := ShapeType(int32(binary.LittleEndian.Uint32(c)))
	if st == ShapeNull {
		return nil, nil
	}
	if st != l.ShapeType {
		return nil, featErr(name, rec, "shape type", ErrGeometry, "%s in a file of %s", st, l.ShapeType)
	}
	short := func(need int64) error {
		return featErr(name, rec, "record length", ErrSyntax, "%s needs %d bytes, the record has %d", st, need, len(c))
	}
	switch st.Base() {
	case ShapePoint:
		if len(c) < 20 {
			return nil, short(20)
		}
		p := orb.Point{f64(c[4:]), f64(c[12:])}
		return p, finite([]orb.Point{p}, name, rec)
	case ShapeMultiPoint:
		if len(c) < 40 {
			return nil, short(40)
		}
		np := int64(binary.LittleEndian.Uint32(c[36:]))
		if need := 40 + 16*np; np > int64(len(c)) || need > int64(len(c)) {
			return nil, short(need)
		}
		mp := make(orb.MultiPoint, np)
		for i := range mp {
			o := 40 + 16*i
			mp[i] = orb.Point{f64(c[o:]), f64(c[o+8:])}
		}
		if err := finite(mp, name, rec); err != nil {
			return nil, err
		}
		return mp, nil
	}
	// PolyLine and Polygon: box, NumParts, NumPoints, Parts, Points.
	if len(c) < 44 {
		return nil, short(44)
	}
	nparts := int64(binary.LittleEndian.Uint32(c[36:]))
	npts := int64(binary.LittleEndian.Uint32(c[40:]))
	if nparts > int64(len(c)) || npts > int64(len(c)) {
		return nil, short(44 + 4*nparts + 16*npts)
	}
	if need := 44 + 4*nparts + 16*npts; need > int64(len(c)) {
		return nil, short(need)
	}
	if nparts == 0 || npts == 0 {
		return nil, nil // an empty shape, read as Null
	}
	starts := make([]int, nparts+1)
	for i := range nparts {
		starts[i] = int(int32(binary.LittleEndian.Uint32(c[44+4*i:])))
	}
	starts[nparts] = int(npts)
	if starts[0] != 0 {
		return nil, featErr(name, rec, "parts", ErrGeometry, "the first part starts at point %d, want 0", starts[0])
	}
	for i := 1; i <= int(nparts); i++ {
		if starts[i] < starts[i-1] || starts[i] > int(npts) {
			return nil, featErr(name, rec, "parts", ErrGeometry, "part %d starts at point %d, out of order or past the %d points", i, starts[i], npts)
		}
	}
	pts := make([]orb.Point, npts)
	po := 44 + 4*int(nparts)
	for i := range pts {
		pts[i] = orb.Point{f64(c[po+16*i:]), f64(c[po+16*i+8:])}
	}
	if err := finite(pts, name, rec); err != nil {
		return nil, err
	}
	if st.Base() == ShapePolyLine {
		ml := make(orb.MultiLineString, 0, nparts)
		for i := range int(nparts) {
			ml = append(ml, orb.LineString(pts[starts[i]:starts[i+1]:starts[i+1]]))
		}
		if len(ml) == 1 {
			return ml[0], nil
		}
		return ml, nil
	}
	rings := make([]orb.Ring, 0, nparts)
	for i := range int(nparts) {
		rings = append(rings, orb.Ring(pts[starts[i]:starts[i+1]:starts[i+1]]))
	}
	return assemblePolygon(rings, t), nil
}

// assemblePolygon groups rings into polygons: clockwise rings are outer
// rings, counter-clockwise ones holes of the smallest outer ring that
// contains them. If some hole is in no outer ring, it nests all the rings
// by containment instead (a ring inside an odd number of others is a hole).
func assemblePolygon(rings []orb.Ring, t *tally) orb.Geometry {
	n := len(rings)
	area := make([]float64, n)
	bound := make([]orb.Bound, n)
	for i, r := range rings {
		area[i] = signedArea(r)
		bound[i] = r.Bound()
	}
	// in reports whether ring i lies in ring j, bounding boxes first.
	in := func(i, j int) bool {
		return bound[j].Contains(bound[i].Min) && bound[j].Contains(bound[i].Max) && ringInRing(rings[i], rings[j])
	}
	parent := make([]int, n)                          // outer ring index of each hole, -1 for an outer ring
	outer := func(i int) bool { return area[i] <= 0 } // clockwise (or degenerate)
	ok := true
	for i := range rings {
		parent[i] = -1
		if outer(i) {
			continue
		}
		best := -1
		for j := range rings {
			if j != i && outer(j) && in(i, j) && (best < 0 || math.Abs(area[j]) < math.Abs(area[best])) {
				best = j
			}
		}
		if best < 0 {
			ok = false
			break
		}
		parent[i] = best
	}
	if !ok {
		t.warn("ring orientation does not follow the specification (rings nested by containment)")
		// Depth by containment; a ring's parent is its smallest container.
		depth := make([]int, n)
		for i := range rings {
			parent[i] = -1
			best := -1
			for j := range rings {
				if j != i && math.Abs(area[j]) > math.Abs(area[i]) && in(i, j) {
					depth[i]++
					if best < 0 || math.Abs(area[j]) < math.Abs(area[best]) {
						best = j
					}
				}
			}
			if depth[i]%2 == 1 {
				parent[i] = best
			}
		}
		// An island inside a hole has an odd-depth container as its
		// smallest one: it is an outer ring of its own.
		for i := range rings {
			if parent[i] >= 0 && depth[parent[i]]%2 == 1 {
				parent[i] = -1
			}
		}
	}
	var mp orb.MultiPolygon
	index := make([]int, n)
	for i := range rings {
		if parent[i] < 0 {
			index[i] = len(mp)
			mp = append(mp, orb.Polygon{rings[i]})
		}
	}
	for i := range rings {
		if p := parent[i]; p >= 0 {
			mp[index[p]] = append(mp[index[p]], rings[i])
		}
	}
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}

// signedArea is the shoelace area, positive for counter-clockwise rings
// (x right, y up), computed relative to the first vertex for precision in
// metres.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		s += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return s / 2
}

// ringInRing reports whether inner lies in outer: the first of its
// vertices that is not on outer's boundary is inside (rings that share
// every vertex count as not contained).
func ringInRing(inner, outer orb.Ring) bool {
	for _, p := range inner {
		switch pointInRing(p, outer) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return false
}

// pointInRing is 1 inside, -1 outside, 0 on the boundary (crossing rule).
func pointInRing(p orb.Point, r orb.Ring) int {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[j], r[i]
		if onSegment(p, a, b) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

func onSegment(p, a, b orb.Point) bool {
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	if cross != 0 {
		return false
	}
	return p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) && p[1] >= math.Min(a[1], b[1]) && p[1] <= math.Max(a[1], b[1])
}

// readDBF parses the dBase III table.
func (l *ShapefileLayer) readDBF(b []byte, name string, cs charset, csName string, fromCPG bool) error {
	if len(b) < 32 {
		return fileErr(name, ErrSyntax, "truncated: %d bytes, a .dbf header has at least 32", len(b))
	}
	nrec := int64(binary.LittleEndian.Uint32(b[4:]))
	hlen := int(binary.LittleEndian.Uint16(b[8:]))
	rlen := int(binary.LittleEndian.Uint16(b[10:]))
	if !fromCPG {
		// Language driver ID: 0x57 and 0x03 are ANSI Windows-1252.
		switch b[29] {
		case 0x03, 0x57:
			cs, csName = charsetCP1252, charsetName(charsetCP1252)
		}
	}
	if hlen < 33 || hlen > len(b) {
		return fileErr(name, ErrSyntax, "header length %d bytes is out of range (file %d bytes)", hlen, len(b))
	}
	width := 1 // the deletion flag
	o := 32
	for ; o+32 <= hlen && b[o] != 0x0D; o += 32 {
		d := b[o : o+32]
		fn := d[:11]
		if i := bytes.IndexByte(fn, 0); i >= 0 {
			fn = fn[:i]
		}
		f := DBFField{Name: strings.TrimSpace(decodeText(fn, cs)), Type: d[11], Length: int(d[16]), Decimals: int(d[17])}
		if f.Type == 'C' {
			f.Length += int(d[17]) << 8 // Clipper/FoxPro long character fields
			f.Decimals = 0
		}
		if f.Length == 0 {
			return fileErr(name, ErrSyntax, "field %d (%q) has length 0", len(l.Fields)+1, f.Name)
		}
		width += f.Length
		l.Fields = append(l.Fields, f)
	}
	if o >= hlen || b[o] != 0x0D {
		return fileErr(name, ErrSyntax, "the %d-byte header holds %d field descriptors and no 0x0D terminator (header length and field count disagree)", hlen, len(l.Fields))
	}
	if len(l.Fields) == 0 {
		return fileErr(name, ErrSyntax, "no field descriptors")
	}
	if width != rlen {
		return fileErr(name, ErrSyntax, "the %d field descriptors add up to %d bytes a record, the header says %d", len(l.Fields), width, rlen)
	}
	if nrec != int64(len(l.Geoms)) {
		return fileErr(name, ErrSyntax, "%d records, the .shp has %d shapes", nrec, len(l.Geoms))
	}
	if avail := int64(len(b) - hlen); nrec*int64(rlen) > avail {
		return fileErr(name, ErrSyntax, "truncated: %d records of %d bytes need %d bytes after the header, the file has %d", nrec, rlen, nrec*int64(rlen), avail)
	}
	l.Encoding = csName
	l.Attrs = make([][]string, nrec)
	l.Deleted = make([]bool, nrec)
	for i := range l.Attrs {
		r := b[hlen+i*rlen : hlen+(i+1)*rlen]
		switch r[0] {
		case ' ':
		case '*':
			l.Deleted[i] = true
		default:
			return featErr(name, i, "deletion flag", ErrSyntax, "byte 0x%02X, want ' ' or '*'", r[0])
		}
		vals := make([]string, len(l.Fields))
		o := 1
		for k, f := range l.Fields {
			raw := bytes.Trim(r[o:o+f.Length], " \x00")
			o += f.Length
			vals[k] = decodeText(raw, cs)
		}
		l.Attrs[i] = vals
	}
	return nil
}

// charset is a text encoding of .dbf values and 8-bit KML.
type charset uint8

const (
	charsetGuess  charset = iota // UTF-8 when valid, else Windows-1252
	charsetUTF8                  // UTF-8 (invalid bytes replaced)
	charsetCP1252                // Windows-1252, also used for ISO-8859-1
	charsetLatin9                // ISO-8859-15
)

func charsetName(c charset) string {
	switch c {
	case charsetUTF8:
		return "UTF-8"
	case charsetCP1252:
		return "Windows-1252"
	case charsetLatin9:
		return "ISO-8859-15"
	}
	return "UTF-8 or Windows-1252 (guessed per value)"
}

// parseCodePage reads a .cpg or an XML encoding label.
func parseCodePage(s string) (charset, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
	switch s {
	case "UTF8", "65001", "UTF8BOM":
		return charsetUTF8, true
	case "ISO88591", "88591", "LATIN1", "L1", "1252", "CP1252", "WINDOWS1252", "ANSI1252", "ANSI", "28591", "USASCII", "ASCII":
		return charsetCP1252, true
	case "ISO885915", "885915", "LATIN9", "28605":
		return charsetLatin9, true
	}
	return 0, false
}

// latin9 lists the ISO-8859-15 bytes that differ from Latin-1.
var latin9 = map[byte]rune{0xA4: '€', 0xA6: 'Š', 0xA8: 'š', 0xB4: 'Ž', 0xB8: 'ž', 0xBC: 'Œ', 0xBD: 'œ', 0xBE: 'Ÿ'}

// decodeText decodes b to a string.
func decodeText(b []byte, cs charset) string {
	switch cs {
	case charsetUTF8:
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case charsetGuess:
		if utf8.Valid(b) {
			return string(b)
		}
		cs = charsetCP1252
	}
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	return string(decode8bit(nil, b, cs))
}

// decode8bit appends the UTF-8 form of the 8-bit text b to dst
// (Windows-1252 through the CSV reader's appendCP1252).
func decode8bit(dst, b []byte, cs charset) []byte {
	if cs != charsetLatin9 {
		return appendCP1252(dst, b)
	}
	for _, c := range b {
		if c < 0x80 {
			dst = append(dst, c)
			continue
		}
		r := rune(c)
		if x, ok := latin9[c]; ok {
			r = x
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// parsePRJ maps .prj WKT to a CRS option and the name layers report.
func parsePRJ(prj []byte) (crs, crsName string, err error) {
	s := strings.TrimSpace(string(bytes.TrimPrefix(prj, bom)))
	if s == "" {
		return "", "", fmt.Errorf("empty")
	}
	u := strings.ToUpper(s)
	kw := u
	if i := strings.IndexByte(u, '['); i >= 0 {
		kw = strings.TrimSpace(u[:i])
	} else {
		return "", "", fmt.Errorf("not WKT: %q", clip(s))
	}
	name := wktName(s)
	switch kw {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		n := strings.NewReplacer("-", "_", " ", "_", "/", "_").Replace(strings.ToUpper(name))
		if strings.Contains(n, "LAMBERT_93") || strings.Contains(n, "LAMBERT93") || wktEPSG(u) == "2154" || isL93Params(u) {
			return "EPSG:2154", CRSL93Declared, nil
		}
		return "", "", fmt.Errorf("projection %q is not supported (covplan reads Lambert-93 EPSG:2154 and WGS84 lon/lat; reproject the shapefile, e.g. ogr2ogr -t_srs EPSG:2154)", name)
	case "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS":
		n := strings.ToUpper(name) + " " + u
		switch {
		case strings.Contains(u, "GRAD") || strings.Contains(u, "PARIS"):
			// NTF (Paris) and other grad / Paris-meridian systems.
		case strings.Contains(n, "WGS_1984"), strings.Contains(n, "WGS 84"), strings.Contains(n, "WGS84"),
			strings.Contains(n, "RGF93"), strings.Contains(n, "RGF_1993"), strings.Contains(n, "ETRS89"), strings.Contains(n, "ETRS_1989"),
			strings.Contains(n, "GRS_1980"), strings.Contains(n, "GRS 1980"):
			return "EPSG:4326", CRSWGS84Declared, nil
		}
		return "", "", fmt.Errorf("geographic CRS %q is not supported (covplan reads WGS84 / RGF93 / ETRS89 degrees and Lambert-93; reproject the shapefile)", name)
	}
	return "", "", fmt.Errorf("unknown WKT %s %q", kw, name)
}

// wktName is the first quoted string of a WKT text.
func wktName(s string) string {
	i := strings.IndexByte(s, '"')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(s[i+1:], '"')
	if j < 0 {
		return clip(s[i+1:])
	}
	return s[i+1 : i+1+j]
}

// wktEPSG is the code of the last top-level AUTHORITY["EPSG","N"] or
// ID["EPSG",N] of an upper-cased WKT (the outermost object's own one is
// written last), "" when none.
func wktEPSG(u string) string {
	for _, kw := range []string{`AUTHORITY["EPSG",`, `ID["EPSG",`} {
		i := strings.LastIndex(u, kw)
		if i < 0 {
			continue
		}
		// Only the outermost object's authority: at nesting depth 1.
		depth := 0
		for _, c := range u[:i] {
			switch c {
			case '[':
				depth++
			case ']':
				depth--
			}
		}
		if depth != 1 {
			continue
		}
		rest := strings.TrimLeft(u[i+len(kw):], ` "`)
		k := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if k > 0 {
			return rest[:k]
		}
	}
	return ""
}

// isL93Params recognises a Lambert conformal conic with Lambert-93's
// parameters whatever the CRS is named.
func isL93Params(u string) bool {
	if !strings.Contains(u, "LAMBERT_CONFORMAL_CONIC") && !strings.Contains(u, "LAMBERT CONIC CONFORMAL") {
		return false
	}
	want := map[string]float64{"STANDARD_PARALLEL_1": 49, "STANDARD_PARALLEL_2": 44, "CENTRAL_MERIDIAN": 3, "FALSE_EASTING": 700000, "FALSE_NORTHING": 6600000}
	got := map[string]float64{}
	for rest := u; ; {
		i := strings.Index(rest, `PARAMETER["`)
		if i < 0 {
			break
		}
		rest = rest[i+len(`PARAMETER["`):]
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			break
		}
		key := strings.ReplaceAll(rest[:j], " ", "_")
		v := strings.TrimLeft(rest[j+1:], ", ")
		k := strings.IndexAny(v, ",]")
		if k < 0 {
			break
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(v[:k]), 64); err == nil {
			got[key] = f
		}
	}
	sp1, sp2 := got["STANDARD_PARALLEL_1"], got["STANDARD_PARALLEL_2"]
	if sp1 == 44 && sp2 == 49 {
		got["STANDARD_PARALLEL_1"], got["STANDARD_PARALLEL_2"] = 49, 44
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || math.Abs(g-v) > 1e-9 {
			return false
		}
	}
	return true
}

// Zones converts a Polygon, PolygonZ or PolygonM shapefile to zones, as
// ReadZones reads GeoJSON: one zone per record (Polygon, or MultiPolygon
// for several outer rings), ids, names, population and households from the
// attribute columns (CODE_INSEE, INSEE_COM, NOM, POPULATION...), Lambert-93
// converted to lon/lat. Null shapes and deleted records are skipped and
// counted. "feature N" in errors and Skips is the 0-based record. Any
// other shape type is an error. opt.CRS overrides the .prj.
func (l *ShapefileLayer) Zones(opt ZoneOptions) (*ZoneLayer, error) {
	if l.ShapeType.Base() != ShapePolygon {
		return nil, fileErr(l.Name, ErrGeometry, "%s shapes are not zones (want Polygon, PolygonZ or PolygonM)", l.ShapeType)
	}
	js := l.geoJSON()
	opt.SizeHint = int64(len(js))
	crs := opt.CRS
	if crs == "" {
		opt.CRS = l.crs
	}
	z, err := ReadZones(bytes.NewReader(js), l.Name, opt)
	if err != nil {
		return nil, l.locate(err)
	}
	z.Format = "shapefile"
	z.Columns = l.columns()
	if crs == "" && l.CRS != "" {
		z.CRS = l.CRS
	}
	z.SkipCounts = l.relabel(z.Skips, z.SkipCounts)
	z.Warnings = sortCounts(mergeCounts(z.Warnings, l.Warnings))
	return z, nil
}

// Points converts a Point, MultiPoint (and their Z and M forms)
// shapefile to points, as ReadPoints reads GeoJSON (a MultiPoint gives
// ids "ID/1", "ID/2"...). Other shape types are an error.
func (l *ShapefileLayer) Points(opt PointOptions) (*PointLayer, error) {
	if b := l.ShapeType.Base(); b != ShapePoint && b != ShapeMultiPoint {
		return nil, fileErr(l.Name, ErrGeometry, "%s shapes are not points (want Point or MultiPoint)", l.ShapeType)
	}
	js := l.geoJSON()
	crs := opt.CRS
	if crs == "" {
		opt.CRS = l.crs
	}
	p, err := readPointsGeoJSON(bytes.NewReader(js), l.Name, opt, int64(len(js)))
	if err != nil {
		return nil, l.locate(err)
	}
	p.Format = "shapefile"
	p.Columns = l.columns()
	if crs == "" && l.CRS != "" {
		p.CRS = l.CRS
	}
	p.SkipCounts = l.relabel(p.Skips, p.SkipCounts)
	return p, nil
}

// Fibre converts a shapefile to a fibre network as ReadFibre reads
// GeoJSON: PolyLine shapes are lines, Polygon shapes served areas, Point
// and MultiPoint shapes nodes (Z and M forms too).
func (l *ShapefileLayer) Fibre(opt FibreOptions) (*FibreLayer, error) {
	js := l.geoJSON()
	opt.SizeHint = int64(len(js))
	crs := opt.CRS
	if crs == "" {
		opt.CRS = l.crs
	}
	f, err := ReadFibre(bytes.NewReader(js), l.Name, opt)
	if err != nil {
		return nil, l.locate(err)
	}
	f.Format = "shapefile"
	f.Columns = l.columns()
	if crs == "" && l.CRS != "" {
		f.CRS = l.CRS
	}
	f.SkipCounts = l.relabel(f.Skips, f.SkipCounts)
	f.Warnings = sortCounts(mergeCounts(f.Warnings, l.Warnings))
	return f, nil
}

func mergeCounts(a, b []ReasonCount) []ReasonCount {
	a = slices.Clone(a)
	for _, c := range b {
		a = addCount(a, c.Reason, c.Count)
	}
	return a
}

func (l *ShapefileLayer) columns() []string {
	cols := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		cols[i] = f.Name
	}
	return cols
}

// locate adds the 1-based record number to a feature error.
func (l *ShapefileLayer) locate(err error) error {
	if e, ok := err.(*Error); ok && e.Feature >= 0 {
		e.Msg += " (record " + strconv.Itoa(e.Feature+1) + ")"
	}
	return err
}

const deletedReason = "deleted record (.dbf)"

// relabel turns the "empty geometry" skips of deleted records (written as
// null geometries to keep feature N = record N) into deletedReason.
func (l *ShapefileLayer) relabel(skips []Skip, counts []ReasonCount) []ReasonCount {
	n := 0
	for _, d := range l.Deleted {
		if d {
			n++
		}
	}
	if n == 0 {
		return counts
	}
	for i := range skips {
		if f := skips[i].Feature; f >= 0 && f < len(l.Deleted) && l.Deleted[f] {
			skips[i].Reason = deletedReason
		}
	}
	out := counts[:0:0]
	for _, c := range counts {
		if c.Reason == "empty geometry" {
			c.Count -= n
		}
		if c.Count > 0 {
			out = append(out, c)
		}
	}
	return sortCounts(addCount(out, deletedReason, n))
}

// geoJSON writes the layer as a FeatureCollection in file coordinates,
// one feature per record (null geometry for Null shapes and deleted
// records), attributes typed by field: N and F numbers as JSON numbers
// when they are written as such (else as strings, keeping leading zeros),
// L as booleans, D as "YYYY-MM-DD", blanks as null.
func (l *ShapefileLayer) geoJSON() []byte {
	var w bytes.Buffer
	// About 40 bytes a vertex ("[700123.45678901,6600123.4567890]," at
	// worst) and the attributes' width: one allocation in the usual case.
	size := 64 + 64*len(l.Geoms)
	for _, g := range l.Geoms {
		size += 40 * vertexCount(g)
	}
	for _, f := range l.Fields {
		size += (len(f.Name) + f.Length + 6) * len(l.Geoms)
	}
	w.Grow(size)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	var num []byte
	for i, g := range l.Geoms {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"type":"Feature","properties":{`)
		for k, f := range l.Fields {
			if k > 0 {
				w.WriteByte(',')
			}
			appendJSONString(&w, f.Name)
			w.WriteByte(':')
			var v string
			if i < len(l.Attrs) && k < len(l.Attrs[i]) {
				v = l.Attrs[i][k]
			}
			writeDBFValue(&w, f.Type, v)
		}
		w.WriteString(`},"geometry":`)
		if g == nil || (i < len(l.Deleted) && l.Deleted[i]) {
			w.WriteString("null")
		} else {
			num = writeGeom(&w, g, num)
		}
		w.WriteByte('}')
	}
	w.WriteString("]}")
	return w.Bytes()
}

// vertexCount is the number of positions in g.
func vertexCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, l := range g {
			n += len(l)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += vertexCount(p)
		}
		return n
	}
	return 0
}

func writeDBFValue(w *bytes.Buffer, typ byte, v string) {
	switch {
	case v == "":
		w.WriteString("null")
	case typ == 'N' || typ == 'F':
		if isJSONNumber(v) && (len(v) == 1 || v[0] != '0' || v[1] == '.') {
			w.WriteString(v)
		} else {
			appendJSONString(w, v)
		}
	case typ == 'L':
		switch v {
		case "T", "t", "Y", "y":
			w.WriteString("true")
		case "F", "f", "N", "n":
			w.WriteString("false")
		default:
			w.WriteString("null")
		}
	case typ == 'D' && len(v) == 8 && isJSONNumber(v):
		appendJSONString(w, v[:4]+"-"+v[4:6]+"-"+v[6:])
	default:
		appendJSONString(w, v)
	}
}

// writeGeom writes an orb geometry as GeoJSON with shortest round-trip
// number formatting (coordinates were checked finite when read).
func writeGeom(w *bytes.Buffer, g orb.Geometry, num []byte) []byte {
	pt := func(p orb.Point) {
		w.WriteByte('[')
		for k := range 2 {
			if k > 0 {
				w.WriteByte(',')
			}
			num = strconv.AppendFloat(num[:0], p[k], 'g', -1, 64)
			w.Write(num)
		}
		w.WriteByte(']')
	}
	list := func(ps []orb.Point) {
		w.WriteByte('[')
		for i, p := range ps {
			if i > 0 {
				w.WriteByte(',')
			}
			pt(p)
		}
		w.WriteByte(']')
	}
	poly := func(p orb.Polygon) {
		w.WriteByte('[')
		for i, r := range p {
			if i > 0 {
				w.WriteByte(',')
			}
			list(r)
		}
		w.WriteByte(']')
	}
	switch g := g.(type) {
	case orb.Point:
		w.WriteString(`{"type":"Point","coordinates":`)
		pt(g)
	case orb.MultiPoint:
		w.WriteString(`{"type":"MultiPoint","coordinates":`)
		list(g)
	case orb.LineString:
		w.WriteString(`{"type":"LineString","coordinates":`)
		list(g)
	case orb.MultiLineString:
		w.WriteString(`{"type":"MultiLineString","coordinates":[`)
		for i, ls := range g {
			if i > 0 {
				w.WriteByte(',')
			}
			list(ls)
		}
		w.WriteByte(']')
	case orb.Polygon:
		w.WriteString(`{"type":"Polygon","coordinates":`)
		poly(g)
	case orb.MultiPolygon:
		w.WriteString(`{"type":"MultiPolygon","coordinates":[`)
		for i, p := range g {
			if i > 0 {
				w.WriteByte(',')
			}
			poly(p)
		}
		w.WriteByte(']')
	default:
		w.WriteString("null")
		return num
	}
	w.WriteByte('}')
	return num
}
