package geodata

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// GeoPackageType is the type of a GeoPackage attribute column or of one
// value. A column is never GeoPackageNull; a value is GeoPackageNull when
// SQL NULL (the zero GeoPackageValue).
type GeoPackageType uint8

const (
	GeoPackageNull    GeoPackageType = iota // SQL NULL (values only)
	GeoPackageInteger                       // INTEGER: 64-bit signed
	GeoPackageReal                          // REAL: IEEE 754 double
	GeoPackageText                          // TEXT: UTF-8
	GeoPackageBoolean                       // BOOLEAN: stored as INTEGER 0 or 1
	GeoPackageBlob                          // BLOB: bytes (read only; never a role covplan uses)
)

// String is the SQL type name: "NULL", "INTEGER", "REAL", "TEXT",
// "BOOLEAN" or "BLOB".
func (t GeoPackageType) String() string {
	switch t {
	case GeoPackageNull:
		return "NULL"
	case GeoPackageInteger:
		return "INTEGER"
	case GeoPackageReal:
		return "REAL"
	case GeoPackageText:
		return "TEXT"
	case GeoPackageBoolean:
		return "BOOLEAN"
	case GeoPackageBlob:
		return "BLOB"
	}
	return "GeoPackageType(" + strconv.Itoa(int(t)) + ")"
}

// GeoPackageColumn is one attribute column of a feature table.
type GeoPackageColumn struct {
	Name string
	Type GeoPackageType
	// Decl is the declared SQL type as read ("MEDIUMINT", "TEXT(5)",
	// "DATE"...), "" when written: the writer declares Type.
	Decl string
}

// GeoPackageValue is one attribute value. The zero value is NULL. Int
// holds INTEGER values and BOOLEAN ones (0 or 1), Real REAL values, Text
// TEXT values (and a BLOB's bytes).
type GeoPackageValue struct {
	Type GeoPackageType
	Int  int64
	Real float64
	Text string
}

// GeoPackageInt, GeoPackageFloat, GeoPackageString and GeoPackageBool make
// values; the zero GeoPackageValue is NULL.
func GeoPackageInt(v int64) GeoPackageValue { return GeoPackageValue{Type: GeoPackageInteger, Int: v} }

// GeoPackageFloat is a REAL value; NaN and ±Inf are written as NULL.
func GeoPackageFloat(v float64) GeoPackageValue {
	return GeoPackageValue{Type: GeoPackageReal, Real: v}
}

// GeoPackageString is a TEXT value.
func GeoPackageString(s string) GeoPackageValue {
	return GeoPackageValue{Type: GeoPackageText, Text: s}
}

// GeoPackageBool is a BOOLEAN value.
func GeoPackageBool(b bool) GeoPackageValue {
	v := GeoPackageValue{Type: GeoPackageBoolean}
	if b {
		v.Int = 1
	}
	return v
}

// String formats the value as text: "" for NULL, integers in base 10,
// reals in the shortest form that reads back the same, booleans as "true"
// or "false".
func (v GeoPackageValue) String() string {
	switch v.Type {
	case GeoPackageInteger:
		return strconv.FormatInt(v.Int, 10)
	case GeoPackageReal:
		return strconv.FormatFloat(v.Real, 'g', -1, 64)
	case GeoPackageBoolean:
		return strconv.FormatBool(v.Int != 0)
	case GeoPackageText, GeoPackageBlob:
		return v.Text
	}
	return ""
}

// GeoPackageLayer is one feature table of a GeoPackage read into memory,
// coordinates as in the file (metres for Lambert-93 and UTM). Geoms[i] is
// feature i's geometry, nil for a NULL or empty one: an orb.Point,
// orb.MultiPoint, orb.LineString, orb.MultiLineString, orb.Polygon or
// orb.MultiPolygon, Z and M values dropped. FIDs[i] is its feature id and
// Values[i] its attributes aligned with Columns. Features are in fid order.
// A GeoPackageLayer is read-only once returned: its converters may run
// concurrently and each returns a new layer.
type GeoPackageLayer struct {
	Name   string   // the file's name as given to ReadGeoPackage
	Layer  string   // the feature table read (gpkg_contents.table_name)
	Layers []string // every feature table of the file, in gpkg_contents order

	GeometryColumn string // e.g. "geom"
	GeometryType   string // gpkg_geometry_columns.geometry_type_name, e.g. "MULTIPOLYGON" or "GEOMETRY"
	FIDColumn      string // the INTEGER PRIMARY KEY column, e.g. "fid"
	SRSID          int64  // the geometry column's srs_id
	SRS            string // what gpkg_spatial_ref_sys says: "RGF93 v1 / Lambert-93 (EPSG:2154)"
	CRS            string // how covplan reads it, e.g. "EPSG:2154 (declared in the file)"

	Columns []GeoPackageColumn // attribute columns in table order (fid and geometry left out)
	FIDs    []int64
	Geoms   []orb.Geometry
	Values  [][]GeoPackageValue

	// Warnings are oddities of the file that did not stop reading: Z or M
	// values dropped, empty parts of multi-geometries dropped, a blob
	// whose srs_id differs from the column's, another layer left unread.
	Warnings []ReasonCount

	crs string // CRS option for the GeoJSON readers: "EPSG:2154", "EPSG:4326" or "" (detect)
	utm Frame  // non-zero for a UTM layer: positions are inverse-projected to lon/lat
}

