package geodata

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

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
