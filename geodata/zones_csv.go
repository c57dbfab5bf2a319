package geodata

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// zoneGeomNames are the columns a zones CSV takes its geometry from: WKT
// (QGIS writes wkt_geom, PostGIS and GDAL WKT or geom) or a GeoJSON
// geometry (the "Geo Shape" of Opendatasoft portals).
var zoneGeomNames = []string{"wkt", "wkt_geom", "geometry", "geom", "the_geom", "geometrie", "geo_shape", "geoshape", "shape", "geojson"}

// readZonesCSV reads a CSV of zones: one row a zone, its geometry in a
// WKT column (POLYGON or MULTIPOLYGON, with an optional EWKT "SRID=n;"
// prefix, Z and M values dropped) or a GeoJSON column, its other columns
// properties (id, name, population as in ReadZones). The separator (',',
// ';' or tab), BOM and encoding are detected as for point CSV files; a
// WKT cell must be quoted when the separator is ','. Features are the
// data rows in order; errors name the line.
func readZonesCSV(br *bufio.Reader, name string, opt ZoneOptions) (*rawDoc, crsMode, string, error) {
	maxRec := opt.Limits.recordBytes(DefaultMaxZoneRecordBytes)
	h, err := readCSVHeader(br, name, 0, maxRec)
	if err != nil {
		return nil, 0, "", err
	}
	norm := make([]string, len(h.header))
	for i, c := range h.header {
		norm[i] = normName(c)
	}
	geo := pick(norm, zoneGeomNames, "")
	if geo < 0 {
		return nil, 0, "", &Error{File: name, Line: h.hdrLine, Feature: -1, Offset: -1, Err: ErrNoCoordinates,
			Msg: "not GeoJSON, and as CSV no geometry column (want a WKT or GeoJSON column named wkt, wkt_geom, geometry, geom, the_geom or geo_shape); columns found: " + echoList(h.header, opt.Limits.echoBytes())}
	}
	doc := &rawDoc{typ: "FeatureCollection", columns: h.header}
	srids := map[string]int{}
	err = h.eachRecord(br, func(p *csvParser, data []byte, line int) error {
		if len(p.fs) != len(h.header) {
			return lineErr(name, line, "", ErrSyntax, "%d fields, the header has %d (separator %q; a WKT cell that holds the separator must be quoted)", len(p.fs), len(h.header), p.sep)
		}
		i := len(doc.features)
		f := rawFeature{index: i, typ: "Feature"}
		for k := range h.header {
			if k == geo {
				continue
			}
			v := string(p.field(data, k))
			pr := prop{key: h.header[k], norm: norm[k], kind: propString, text: v}
			if strings.TrimSpace(v) == "" {
				pr.kind = propNull
			}
			f.props = append(f.props, pr)
		}
		cell := bytes.TrimSpace(p.field(data, geo))
		g, srid, msg := parseGeomCell(cell, name)
		if msg != "" {
			e := lineErr(name, line, h.header[geo], ErrGeometry, "%s", msg)
			e.Feature = i
			return e
		}
		if srid != "" {
			srids[srid]++
		}
		f.geom = g
		doc.features = append(doc.features, f)
		doc.lines = append(doc.lines, line)
		return nil
	})
	if err != nil {
		return nil, 0, "", err
	}
	if len(srids) == 1 {
		for s := range srids {
			doc.hasCRS, doc.crs = true, "EPSG:"+s
		}
	}
	crs, crsName, err := docCRS(doc, name, opt.CRS)
	if err != nil {
		return nil, 0, "", err
	}
	return doc, crs, crsName, nil
}

// eachRecord calls fn for every record after the header, in order, with
// the parser holding the record's fields; a record longer than h.maxRec
// is an error.
func (h *csvHead) eachRecord(br *bufio.Reader, fn func(p *csvParser, data []byte, line int) error) error {
	p := h.p
	buf := append(make([]byte, 0, max(csvChunkSize, 2*len(h.body))), h.body...)
	eof := h.eof
	line := h.hdrLines + 1
	for {
		if !eof && len(buf) < cap(buf) {
			var err error
			if buf, eof, err = fill(br, buf); err != nil {
				return fileErr(h.name, ErrSyntax, "reading: %v", err)
			}
		}
		cut := len(buf)
		if !eof {
			cut = lastRecordEnd(buf, p.sep)
		}
		if cut < 0 { // a record longer than the buffer
			if len(buf) > h.maxRec {
				return limitErr(h.name, line, "the record", int64(h.maxRec), "--max-record-bytes")
			}
			buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
			continue
		}
		data := buf[:cut]
		if h.cp1252 {
			data = appendCP1252(nil, data)
		}
		for i := 0; i < len(data); {
			if data[i] == '\n' || data[i] == '\r' {
				if data[i] == '\n' {
					line++
				}
				i++
				continue
			}
			next, nl, err := p.splitRecord(data, i, line)
			if err != nil {
				return err
			}
			if len(p.fs) == 1 && len(bytes.TrimSpace(data[p.fs[0].start:p.fs[0].end])) == 0 {
				i, line = next, line+nl
				continue
			}
			if err := fn(p, data, line); err != nil {
				return err
			}
			i, line = next, line+nl
		}
		if eof {
			return nil
		}
		buf = append(buf[:0], buf[cut:]...)
	}
}

