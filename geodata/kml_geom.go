package geodata

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kmlGeom is one simple KML geometry: typ is "Point", "LineString" or
// "Polygon"; coords holds one list (Point, LineString) or the rings
// (Polygon, outer first) as [lon, lat] text pairs ready for JSON.
type kmlGeom struct {
	typ   string
	rings [][][2]string
}

// readGeom reads one geometry element (start already consumed).
func (pm *kmlPlacemark) readGeom(d *xml.Decoder, start xml.StartElement, depth int) error {
	switch start.Name.Local {
	case "MultiGeometry":
		if depth >= maxKMLGeomDepth {
			return kmlGeomError{"geometry", "MultiGeometry nested too deep"}
		}
		pm.multi = true
		return pm.readMulti(d, depth)
	case "Point", "LineString", "LinearRing":
		return pm.readSimple(d, start)
	case "Polygon":
		return pm.readPolygon(d)
	}
	if pm.other == "" {
		pm.other = start.Name.Local
	}
	return d.Skip()
}

// readMulti reads the members of a MultiGeometry.
func (pm *kmlPlacemark) readMulti(d *xml.Decoder, depth int) error {
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
}

// readSimple reads a Point, LineString or LinearRing (read as a Polygon).
func (pm *kmlPlacemark) readSimple(d *xml.Decoder, start xml.StartElement) error {
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
}

// readPolygon reads a Polygon's outer and inner boundaries.
func (pm *kmlPlacemark) readPolygon(d *xml.Decoder) error {
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
	text, err := kmlText(d, -1)
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
			return nil, kmlGeomError{"coordinates", fmt.Sprintf("position %d %s is not lon,lat[,alt]", len(pos), echo(tuple, 40))}
		}
		var p [2]string
		for j, s := range parts[:np] {
			n, ok := jsonNumber(s)
			if !ok {
				return nil, kmlGeomError{"coordinates", fmt.Sprintf("position %d: %s is not a number", len(pos), echo(s, 40))}
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
