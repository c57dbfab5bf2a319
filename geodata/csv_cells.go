package geodata

import (
	"bytes"

	"github.com/paulmach/orb"
)

// parsePoint2D parses "lat, lon".
func parsePoint2D(g []byte) (orb.Point, bool) {
	i := bytes.Index(g, []byte(", "))
	if i < 0 {
		i = bytes.IndexByte(g, ',')
	}
	if i < 0 {
		return orb.Point{}, false
	}
	lat, ok1 := parseFloat(g[:i], false)
	lon, ok2 := parseFloat(g[i+1:], false)
	return orb.Point{lon, lat}, ok1 && ok2
}

// parseGeoShapePoint reads the coordinates of a GeoJSON Point written in a
// CSV cell. It returns a skip reason, or "".
func parseGeoShapePoint(g []byte) (orb.Point, string) {
	t := bytes.Index(g, []byte(`"type"`))
	if t >= 0 {
		rest := bytes.TrimLeft(g[t+6:], " \t:")
		if !bytes.HasPrefix(rest, []byte(`"Point"`)) {
			return orb.Point{}, "geo_shape is not a Point"
		}
	}
	c := bytes.Index(g, []byte(`"coordinates"`))
	if c < 0 {
		return orb.Point{}, "bad geo_shape"
	}
	s := g[c+13:]
	o := bytes.IndexByte(s, '[')
	e := bytes.IndexByte(s, ']')
	if o < 0 || e < o {
		return orb.Point{}, "bad geo_shape"
	}
	nums := s[o+1 : e]
	k := bytes.IndexByte(nums, ',')
	if k < 0 {
		return orb.Point{}, "bad geo_shape"
	}
	second := nums[k+1:]
	if k2 := bytes.IndexByte(second, ','); k2 >= 0 {
		second = second[:k2] // ignore z
	}
	x, ok1 := parseFloat(bytes.TrimSpace(nums[:k]), false)
	y, ok2 := parseFloat(bytes.TrimSpace(second), false)
	if !ok1 || !ok2 {
		return orb.Point{}, "bad geo_shape"
	}
	return orb.Point{x, y}, ""
}

// parseWKTPoint reads "POINT (x y)", "POINT Z (x y z)", "point(x y)", with
// an optional EWKT "SRID=n;" prefix. It returns a skip reason, or "".
func parseWKTPoint(g []byte) (orb.Point, string) {
	s := bytes.TrimSpace(g)
	if len(s) >= 5 && (s[0] == 'S' || s[0] == 's') {
		if i := bytes.IndexByte(s, ';'); i >= 0 {
			s = bytes.TrimSpace(s[i+1:])
		}
	}
	if len(s) < 5 || !bytes.EqualFold(s[:5], []byte("POINT")) {
		if len(s) == 0 {
			return orb.Point{}, "empty geometry"
		}
		return orb.Point{}, "wkt is not a POINT"
	}
	s = bytes.TrimSpace(s[5:])
	for len(s) > 0 && (s[0] == 'Z' || s[0] == 'z' || s[0] == 'M' || s[0] == 'm') {
		s = bytes.TrimSpace(s[1:])
	}
	if len(s) >= 5 && bytes.EqualFold(s[:5], []byte("EMPTY")) {
		return orb.Point{}, "empty geometry"
	}
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return orb.Point{}, "bad wkt"
	}
	parts := bytes.Fields(s[1 : len(s)-1])
	if len(parts) < 2 || len(parts) > 4 {
		return orb.Point{}, "bad wkt"
	}
	x, ok1 := parseFloat(parts[0], false)
	y, ok2 := parseFloat(parts[1], false)
	if !ok1 || !ok2 {
		return orb.Point{}, "bad wkt"
	}
	return orb.Point{x, y}, ""
}

// detectSep picks the separator among ',', ';' and tab that occurs most in
// the header line outside quotes (',' on a tie).
func detectSep(header []byte) byte {
	var n [3]int
	inQ := false
	for _, c := range header {
		switch c {
		case '"':
			inQ = !inQ
		case ',':
			if !inQ {
				n[0]++
			}
		case ';':
			if !inQ {
				n[1]++
			}
		case '\t':
			if !inQ {
				n[2]++
			}
		}
	}
	switch {
	case n[1] > n[0] && n[1] >= n[2]:
		return ';'
	case n[2] > n[0] && n[2] > n[1]:
		return '\t'
	}
	return ','
}
