package geodata

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// KML support.
//
// A KML file is read with a streaming encoding/xml decoder into a compact
// GeoJSON FeatureCollection (one feature per Placemark, in document order,
// Folders and Documents flattened), which the GeoJSON readers then load.
// So a KML layer follows exactly the GeoJSON rules: the same id, name,
// population, households and status detection, the same validation, the
// same skips and warnings. "feature N" in errors and Skips is the 0-based
// Placemark number in document order; error messages add the Placemark's
// line and name.

// maxKMLGeomDepth bounds MultiGeometry nesting.
const maxKMLGeomDepth = 32

// ReadKMLZones reads zones from KML: every Placemark with a Polygon or a
// MultiGeometry of Polygons becomes a zone (orb.Polygon, or orb.MultiPolygon
// for a MultiGeometry), in WGS84 lon/lat with closed rings; altitudes are
// dropped.
//
// Properties are the Placemark's <name> (property "name") and its
// ExtendedData, both <Data name="K"><value>V</value></Data> and
// <SchemaData><SimpleData name="K">V</SimpleData></SchemaData>, as strings.
// The Placemark's id attribute is the fallback id, as a GeoJSON feature's
// "id". The id, name, population and households are then detected as
// ReadZones does (INSEE, CODE_INSEE, NOM, POPULATION, LOG...).
//
// Errors are located by Placemark ("feature N", 0-based, plus its line):
// a geometry that is not polygonal, a ring with fewer than 4 positions, a
// coordinate that is not a number or out of range, duplicate ids. A
// Placemark without geometry is skipped and counted. KML is always WGS84
// lon/lat (opt.CRS, if set, overrides that for non-conforming files).
func ReadKMLZones(r io.Reader, name string, opt ZoneOptions) (*ZoneLayer, error) {
	return readKMLAs(r, name, &opt.CRS, func(doc []byte) (*ZoneLayer, error) {
		opt.SizeHint = int64(len(doc))
		return ReadZones(bytes.NewReader(doc), name, opt)
	}, func(z *ZoneLayer) (*string, *string) { return &z.Format, &z.CRS })
}

// ReadKMLFibre reads a fibre network from KML: Point Placemarks are nodes,
// LineStrings lines, Polygons served areas; a MultiGeometry gives one item
// per member with ids "ID/1", "ID/2"..., as a GeoJSON MultiPoint,
// MultiLineString, MultiPolygon (one area) or GeometryCollection does in
// ReadFibre. The id comes from ID, CODE_NRO, CODE_PM, CODE... then the
// Placemark's name; the status from STATUS, STATUT, ACTIVE, ETAT (see
// FibreLayer). Properties, errors and CRS are as in ReadKMLZones.
func ReadKMLFibre(r io.Reader, name string, opt FibreOptions) (*FibreLayer, error) {
	return readKMLAs(r, name, &opt.CRS, func(doc []byte) (*FibreLayer, error) {
		opt.SizeHint = int64(len(doc))
		return ReadFibre(bytes.NewReader(doc), name, opt)
	}, func(f *FibreLayer) (*string, *string) { return &f.Format, &f.CRS })
}

// ReadKMLPoints reads Point Placemarks (and MultiGeometry of Points, one
// point per member with ids "ID/1", "ID/2"...) as ReadPoints reads GeoJSON
// points: the id, units, kind, range, capacity and status come from the
// properties (Placemark name and ExtendedData, see ReadKMLZones). Any
// other geometry is an error located by Placemark.
func ReadKMLPoints(r io.Reader, name string, opt PointOptions) (*PointLayer, error) {
	return readKMLAs(r, name, &opt.CRS, func(doc []byte) (*PointLayer, error) {
		return readPointsGeoJSON(bytes.NewReader(doc), name, opt, int64(len(doc)))
	}, func(l *PointLayer) (*string, *string) { return &l.Format, &l.CRS })
}

