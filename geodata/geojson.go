package geodata

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// propKind is the JSON type of a property value.
type propKind uint8

const (
	propNull propKind = iota
	propString
	propNumber
	propBool
	propOther // object or array
)

// prop is one feature property. text is a string's decoded value, a
// number's JSON text, "true"/"false" for booleans.
type prop struct {
	key  string
	norm string // normName(key)
	kind propKind
	text string
	num  float64
}

// idString is the property as an id: strings as they are (INSEE codes keep
// their leading zeros), numbers without a useless ".0".
func (p prop) idString() string {
	switch p.kind {
	case propString:
		return strings.TrimSpace(p.text)
	case propNumber:
		if p.num == float64(int64(p.num)) && p.num > -1e15 && p.num < 1e15 {
			return strconv.FormatInt(int64(p.num), 10)
		}
		return strconv.FormatFloat(p.num, 'f', -1, 64)
	case propBool:
		return p.text
	}
	return ""
}

// rawGeom is a decoded geometry before validation.
type rawGeom struct {
	typ    string
	c      ctree
	hasC   bool
	geoms  []rawGeom // GeometryCollection members
	isNull bool
}

// rawFeature is one decoded feature (or a bare geometry as a feature).
type rawFeature struct {
	index int
	typ   string
	geom  rawGeom
	props []prop
	id    prop // top-level "id"; kind propNull when absent
}

// rawDoc is a decoded GeoJSON document.
type rawDoc struct {
	typ      string
	features []rawFeature
	crs      string // the crs member's name, "" when absent
	hasCRS   bool
	// columns and lines are set for a CSV file: its header, and the
	// 1-based line of each feature.
	columns []string
	lines   []int
}

// line is feature i's CSV line, 0 for GeoJSON.
func (doc *rawDoc) line(i int) int {
	if i >= 0 && i < len(doc.lines) {
		return doc.lines[i]
	}
	return 0
}

// locate adds the CSV line to a feature error.
func (doc *rawDoc) locate(err error) error {
	var e *Error
	if doc.lines != nil && errors.As(err, &e) && e.Line == 0 {
		e.Line = doc.line(e.Feature)
	}
	return err
}

// decodeGeoJSON reads a whole GeoJSON document: a FeatureCollection, a
// Feature or a bare geometry.
func decodeGeoJSON(r io.Reader, name string, sizeHint int64) (*rawDoc, error) {
	data, err := readAll(r, sizeHint)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	data = bytes.TrimPrefix(data, bom)
	s := &jscan{b: data, name: name}
	doc := &rawDoc{}
	var top rawFeature
	top.index = 0
	var g rawGeom
	sawFeatures := false
	if s.peek() != '{' {
		return nil, s.errf("expected a GeoJSON object, found %s", s.what())
	}
	err = s.obj(func(k []byte) error {
		switch string(k) {
		case "type":
			t, err := s.str()
			doc.typ, g.typ = string(t), string(t)
			return err
		case "features":
			sawFeatures = true
			if null, err := s.isNull(); null || err != nil {
				return err
			}
			return s.arr(func(i int) error {
				f, err := s.feature(i)
				if err != nil {
					return locateFeature(err, i, &f)
				}
				doc.features = append(doc.features, f)
				return nil
			})
		case "crs":
			doc.hasCRS = true
			name, err := s.crs()
			doc.crs = name
			return err
		case "geometry":
			var err error
			top.geom, err = s.geometry(0)
			return err
		case "properties":
			var err error
			top.props, err = s.properties()
			return err
		case "id":
			var err error
			top.id, err = s.value(string(k))
			return err
		case "coordinates":
			var err error
			g.c, err = s.coords(1)
			g.hasC = true
			return err
		case "geometries":
			return s.arr(func(int) error {
				m, err := s.geometry(1)
				g.geoms = append(g.geoms, m)
				return err
			})
		}
		return s.skip()
	})
	if err != nil {
		return nil, err
	}
	if s.peek() != 0 {
		return nil, s.errf("unexpected %s after the top-level object", s.what())
	}
	switch doc.typ {
	case "FeatureCollection":
		if !sawFeatures {
			return nil, fileErr(name, ErrSyntax, "FeatureCollection without \"features\"")
		}
	case "Feature":
		top.typ = "Feature"
		doc.features = []rawFeature{top}
	case "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection":
		doc.features = []rawFeature{{index: 0, typ: "Feature", geom: g}}
	case "":
		return nil, fileErr(name, ErrSyntax, "not GeoJSON: the top-level object has no \"type\"")
	default:
		return nil, fileErr(name, ErrSyntax, "not GeoJSON: unknown type %s", echo(doc.typ, 0))
	}
	return doc, nil
}

