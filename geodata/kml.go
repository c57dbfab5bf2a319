package geodata

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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
	return readKMLAs(r, name, &opt.CRS, opt.Limits, func(doc []byte) (*ZoneLayer, error) {
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
	return readKMLAs(r, name, &opt.CRS, opt.Limits, func(doc []byte) (*FibreLayer, error) {
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
	return readKMLAs(r, name, &opt.CRS, opt.Limits, func(doc []byte) (*PointLayer, error) {
		l, err := readPointsGeoJSON(bytes.NewReader(doc), name, opt, int64(len(doc)))
		if err != nil {
			return nil, err
		}
		return l, l.finish(opt)
	}, func(l *PointLayer) (*string, *string) { return &l.Format, &l.CRS })
}

// readKMLAs converts a KML document to GeoJSON and reads it with read, the
// layer's GeoJSON reader. KML is WGS84 lon/lat unless *crs forces another
// CRS; errors are located by Placemark; fields gives the layer's Format and
// CRS to set.
func readKMLAs[L any](r io.Reader, name string, crs *string, lim Limits, read func(doc []byte) (L, error), fields func(L) (format, crsName *string)) (L, error) {
	var zero L
	k, err := decodeKML(r, name, lim)
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

// kmlPlacemark is one Placemark being decoded.
type kmlPlacemark struct {
	id, name string
	hasName  bool
	keys     []string
	vals     []string
	geoms    []kmlGeom
	multi    bool // geometry came from a MultiGeometry
	other    string
	maxText  int // longest text of a name or value
}

// decodeKML streams r through encoding/xml and writes the GeoJSON. No
// XML token, and no element's text but coordinates, may be longer than
// lim.MaxTextBytes.
func decodeKML(r io.Reader, name string, lim Limits) (*kmlDoc, error) {
	d := xml.NewDecoder(newXMLGuard(r, name, lim.textBytes()))
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
			return nil, xmlErr(d, name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
			if root != "kml" {
				return nil, fileErr(name, ErrSyntax, "not KML: the root element is <%s>, want <kml>", echoType(root))
			}
			continue
		}
		if se.Name.Local != "Placemark" {
			continue // Document, Folder, Style, Schema... are descended or ignored
		}
		line, _ := d.InputPos()
		pm, err := readPlacemark(d, se, name, len(k.lines), line, lim.textBytes())
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
		return nil, fmt.Errorf("unsupported encoding %s (covplan reads UTF-8, ISO-8859-1/15 and Windows-1252)", echo(label, 0))
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(decode8bit(nil, b, cs)), nil
}

// readPlacemark reads a Placemark element up to its end tag.
func readPlacemark(d *xml.Decoder, start xml.StartElement, name string, index, line, maxText int) (*kmlPlacemark, error) {
	pm := &kmlPlacemark{maxText: maxText}
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
			return nil, xmlErr(d, name, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return pm, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "name":
				s, err := kmlText(d, pm.maxText)
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
					return nil, fail("geometry", "%s is not supported (Point, LineString, Polygon or MultiGeometry)", echoType(pm.other))
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
	var e *Error
	if errors.As(err, &e) {
		if e.File == "" {
			e.File = name
		}
		return e // a limit hit by the guard, or a text too long
	}
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
// tag, ignoring nested elements' tags (not their text); more than max
// bytes of it (max >= 0) is an error.
func kmlText(d *xml.Decoder, max int) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if max >= 0 && b.Len()+len(t) > max {
				l, _ := d.InputPos()
				return "", limitErr("", l, "an element's text", int64(max), "--max-text-bytes")
			}
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
				v, err := kmlText(d, pm.maxText)
				if err != nil {
					return err
				}
				pm.set(attr(t, "name"), v)
			case "Data":
				key := attr(t, "name")
				v, err := kmlDataValue(d, pm.maxText)
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
func kmlDataValue(d *xml.Decoder, max int) (string, error) {
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
				if v, err = kmlText(d, max); err != nil {
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