// readKMLAs converts a KML document to GeoJSON and reads it with read, the
// layer's GeoJSON reader. KML is WGS84 lon/lat unless *crs forces another
// CRS; errors are located by Placemark; fields gives the layer's Format and
// CRS to set.
func readKMLAs[L any](r io.Reader, name string, crs *string, read func(doc []byte) (L, error), fields func(L) (format, crsName *string)) (L, error) {
	var zero L
	k, err := decodeKML(r, name)
	if err != nil {
		return zero, err
	}
	forced := *crs != ""
	if !forced {
		*crs = "EPSG:4326"
	}
	l, err := read(k.json)
	if err != nil {
		return zero, k.locate(err)
	}
	format, crsName := fields(l)
	*format = "kml"
	if !forced {
		*crsName = CRSWGS84
	}
	return l, nil
}

// kmlDoc is a KML file converted to GeoJSON text, with each Placemark's
// source line and name for error messages.
type kmlDoc struct {
	json  []byte
	lines []int
	names []string
}

// locate adds the Placemark's line and name to a feature error.
func (k *kmlDoc) locate(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Feature >= 0 && e.Feature < len(k.lines) {
		where := "Placemark at line " + strconv.Itoa(k.lines[e.Feature])
		if n := k.names[e.Feature]; n != "" {
			where += " " + strconv.Quote(n)
		}
		if e.Msg != "" {
			e.Msg += " (" + where + ")"
		} else {
			e.Msg = where
		}
	}
	return err
}

// kmlGeom is one simple KML geometry: typ is "Point", "LineString" or
// "Polygon"; coords holds one list (Point, LineString) or the rings
// (Polygon, outer first) as [lon, lat] text pairs ready for JSON.
type kmlGeom struct {
	typ   string
	rings [][][2]string
}

// kmlPlacemark is one Placemark being decoded.
type kmlPlacemark struct {
	id, name string
	hasName  bool
	keys     []string
	vals     []string
	geoms    []kmlGeom
	multi    bool // geometry came from a MultiGeometry
	other    string
}

// decodeKML streams r through encoding/xml and writes the GeoJSON.
func decodeKML(r io.Reader, name string) (*kmlDoc, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = kmlCharsetReader
	k := &kmlDoc{}
	var w bytes.Buffer
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fileErr(name, ErrSyntax, "invalid XML at line %d: %v", line, xmlMsg(err))
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
			if root != "kml" {
				return nil, fileErr(name, ErrSyntax, "not KML: the root element is <%s>, want <kml>", root)
			}
			continue
		}
		if se.Name.Local != "Placemark" {
			continue // Document, Folder, Style, Schema... are descended or ignored
		}
		line, _ := d.InputPos()
		pm, err := readPlacemark(d, se, name, len(k.lines), line)
		if err != nil {
			return nil, err
		}
		if len(k.lines) > 0 {
			w.WriteByte(',')
		}
		k.lines = append(k.lines, line)
		k.names = append(k.names, pm.name)
		pm.writeJSON(&w)
	}
	if root == "" {
		return nil, fileErr(name, ErrSyntax, "not KML: no XML element")
	}
	w.WriteString("]}")
	k.json = w.Bytes()
	return k, nil
}