// locateFeature puts a JSON syntax error met inside feature i under that
// feature (its index, and its id when the properties came before the
// problem), keeping the byte offset in the message.
func locateFeature(err error, i int, f *rawFeature) error {
	var e *Error
	if !errors.As(err, &e) || e.Feature >= 0 || e.Offset < 0 {
		return err
	}
	e.Feature = i
	e.Msg = strings.TrimPrefix(e.Msg, "feature "+strconv.Itoa(i)+": ")
	if p, ok := findProp(f.props, anyIDNames, ""); ok {
		e.ID = p.idString()
	} else if f.id.kind != propNull {
		e.ID = f.id.idString()
	}
	return e
}

// anyIDNames are the id properties of every layer, for error messages.
var anyIDNames = append(append(append([]string(nil), zoneIDNames...), idNames...), fibreIDNames...)

// readAll reads r to the end, in one allocation when its size n is known.
func readAll(r io.Reader, n int64) ([]byte, error) {
	if n <= 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, n+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// feature reads one element of "features".
func (s *jscan) feature(i int) (rawFeature, error) {
	f := rawFeature{index: i}
	if s.peek() != '{' {
		return f, s.errf("feature %d: expected an object, found %s", i, s.what())
	}
	err := s.obj(func(k []byte) error {
		var err error
		switch string(k) {
		case "type":
			var t []byte
			t, err = s.str()
			f.typ = string(t)
		case "geometry":
			f.geom, err = s.geometry(0)
		case "properties":
			f.props, err = s.properties()
		case "id":
			f.id, err = s.value("id")
		default:
			err = s.skip()
		}
		return err
	})
	if err == nil && f.typ != "Feature" {
		return f, featErr(s.name, i, "type", ErrGeometry, "%s, want \"Feature\"", echo(f.typ, 0))
	}
	return f, err
}

// geometry reads a geometry object or null.
func (s *jscan) geometry(level int) (rawGeom, error) {
	var g rawGeom
	if null, err := s.isNull(); null || err != nil {
		g.isNull = true
		return g, err
	}
	if level > 8 {
		return g, s.errf("GeometryCollection nested too deep")
	}
	err := s.obj(func(k []byte) error {
		var err error
		switch string(k) {
		case "type":
			var t []byte
			t, err = s.str()
			g.typ = string(t)
		case "coordinates":
			g.c, err = s.coords(1)
			g.hasC = true
		case "geometries":
			err = s.arr(func(int) error {
				m, err := s.geometry(level + 1)
				g.geoms = append(g.geoms, m)
				return err
			})
		default:
			err = s.skip()
		}
		return err
	})
	return g, err
}

// properties reads the properties object (or null). Nested objects and
// arrays are kept as propOther without their content.
func (s *jscan) properties() ([]prop, error) {
	if null, err := s.isNull(); null || err != nil {
		return nil, err
	}
	var ps []prop
	err := s.obj(func(k []byte) error {
		key, norm := s.intern(k)
		p, err := s.value(key)
		p.norm = norm
		ps = append(ps, p)
		return err
	})
	return ps, err
}

// intern returns the property name k as a string and its normName, both
// shared by every feature that uses the same name (no allocation after the
// first time).
func (s *jscan) intern(k []byte) (key, norm string) {
	if e, ok := s.keys[string(k)]; ok {
		return e[0], e[1]
	}
	if s.keys == nil {
		s.keys = map[string][2]string{}
	}
	key = string(k)
	norm = normName(key)
	s.keys[key] = [2]string{key, norm}
	return key, norm
}

// value reads a scalar value (or skips a composite one) as a prop.
func (s *jscan) value(key string) (prop, error) {
	p := prop{key: key}
	switch c := s.peek(); {
	case c == '"':
		t, err := s.str()
		p.kind, p.text = propString, string(t)
		return p, err
	case c == '-' || c >= '0' && c <= '9':
		v, t, err := s.num()
		p.kind, p.num, p.text = propNumber, v, string(t)
		return p, err
	case c == 't':
		p.kind, p.text = propBool, "true"
		return p, s.lit("true")
	case c == 'f':
		p.kind, p.text = propBool, "false"
		return p, s.lit("false")
	case c == 'n':
		return p, s.lit("null")
	}
	p.kind = propOther
	return p, s.skip()
}

// crs reads a crs member: {"type":"name","properties":{"name":"..."}}.
func (s *jscan) crs() (string, error) {
	if null, err := s.isNull(); null || err != nil {
		return "", err
	}
	var name string
	err := s.obj(func(k []byte) error {
		if string(k) != "properties" || s.peek() != '{' {
			return s.skip()
		}
		return s.obj(func(k []byte) error {
			if string(k) == "name" && s.peek() == '"' {
				t, err := s.str()
				name = string(t)
				return err
			}
			return s.skip()
		})
	})
	return name, err
}

// decodeGeoJSONCRS is decodeGeoJSON followed by docCRS with crsOpt: what
// every GeoJSON layer reader starts with.
func decodeGeoJSONCRS(r io.Reader, name string, sizeHint int64, crsOpt string) (*rawDoc, crsMode, string, error) {
	doc, err := decodeGeoJSON(r, name, sizeHint)
	if err != nil {
		return nil, 0, "", err
	}
	crs, crsName, err := docCRS(doc, name, crsOpt)
	if err != nil {
		return nil, 0, "", err
	}
	return doc, crs, crsName, nil
}

// docCRS decides how to read a document's coordinates: the crs member if
// present, else the coordinate ranges (Lambert-93 when more positions are
// in its ranges, and outside degrees, than in lon/lat degrees).
func docCRS(doc *rawDoc, name string, opt string) (crsMode, string, error) {
	forced, forcedName, ok := parseCRSOption(opt)
	if !ok {
		return 0, "", fileErr(name, ErrSyntax, "unknown CRS %s (want EPSG:4326 or EPSG:2154)", echo(opt, 0))
	}
	if forced != crsRaw {
		return forced, forcedName, nil
	}
	if doc.hasCRS && doc.crs != "" {
		c := strings.ToUpper(doc.crs)
		switch {
		case strings.Contains(c, "2154"):
			return crsL93, CRSL93Declared, nil
		case strings.Contains(c, "CRS84"), strings.HasSuffix(c, ":4326"), strings.HasSuffix(c, "::4326"), c == "EPSG:4326", strings.Contains(c, "WGS84"), strings.Contains(c, "WGS 84"):
			return crsWGS84, CRSWGS84Declared, nil
		}
		return 0, "", fileErr(name, ErrSyntax, "unsupported crs %s (covplan reads EPSG:4326 / CRS84 and EPSG:2154; reproject the file)", echo(doc.crs, 0))
	}
	var pts []orb.Point
	count := func(p orb.Point) {
		if len(pts) < 100000 {
			pts = append(pts, p)
		}
	}
	var walk func(g *rawGeom)
	walk = func(g *rawGeom) {
		switch g.c.d {
		case 1:
			count(g.c.pt)
		case 2:
			for _, p := range g.c.l2 {
				count(p)
			}
		case 3:
			for _, l := range g.c.l3 {
				for _, p := range l {
					count(p)
				}
			}
		case 4:
			for _, pl := range g.c.l4 {
				for _, l := range pl {
					for _, p := range l {
						count(p)
					}
				}
			}
		}
		for i := range g.geoms {
			walk(&g.geoms[i])
		}
	}
	for i := range doc.features {
		walk(&doc.features[i].geom)
	}
	mode, _, ok := voteCRS(pts)
	switch {
	case !ok:
		return 0, "", fileErr(name, ErrRange, "coordinates such as (%g, %g) are neither lon/lat degrees nor Lambert-93 metres; reproject the file to EPSG:4326 or EPSG:2154, or add a crs member", pts[0][0], pts[0][1])
	case mode == crsL93:
		return crsL93, CRSL93Detected, nil
	}
	return crsWGS84, CRSWGS84, nil
}

// ownID is the feature's own id: the first property among names (or the
// explicit one), else its top-level "id"; key says which ("(feature id)"
// for the latter). Both are "" when it has none.
func (f *rawFeature) ownID(names []string, explicit string) (id, key string) {
	if p, ok := findProp(f.props, names, explicit); ok {
		if id = p.idString(); id != "" {
			return id, p.key
		}
	}
	if f.id.kind != propNull {
		if id = f.id.idString(); id != "" {
			return id, "(feature id)"
		}
	}
	return "", ""
}

// findProp returns the first property among names (normalised), or one
// named explicitly.
func findProp(props []prop, names []string, explicit string) (prop, bool) {
	if explicit != "" {
		e := normName(explicit)
		for _, p := range props {
			if p.norm == e && p.kind != propNull {
				return p, true
			}
		}
		return prop{}, false
	}
	for _, n := range names {
		for _, p := range props {
			if p.kind != propNull && p.norm == n {
				return p, true
			}
		}
	}
	return prop{}, false
}

// propKeys collects property names in first-seen order.
func propKeys(doc *rawDoc) []string {
	seen := map[string]bool{}
	var keys []string
	for i := range doc.features {
		for _, p := range doc.features[i].props {
			if !seen[p.key] {
				seen[p.key] = true
				keys = append(keys, p.key)
			}
		}
	}
	return keys
}