// Len is the number of features, those with an empty geometry included.
func (l *GeoPackageLayer) Len() int { return len(l.Geoms) }

// gpkgSRS is what covplan makes of a gpkg_spatial_ref_sys row.
type gpkgSRS struct {
	crs   string // option for the GeoJSON readers
	utm   Frame
	label string // for layer.CRS
	warn  string // a Warnings reason, "" when none
}

// resolveSRS maps a spatial reference system to what geodata reads:
// WGS84 lon/lat (EPSG 4326, and RGF93 4171 and ETRS89 4258, within a metre
// of it; OGC CRS84), Lambert-93 (EPSG 2154), WGS84 UTM (EPSG 32601..32660
// north, 32701..32760 south) and ETRS89 UTM (25828..25838). srs_id 0
// (undefined geographic) is taken as WGS84 and -1 (undefined Cartesian)
// leaves the CRS to detection from coordinate ranges, both with a warning.
// Another organization's code is looked up in the definition's WKT
// (AUTHORITY or ID, else Lambert-93 parameters or a geographic datum as
// for a .prj). Anything else is an error naming the srs.
func resolveSRS(srsID int64, org string, orgID int64, srsName, def string) (gpkgSRS, error) {
	declared := func(code int64) string {
		if srsName != "" {
			return fmt.Sprintf("EPSG:%d (%s, declared in the file)", code, srsName)
		}
		return fmt.Sprintf("EPSG:%d (declared in the file)", code)
	}
	byEPSG := func(code int64) (gpkgSRS, bool) {
		switch {
		case code == 4326 || code == 4171 || code == 4258:
			return gpkgSRS{crs: "EPSG:4326", label: declared(code)}, true
		case code == 2154:
			return gpkgSRS{crs: "EPSG:2154", label: declared(code)}, true
		case code >= 32601 && code <= 32660:
			return gpkgSRS{crs: "EPSG:4326", utm: UTM(int(code-32600), false), label: declared(code)}, true
		case code >= 32701 && code <= 32760:
			return gpkgSRS{crs: "EPSG:4326", utm: UTM(int(code-32700), true), label: declared(code)}, true
		case code >= 25828 && code <= 25838:
			return gpkgSRS{crs: "EPSG:4326", utm: UTM(int(code-25800), false), label: declared(code)}, true
		}
		return gpkgSRS{}, false
	}
	o := strings.ToUpper(strings.TrimSpace(org))
	switch {
	case srsID == 0 && (o == "NONE" || o == ""):
		return gpkgSRS{crs: "EPSG:4326", label: CRSWGS84Assumed, warn: "srs_id 0, undefined geographic SRS (WGS84 lon/lat assumed)"}, nil
	case srsID == -1 && (o == "NONE" || o == ""):
		return gpkgSRS{warn: "srs_id -1, undefined Cartesian SRS (CRS detected from coordinate ranges)"}, nil
	case o == "EPSG":
		if s, ok := byEPSG(orgID); ok {
			return s, nil
		}
	case o == "OGC" && (orgID == 84 || strings.Contains(strings.ToUpper(def), "CRS84")):
		return gpkgSRS{crs: "EPSG:4326", label: "OGC:CRS84 (declared in the file)"}, nil
	default:
		u := strings.ToUpper(def)
		if c, err := strconv.ParseInt(wktEPSG(u), 10, 64); err == nil {
			if s, ok := byEPSG(c); ok {
				return s, nil
			}
		} else if crs, label, err := parsePRJ([]byte(def)); err == nil {
			return gpkgSRS{crs: crs, label: label}, nil
		}
	}
	what := fmt.Sprintf("srs_id %d", srsID)
	if srsName != "" {
		what += fmt.Sprintf(" %q", srsName)
	}
	if org != "" {
		what += fmt.Sprintf(" (%s:%d)", org, orgID)
	}
	return gpkgSRS{}, fmt.Errorf("%s is not supported (definition %q); covplan reads EPSG:4326 and CRS84 lon/lat, EPSG:2154 Lambert-93 and the UTM zones EPSG:326xx, 327xx and 258xx: reproject the layer, e.g. ogr2ogr -t_srs EPSG:2154", what, clip(strings.Join(strings.Fields(def), " ")))
}