// parseGeomCell reads a zone's geometry from a CSV cell: WKT, or a
// GeoJSON geometry object. It returns the EWKT SRID when given, or a
// problem.
func parseGeomCell(cell []byte, name string) (rawGeom, string, string) {
	if len(cell) == 0 {
		return rawGeom{isNull: true}, "", ""
	}
	if cell[0] == '{' {
		s := &jscan{b: cell, name: name}
		g, err := s.geometry(0)
		if err != nil {
			return rawGeom{}, "", "invalid GeoJSON geometry: " + problem(err)
		}
		return g, "", ""
	}
	return parseWKTPolygonal(cell)
}

// parseWKTPolygonal parses WKT POLYGON or MULTIPOLYGON (Z, M and ZM
// accepted, their extra ordinates dropped; EMPTY is a null geometry).
func parseWKTPolygonal(s []byte) (rawGeom, string, string) {
	srid := ""
	if len(s) > 5 && bytes.EqualFold(s[:5], []byte("SRID=")) {
		k := bytes.IndexByte(s, ';')
		if k < 0 {
			return rawGeom{}, "", "EWKT without ';' after SRID=n"
		}
		srid = strings.TrimSpace(string(s[5:k]))
		if _, err := strconv.Atoi(srid); err != nil {
			return rawGeom{}, "", "bad EWKT SRID " + echo(srid, 20)
		}
		s = bytes.TrimSpace(s[k+1:])
	}
	w := &wktScan{b: s}
	kw := strings.ToUpper(w.word())
	var g rawGeom
	switch kw {
	case "POLYGON":
		g.typ = "Polygon"
	case "MULTIPOLYGON":
		g.typ = "MultiPolygon"
	case "":
		return g, "", "not WKT: " + echo(string(s), 40)
	default:
		return g, "", kw + " is not a POLYGON or MULTIPOLYGON"
	}
	if dim := strings.ToUpper(w.word()); dim != "" && dim != "Z" && dim != "M" && dim != "ZM" {
		if dim == "EMPTY" {
			return rawGeom{isNull: true}, srid, ""
		}
		return g, "", "unexpected " + echo(dim, 20) + " after " + kw
	}
	if e := strings.ToUpper(w.word()); e == "EMPTY" {
		return rawGeom{isNull: true}, srid, ""
	} else if e != "" {
		return g, "", "unexpected " + echo(e, 20) + " after " + kw
	}
	g.hasC = true
	var err string
	if g.typ == "Polygon" {
		g.c.l3, err = w.rings()
		g.c.d = 3
	} else {
		err = w.expect('(')
		for err == "" {
			var p [][]orb.Point
			if p, err = w.rings(); err != "" {
				break
			}
			g.c.l4 = append(g.c.l4, p)
			if !w.more() {
				break
			}
		}
		if err == "" {
			err = w.expect(')')
		}
		g.c.d = 4
	}
	if err == "" && w.skipSpace() < len(w.b) {
		err = "unexpected text after the geometry at byte " + strconv.Itoa(w.i)
	}
	if err != "" {
		return rawGeom{}, "", "bad WKT " + kw + ": " + err
	}
	return g, srid, ""
}

// wktScan scans WKT text.
type wktScan struct {
	b []byte
	i int
}

func (w *wktScan) skipSpace() int {
	for w.i < len(w.b) && (w.b[w.i] == ' ' || w.b[w.i] == '\t' || w.b[w.i] == '\n' || w.b[w.i] == '\r') {
		w.i++
	}
	return w.i
}

// word reads a keyword (letters), "" when the next token is not one.
func (w *wktScan) word() string {
	start := w.skipSpace()
	for w.i < len(w.b) && (w.b[w.i] >= 'A' && w.b[w.i] <= 'Z' || w.b[w.i] >= 'a' && w.b[w.i] <= 'z') {
		w.i++
	}
	return string(w.b[start:w.i])
}

func (w *wktScan) expect(c byte) string {
	if w.skipSpace() < len(w.b) && w.b[w.i] == c {
		w.i++
		return ""
	}
	if w.i >= len(w.b) {
		return "expected '" + string(c) + "', found the end"
	}
	return "expected '" + string(c) + "' at byte " + strconv.Itoa(w.i)
}

// more consumes a ',' and reports whether there was one.
func (w *wktScan) more() bool {
	if w.skipSpace() < len(w.b) && w.b[w.i] == ',' {
		w.i++
		return true
	}
	return false
}

// rings reads "((x y, x y, ...), (...))".
func (w *wktScan) rings() ([][]orb.Point, string) {
	if err := w.expect('('); err != "" {
		return nil, err
	}
	var rs [][]orb.Point
	for {
		if err := w.expect('('); err != "" {
			return nil, err
		}
		var r []orb.Point
		for {
			var p orb.Point
			for k := 0; ; k++ {
				w.skipSpace()
				start := w.i
				for w.i < len(w.b) && w.b[w.i] != ' ' && w.b[w.i] != ',' && w.b[w.i] != ')' && w.b[w.i] != '\t' && w.b[w.i] != '\n' && w.b[w.i] != '\r' {
					w.i++
				}
				if start == w.i {
					if k < 2 {
						return nil, "a position needs 2 numbers at byte " + strconv.Itoa(w.i)
					}
					break
				}
				v, ok := parseFloat(w.b[start:w.i], false)
				if !ok {
					return nil, "not a number: " + echo(string(w.b[start:w.i]), 30)
				}
				if k < 2 {
					p[k] = v
				} else if k > 3 {
					return nil, "more than 4 ordinates at byte " + strconv.Itoa(start)
				}
			}
			r = append(r, p)
			if !w.more() {
				break
			}
		}
		if err := w.expect(')'); err != "" {
			return nil, err
		}
		rs = append(rs, r)
		if !w.more() {
			break
		}
	}
	return rs, w.expect(')')
}