// xmlMsg strips encoding/xml's own "XML syntax error on line N: " prefix.
func xmlMsg(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

// kmlCharsetReader decodes the 8-bit encodings French files declare.
func kmlCharsetReader(label string, in io.Reader) (io.Reader, error) {
	cs, ok := parseCodePage(label)
	if !ok || cs == charsetUTF8 {
		if ok {
			return in, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q (covplan reads UTF-8, ISO-8859-1/15 and Windows-1252)", label)
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(decode8bit(nil, b, cs)), nil
}

// readPlacemark reads a Placemark element up to its end tag.
func readPlacemark(d *xml.Decoder, start xml.StartElement, name string, index, line int) (*kmlPlacemark, error) {
	pm := &kmlPlacemark{}
	for _, a := range start.Attr {
		if a.Name.Local == "id" {
			pm.id = a.Value
		}
	}
	fail := func(field, format string, args ...any) error {
		e := featErr(name, index, field, ErrGeometry, format, args...)
		e.Msg += " (Placemark at line " + strconv.Itoa(line) + ")"
		return e
	}
	for {
		tok, err := d.Token()
		if err != nil {
			l, _ := d.InputPos()
			if err == io.EOF {
				return nil, fileErr(name, ErrSyntax, "invalid XML at line %d: unexpected end of file in the Placemark of line %d", l, line)
			}
			return nil, fileErr(name, ErrSyntax, "invalid XML at line %d: %v", l, xmlMsg(err))
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return pm, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "name":
				s, err := kmlText(d)
				if err != nil {
					return nil, xmlErr(d, name, err)
				}
				pm.name, pm.hasName = strings.TrimSpace(s), true
			case "ExtendedData":
				if err := pm.readExtended(d); err != nil {
					return nil, xmlErr(d, name, err)
				}
			case "Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model", "Track", "MultiTrack":
				if len(pm.geoms) > 0 || pm.other != "" {
					return nil, fail("geometry", "more than one geometry in a Placemark (use a MultiGeometry)")
				}
				if err := pm.readGeom(d, t, 0); err != nil {
					var ge kmlGeomError
					if errors.As(err, &ge) {
						return nil, fail(ge.field, "%s", ge.msg)
					}
					return nil, xmlErr(d, name, err)
				}
				if pm.other != "" {
					return nil, fail("geometry", "%s is not supported (Point, LineString, Polygon or MultiGeometry)", pm.other)
				}
			default:
				if err := d.Skip(); err != nil {
					return nil, xmlErr(d, name, err)
				}
			}
		}
	}
}

func xmlErr(d *xml.Decoder, name string, err error) error {
	l, _ := d.InputPos()
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fileErr(name, ErrSyntax, "invalid XML at line %d: unexpected end of file", l)
	}
	return fileErr(name, ErrSyntax, "invalid XML at line %d: %v", l, xmlMsg(err))
}

// kmlGeomError is a malformed geometry inside a Placemark.
type kmlGeomError struct{ field, msg string }

func (e kmlGeomError) Error() string { return e.field + ": " + e.msg }

// kmlText reads the character data of the current element up to its end
// tag, ignoring nested elements' tags (not their text).
func kmlText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// readExtended reads ExtendedData: Data/value and SchemaData/SimpleData.
func (pm *kmlPlacemark) readExtended(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "ExtendedData" {
				return nil
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "SchemaData":
				// descend: its SimpleData children come next
			case "SimpleData":
				v, err := kmlText(d)
				if err != nil {
					return err
				}
				pm.set(attr(t, "name"), v)
			case "Data":
				key := attr(t, "name")
				v, err := kmlDataValue(d)
				if err != nil {
					return err
				}
				pm.set(key, v)
			default:
				if err := d.Skip(); err != nil {
					return err
				}
			}
		}
	}
}