// UTM coordinate ranges accepted before inverse projection: a zone's
// eastings with a zone's width of margin each side, its hemisphere's
// northings.
const (
	utmMinE, utmMaxE = -500e3, 1500e3
	utmMinN, utmMaxN = -10e3, 10010e3
)

// Zones converts the layer's Polygon and MultiPolygon features to zones,
// as ReadZones reads GeoJSON: ids, names, population and households from
// the attribute columns (code_insee, nom, population...; the fid is the
// fallback id), coordinates converted to lon/lat. Features with a NULL or
// empty geometry are skipped and counted. "feature N" in errors and Skips
// is the 0-based position in fid order, and errors end with the layer and
// the fid. A layer declared with a point or line geometry type is an
// error. opt.CRS overrides the layer's srs_id.
func (l *GeoPackageLayer) Zones(opt ZoneOptions) (*ZoneLayer, error) {
	if err := l.wantType("zones", "POLYGON", "MULTIPOLYGON", "CURVEPOLYGON", "MULTISURFACE", "SURFACE"); err != nil {
		return nil, err
	}
	return gpkgConvert(l, opt.CRS, func(js []byte, crs string) (*ZoneLayer, error) {
		o := opt
		o.SizeHint, o.CRS = int64(len(js)), crs
		return ReadZones(bytes.NewReader(js), l.Name, o)
	})
}

// Points converts Point and MultiPoint features to points, as ReadPoints
// reads GeoJSON (a MultiPoint gives ids "ID/1", "ID/2"...; the fid is the
// fallback id). A layer declared with another geometry type is an error.
func (l *GeoPackageLayer) Points(opt PointOptions) (*PointLayer, error) {
	if err := l.wantType("points", "POINT", "MULTIPOINT"); err != nil {
		return nil, err
	}
	p, err := gpkgConvert(l, opt.CRS, func(js []byte, crs string) (*PointLayer, error) {
		o := opt
		o.CRS = crs
		return readPointsGeoJSON(bytes.NewReader(js), l.Name, o, int64(len(js)))
	})
	if err != nil {
		return nil, err
	}
	return p, p.finish(opt)
}

// Fibre converts the layer to a fibre network as ReadFibre reads GeoJSON:
// LineString and MultiLineString features are lines, Polygon and
// MultiPolygon features served areas, Point and MultiPoint features nodes.
func (l *GeoPackageLayer) Fibre(opt FibreOptions) (*FibreLayer, error) {
	return gpkgConvert(l, opt.CRS, func(js []byte, crs string) (*FibreLayer, error) {
		o := opt
		o.SizeHint, o.CRS = int64(len(js)), crs
		return ReadFibre(bytes.NewReader(js), l.Name, o)
	})
}

// gpkgConvert writes the layer as GeoJSON, runs a GeoJSON reader on it and
// labels the result: format "geopackage", the table's columns, the
// layer's CRS (unless crsOpt forced one or the file left it to
// detection), the layer's warnings added; feature errors get the layer
// and the fid.
func gpkgConvert[L convertedLayer](l *GeoPackageLayer, crsOpt string, read func(js []byte, crs string) (L, error)) (L, error) {
	var zero L
	js, crs, err := l.geoJSON(crsOpt)
	if err != nil {
		return zero, err
	}
	out, err := read(js, crs)
	if err != nil {
		return zero, l.locate(err)
	}
	out.converted().label("geopackage", l.columnNames(), crsOpt, l.CRS, l.Warnings)
	return out, nil
}

