package geodata

import (
	"io"
	"strconv"
	"strings"

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
	// Limits bound the sizes of the .prj and .cpg and, in a zip, of every
	// inflated member; the zero value is the defaults.
	Limits Limits
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
		if int64(len(opt.PRJ)) > opt.Limits.sidecarBytes() {
			return nil, limitErr(name, 0, "the .prj", opt.Limits.sidecarBytes(), "--max-sidecar-bytes")
		}
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
	if dbf == nil {
		return nil, missingDBF(name)
	}
	cs, csName := charsetGuess, "UTF-8 or Windows-1252 (guessed per value)"
	if opt.CPG != nil {
		if int64(len(opt.CPG)) > opt.Limits.sidecarBytes() {
			return nil, limitErr(name, 0, "the .cpg", opt.Limits.sidecarBytes(), "--max-sidecar-bytes")
		}
		c, ok := parseCodePage(string(opt.CPG))
		if !ok {
			return nil, fileErr(dbfName(name), ErrSyntax, ".cpg: unsupported encoding %s (covplan reads UTF-8, ISO-8859-1/15 and Windows-1252)", echo(strings.TrimSpace(string(opt.CPG)), 0))
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

func dbfName(shp string) string {
	if i := strings.LastIndexByte(shp, '.'); i >= 0 && strings.EqualFold(shp[i:], ".shp") {
		if shp[i+1:] == "SHP" {
			return shp[:i] + ".DBF"
		}
		return shp[:i] + ".dbf"
	}
	return shp + ".dbf"
}

const (
	charsetGuess  charset = iota // UTF-8 when valid, else Windows-1252
	charsetUTF8                  // UTF-8 (invalid bytes replaced)
	charsetCP1252                // Windows-1252, also used for ISO-8859-1
	charsetLatin9                // ISO-8859-15
)