// kmlDataValue reads a <Data> element's <value>, skipping displayName.
func kmlDataValue(d *xml.Decoder) (string, error) {
	v := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return v, nil
		case xml.StartElement:
			if t.Name.Local == "value" {
				if v, err = kmlText(d); err != nil {
					return "", err
				}
			} else if err := d.Skip(); err != nil {
				return "", err
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// set records an ExtendedData property; a repeated key keeps its first
// value, as findProp would.
func (pm *kmlPlacemark) set(key, val string) {
	key = strings.TrimSpace(key)
	if key == "" {
		return
	}
	for _, k := range pm.keys {
		if k == key {
			return
		}
	}
	pm.keys = append(pm.keys, key)
	pm.vals = append(pm.vals, val)
}

// readGeom reads one geometry element (start already consumed).
func (pm *kmlPlacemark) readGeom(d *xml.Decoder, start xml.StartElement, depth int) error {
	switch start.Name.Local {
	case "MultiGeometry":
		if depth >= maxKMLGeomDepth {
			return kmlGeomError{"geometry", "MultiGeometry nested too deep"}
		}
		pm.multi = true
		for {
			tok, err := d.Token()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.EndElement:
				return nil
			case xml.StartElement:
				switch t.Name.Local {
				case "Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Model", "Track", "MultiTrack":
					if err := pm.readGeom(d, t, depth+1); err != nil {
						return err
					}
				default:
					if err := d.Skip(); err != nil {
						return err
					}
				}
			}
		}
	case "Point", "LineString", "LinearRing":
		var g kmlGeom
		g.typ = start.Name.Local
		if g.typ == "LinearRing" {
			g.typ = "Polygon"
		}
		for {
			tok, err := d.Token()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.EndElement:
				if len(g.rings) == 0 {
					return kmlGeomError{"coordinates", start.Name.Local + " without coordinates"}
				}
				if g.typ == "Point" && len(g.rings[0]) != 1 {
					return kmlGeomError{"coordinates", fmt.Sprintf("a Point needs 1 position, found %d", len(g.rings[0]))}
				}
				pm.geoms = append(pm.geoms, g)
				return nil
			case xml.StartElement:
				if t.Name.Local != "coordinates" {
					if err := d.Skip(); err != nil {
						return err
					}
					continue
				}
				if len(g.rings) > 0 {
					return kmlGeomError{"coordinates", "repeated <coordinates> in a " + start.Name.Local}
				}
				pos, err := kmlCoords(d)
				if err != nil {
					return err
				}
				g.rings = append(g.rings, pos)
			}
		}
	case "Polygon":
		g := kmlGeom{typ: "Polygon"}
		outer := false
		for {
			tok, err := d.Token()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.EndElement:
				if !outer {
					return kmlGeomError{"outerBoundaryIs", "Polygon without an outer boundary"}
				}
				pm.geoms = append(pm.geoms, g)
				return nil
			case xml.StartElement:
				isOuter := t.Name.Local == "outerBoundaryIs"
				if !isOuter && t.Name.Local != "innerBoundaryIs" {
					if err := d.Skip(); err != nil {
						return err
					}
					continue
				}
				if isOuter && outer {
					return kmlGeomError{"outerBoundaryIs", "Polygon with two outer boundaries"}
				}
				rings, err := kmlBoundary(d)
				if err != nil {
					return err
				}
				if isOuter {
					if len(rings) != 1 {
						return kmlGeomError{"outerBoundaryIs", fmt.Sprintf("%d LinearRings, want 1", len(rings))}
					}
					outer = true
					// The outer ring goes first whatever the element order.
					g.rings = append([][][2]string{rings[0]}, g.rings...)
				} else {
					g.rings = append(g.rings, rings...)
				}
			}
		}
	}
	if pm.other == "" {
		pm.other = start.Name.Local
	}
	return d.Skip()
}

// kmlBoundary reads the LinearRings of an outer/innerBoundaryIs element.
func kmlBoundary(d *xml.Decoder) ([][][2]string, error) {
	var rings [][][2]string
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return rings, nil
		case xml.StartElement:
			if t.Name.Local != "LinearRing" {
				if err := d.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			var ring [][2]string
			found := false
			for done := false; !done; {
				tok, err := d.Token()
				if err != nil {
					return nil, err
				}
				switch t := tok.(type) {
				case xml.EndElement:
					done = true
				case xml.StartElement:
					if t.Name.Local != "coordinates" {
						if err := d.Skip(); err != nil {
							return nil, err
						}
						continue
					}
					if ring, err = kmlCoords(d); err != nil {
						return nil, err
					}
					found = true
				}
			}
			if !found {
				return nil, kmlGeomError{"coordinates", "LinearRing without coordinates"}
			}
			rings = append(rings, ring)
		}
	}
}