// wantType refuses a layer whose declared geometry type cannot be what
// the caller wants; GEOMETRY (any) is checked feature by feature.
func (l *GeoPackageLayer) wantType(what string, types ...string) error {
	t := strings.ToUpper(l.GeometryType)
	for _, w := range append(types, "GEOMETRY", "") {
		if t == w {
			return nil
		}
	}
	return fileErr(l.Name, ErrGeometry, "layer %q holds %s geometries, not %s (want %s)", l.Layer, l.GeometryType, what, strings.Join(types[:min(2, len(types))], " or "))
}

func (l *GeoPackageLayer) columnNames() []string {
	names := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		names[i] = c.Name
	}
	return names
}

// locate adds the layer and the fid to a feature error.
func (l *GeoPackageLayer) locate(err error) error {
	if e, ok := err.(*Error); ok && e.Feature >= 0 && e.Feature < len(l.FIDs) {
		e.Msg += fmt.Sprintf(" (layer %q, fid %d)", l.Layer, l.FIDs[e.Feature])
	}
	return err
}

// geoJSON writes the layer as a FeatureCollection for the GeoJSON readers:
// each feature's "id" is its fid, its properties the attribute columns
// (INTEGER and REAL as numbers, BOOLEAN as true/false, TEXT as strings,
// NULL, BLOB, NaN and ±Inf as null). Coordinates are the file's, except
// for a UTM layer, which is inverse-projected to lon/lat here. crsOpt is
// the caller's CRS override; the returned option is what the readers are
// to use.
func (l *GeoPackageLayer) geoJSON(crsOpt string) ([]byte, string, error) {
	utm := l.utm
	crs := l.crs
	if crsOpt != "" {
		utm, crs = Frame{}, crsOpt
	}
	var w bytes.Buffer
	size := 64 + 64*len(l.Geoms)
	for _, g := range l.Geoms {
		size += 40 * vertexCount(g)
	}
	for _, c := range l.Columns {
		size += (len(c.Name) + 12) * len(l.Geoms)
	}
	w.Grow(size)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	var num []byte
	for i, g := range l.Geoms {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"type":"Feature","id":`)
		num = strconv.AppendInt(num[:0], l.FIDs[i], 10)
		w.Write(num)
		w.WriteString(`,"properties":{`)
		for k, c := range l.Columns {
			if k > 0 {
				w.WriteByte(',')
			}
			appendJSONString(&w, c.Name)
			w.WriteByte(':')
			var v GeoPackageValue
			if k < len(l.Values[i]) {
				v = l.Values[i][k]
			}
			num = writeGPKGValue(&w, v, num)
		}
		w.WriteString(`},"geometry":`)
		if g != nil && !utm.IsZero() {
			var err error
			if g, err = utmToLonLat(utm, g); err != nil {
				return nil, "", l.locate(featErr(l.Name, i, l.GeometryColumn, ErrRange, "%v", err))
			}
		}
		if g == nil {
			w.WriteString("null")
		} else {
			num = writeGeom(&w, g, num)
		}
		w.WriteByte('}')
	}
	w.WriteString("]}")
	return w.Bytes(), crs, nil
}

func writeGPKGValue(w *bytes.Buffer, v GeoPackageValue, num []byte) []byte {
	switch v.Type {
	case GeoPackageInteger:
		num = strconv.AppendInt(num[:0], v.Int, 10)
		w.Write(num)
	case GeoPackageReal:
		if math.IsNaN(v.Real) || math.IsInf(v.Real, 0) {
			w.WriteString("null")
			break
		}
		num = strconv.AppendFloat(num[:0], v.Real, 'g', -1, 64)
		w.Write(num)
	case GeoPackageBoolean:
		if v.Int != 0 {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case GeoPackageText:
		appendJSONString(w, v.Text)
	default:
		w.WriteString("null")
	}
	return num
}

// utmToLonLat returns a lon/lat copy of g, in UTM metres of fr. A position
// outside a UTM zone's range is an error.
func utmToLonLat(fr Frame, g orb.Geometry) (orb.Geometry, error) {
	var bad error
	out := mapGeom(g, func(p orb.Point) orb.Point {
		if bad == nil && !(p[0] >= utmMinE && p[0] <= utmMaxE && p[1] >= utmMinN && p[1] <= utmMaxN) {
			bad = fmt.Errorf("position (%g, %g) is outside the range of %s (easting %g..%g m, northing %g..%g m)", p[0], p[1], fr.Name(), utmMinE, utmMaxE, utmMinN, utmMaxN)
		}
		return fr.Inverse(p)
	})
	return out, bad
}