// kmlCoords reads a <coordinates> element: tuples "lon,lat[,alt]"
// separated by whitespace. Each number is checked and written back as a
// JSON number (its own text when that is valid JSON, so no precision is
// lost or invented).
func kmlCoords(d *xml.Decoder) ([][2]string, error) {
	text, err := kmlText(d)
	if err != nil {
		return nil, err
	}
	var pos [][2]string
	for tuple := range strings.FieldsSeq(text) {
		var parts [3]string
		np, rest := 0, tuple
		for ; np < 3; np++ {
			k := strings.IndexByte(rest, ',')
			if k < 0 {
				parts[np] = rest
				rest = ""
				np++
				break
			}
			parts[np], rest = rest[:k], rest[k+1:]
		}
		if np < 2 || rest != "" || strings.HasSuffix(tuple, ",") && np == 3 {
			return nil, kmlGeomError{"coordinates", fmt.Sprintf("position %d %q is not lon,lat[,alt]", len(pos), clip(tuple))}
		}
		var p [2]string
		for j, s := range parts[:np] {
			n, ok := jsonNumber(s)
			if !ok {
				return nil, kmlGeomError{"coordinates", fmt.Sprintf("position %d: %q is not a number", len(pos), clip(s))}
			}
			if j < 2 {
				p[j] = n
			}
		}
		pos = append(pos, p)
	}
	return pos, nil
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		return s + "..."
	}
	return s
}

// jsonNumber returns s as JSON number text: s itself when it already is
// one, else the shortest form of its value ("+1.5" -> "1.5", ".5" ->
// "0.5"). ok is false when s is not a finite number.
func jsonNumber(s string) (string, bool) {
	if isJSONNumber(s) {
		return s, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308 {
		return "", false
	}
	return strconv.FormatFloat(v, 'g', -1, 64), true
}

// isJSONNumber reports whether s follows the JSON number grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s) && len(s) <= 64
}

// writeJSON writes the Placemark as a GeoJSON Feature.
func (pm *kmlPlacemark) writeJSON(w *bytes.Buffer) {
	w.WriteString(`{"type":"Feature"`)
	if pm.id != "" {
		w.WriteString(`,"id":`)
		appendJSONString(w, pm.id)
	}
	w.WriteString(`,"properties":{`)
	n := 0
	if pm.hasName && !pm.hasKey("name") {
		w.WriteString(`"name":`)
		appendJSONString(w, pm.name)
		n++
	}
	for i, k := range pm.keys {
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		appendJSONString(w, k)
		w.WriteByte(':')
		appendJSONString(w, pm.vals[i])
	}
	w.WriteString(`},"geometry":`)
	writeKMLGeom(w, pm.geoms, pm.multi)
	w.WriteByte('}')
}

func (pm *kmlPlacemark) hasKey(k string) bool {
	for _, x := range pm.keys {
		if x == k {
			return true
		}
	}
	return false
}

// writeKMLGeom writes the geometry: null when empty, the simple type for
// a lone geometry, Multi* for a MultiGeometry of one type, else a
// GeometryCollection.
func writeKMLGeom(w *bytes.Buffer, gs []kmlGeom, multi bool) {
	if len(gs) == 0 {
		w.WriteString("null")
		return
	}
	if !multi {
		writeSimple(w, gs[0])
		return
	}
	same := true
	for _, g := range gs[1:] {
		same = same && g.typ == gs[0].typ
	}
	if !same {
		w.WriteString(`{"type":"GeometryCollection","geometries":[`)
		for i, g := range gs {
			if i > 0 {
				w.WriteByte(',')
			}
			writeSimple(w, g)
		}
		w.WriteString("]}")
		return
	}
	w.WriteString(`{"type":"Multi`)
	w.WriteString(gs[0].typ)
	w.WriteString(`","coordinates":[`)
	for i, g := range gs {
		if i > 0 {
			w.WriteByte(',')
		}
		writeCoords(w, g)
	}
	w.WriteString("]}")
}

func writeSimple(w *bytes.Buffer, g kmlGeom) {
	w.WriteString(`{"type":"`)
	w.WriteString(g.typ)
	w.WriteString(`","coordinates":`)
	writeCoords(w, g)
	w.WriteByte('}')
}

// writeCoords writes a geometry's coordinates array (without type).
func writeCoords(w *bytes.Buffer, g kmlGeom) {
	writeList := func(l [][2]string) {
		w.WriteByte('[')
		for i, p := range l {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			w.WriteString(p[0])
			w.WriteByte(',')
			w.WriteString(p[1])
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	switch g.typ {
	case "Point":
		p := g.rings[0][0]
		w.WriteString("[" + p[0] + "," + p[1] + "]")
	case "LineString":
		writeList(g.rings[0])
	default:
		w.WriteByte('[')
		for i, r := range g.rings {
			if i > 0 {
				w.WriteByte(',')
			}
			writeList(r)
		}
		w.WriteByte(']')
	}
}

// appendJSONString writes s as a JSON string (invalid UTF-8 replaced).
func appendJSONString(w *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case c == '\n':
			w.WriteString(`\n`)
		case c == '\r':
			w.WriteString(`\r`)
		case c == '\t':
			w.WriteString(`\t`)
		case c < 0x20:
			w.WriteString(`\u00`)
			w.WriteByte(hex[c>>4])
			w.WriteByte(hex[c&0xF])
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte('"')
}

// FormatOf guesses an input file's format from its name and its first
// bytes (head; 512 are plenty, fewer or none work too): "geojson",
// "csv", "kml" or "shapefile" (name is the .shp; its .dbf, .prj and .cpg
// sit beside it, see ShapefileSidecar), and for zip archives "kmz" (read
// with OpenKMZ then the KML readers) or "zip" (a zipped shapefile, read
// with ReadShapefileZip). Content decides when it is conclusive (the
// shapefile magic number, a zip header, a JSON object or array, an XML
// document with <kml), else the extension (.geojson .json .csv .tsv .txt
// .kml .shp, any case); anything else is taken as CSV. It returns "" for
// what covplan cannot read: an XLSX or other zip with an extension, a
// lone .dbf or .shx, an XML document that is not KML.
func FormatOf(name string, head []byte) string {
	ext := strings.ToLower(name)
	if i := strings.LastIndexByte(ext, '.'); i >= 0 && !strings.ContainsAny(ext[i:], `/\`) {
		ext = ext[i:]
	} else {
		ext = ""
	}
	h := bytes.TrimPrefix(head, bom)
	t := bytes.TrimLeft(h, " \t\r\n")
	switch {
	case len(head) >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x27 && head[3] == 0x0a:
		if ext == ".shx" {
			return ""
		}
		return "shapefile"
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04":
		// The first entry's name is in the local file header (offset 30,
		// length at 26): a KMZ starts with doc.kml by convention.
		if ext == ".kmz" {
			return "kmz"
		}
		if len(head) >= 30 {
			n := int(binary.LittleEndian.Uint16(head[26:]))
			if len(head) >= 30+n && strings.HasSuffix(strings.ToLower(string(head[30:30+n])), ".kml") {
				return "kmz"
			}
		}
		switch ext {
		case ".zip", "":
			return "zip"
		}
		return ""
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "geojson"
	case len(t) > 0 && t[0] == '<':
		if bytes.Contains(t, []byte("<kml")) || ext == ".kml" {
			return "kml"
		}
		return "" // some other XML (GML, GPX...)
	}
	switch ext {
	case ".geojson", ".json":
		return "geojson"
	case ".kml":
		return "kml"
	case ".shp":
		return "shapefile"
	case ".dbf", ".shx", ".prj", ".cpg", ".kmz", ".zip", ".xlsx", ".gpkg":
		return ""
	}
	return "csv"
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
