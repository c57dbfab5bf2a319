package geodata

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// GeoPackage geometry blobs (GeoPackage 1.3 §2.1.3): a header, then the
// geometry in ISO Well-Known Binary.
//
//	offset  size  field
//	0       2     magic "GP"
//	2       1     version (0 = version 1)
//	3       1     flags: bit 5 X (extended type), bit 4 E (empty),
//	              bits 3..1 envelope code, bit 0 B (byte order of the
//	              header's srs_id and envelope: 1 little-endian)
//	4       4     srs_id (int32)
//	8       0/32/48/64  envelope: minx maxx miny maxy [minz maxz] [minm maxm]
//	...           WKB geometry
const (
	gpFlagLittle   = 0x01
	gpFlagEmpty    = 0x10
	gpFlagExtended = 0x20
	gpHeaderSize   = 8
)

// WKB geometry type codes (ISO 13249-3 / OGC 06-103r4), without the
// Z/M thousands.
const (
	wkbPoint           = 1
	wkbLineString      = 2
	wkbPolygon         = 3
	wkbMultiPoint      = 4
	wkbMultiLineString = 5
	wkbMultiPolygon    = 6
	wkbCollection      = 7
)

var wkbTypeNames = [...]string{
	1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon",
	7: "GeometryCollection", 8: "CircularString", 9: "CompoundCurve", 10: "CurvePolygon", 11: "MultiCurve",
	12: "MultiSurface", 13: "Curve", 14: "Surface", 15: "PolyhedralSurface", 16: "TIN", 17: "Triangle",
}

// gpBlob is a decoded GeoPackage geometry.
type gpBlob struct {
	srsID int32
	// geom is nil for an empty geometry (the E flag, a NaN Point, or a
	// LineString, Polygon or Multi* without positions).
	geom orb.Geometry
	// zm is "Z", "M" or "ZM" when such values were read and dropped.
	zm string
	// emptyParts counts empty members dropped from a Multi*.
	emptyParts int
	// trailing is the number of bytes after the WKB geometry.
	trailing int
}

var errWKBShort = errors.New("truncated geometry")

// parseGPBlob decodes a GeoPackage geometry blob. It never panics and
// allocates no more than the blob's own size justifies: every count is
// checked against the bytes left before anything is allocated.
func parseGPBlob(b []byte) (gpBlob, error) {
	var g gpBlob
	if len(b) < gpHeaderSize {
		return g, fmt.Errorf("a GeoPackage geometry blob has at least %d bytes, found %d", gpHeaderSize, len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return g, fmt.Errorf("not a GeoPackage geometry blob (starts with % x, want \"GP\")", b[:2])
	}
	if b[2] != 0 {
		return g, fmt.Errorf("GeoPackage geometry blob version %d is not supported (want 0, version 1)", b[2])
	}
	flags := b[3]
	if flags&gpFlagExtended != 0 {
		return g, errors.New("extended GeoPackage geometry (non-standard geometry type) is not supported")
	}
	if flags&0xC0 != 0 {
		return g, fmt.Errorf("reserved flag bits set (flags 0x%02x)", flags)
	}
	var hbo binary.ByteOrder = binary.BigEndian
	if flags&gpFlagLittle != 0 {
		hbo = binary.LittleEndian
	}
	g.srsID = int32(hbo.Uint32(b[4:8]))
	envSize := 0
	switch code := (flags >> 1) & 0x07; code {
	case 0:
	case 1:
		envSize = 32
	case 2, 3:
		envSize = 48
	case 4:
		envSize = 64
	default:
		return g, fmt.Errorf("invalid envelope code %d (flags 0x%02x)", code, flags)
	}
	if len(b) < gpHeaderSize+envSize {
		return g, fmt.Errorf("the blob ends inside its %d-byte envelope", envSize)
	}
	wkb := b[gpHeaderSize+envSize:]
	if flags&gpFlagEmpty != 0 && len(wkb) == 0 {
		return g, nil // empty, and no WKB at all: tolerated
	}
	r := wkbReader{b: wkb}
	geom, err := r.geometry(0)
	if err != nil {
		return g, err
	}
	g.geom, g.emptyParts, g.trailing = geom, r.emptyParts, len(r.b)-r.off
	switch {
	case r.z && r.m:
		g.zm = "ZM"
	case r.z:
		g.zm = "Z"
	case r.m:
		g.zm = "M"
	}
	if flags&gpFlagEmpty != 0 {
		g.geom = nil
	}
	return g, nil
}

// wkbReader reads ISO WKB (and the common extended-WKB Z/M flags).
type wkbReader struct {
	b          []byte
	off        int
	z, m       bool // Z or M values were seen (and dropped)
	emptyParts int
}

func (r *wkbReader) left() int { return len(r.b) - r.off }

// header reads a geometry's byte order and type: the base type code
// (1..17) and its number of coordinates per position.
func (r *wkbReader) header() (binary.ByteOrder, int, int, error) {
	if r.left() < 5 {
		return nil, 0, 0, errWKBShort
	}
	var bo binary.ByteOrder
	switch r.b[r.off] {
	case 0:
		bo = binary.BigEndian
	case 1:
		bo = binary.LittleEndian
	default:
		return nil, 0, 0, fmt.Errorf("WKB byte order %d at byte %d (want 0 or 1)", r.b[r.off], r.off)
	}
	t := bo.Uint32(r.b[r.off+1:])
	r.off += 5
	if t&0x20000000 != 0 {
		return nil, 0, 0, errors.New("WKB with an embedded SRID (EWKB) is not GeoPackage WKB")
	}
	z, m := t&0x80000000 != 0, t&0x40000000 != 0
	t &= 0x0FFFFFFF
	switch t / 1000 {
	case 0:
	case 1:
		z = true
	case 2:
		m = true
	case 3:
		z, m = true, true
	default:
		return nil, 0, 0, fmt.Errorf("unknown WKB geometry type %d", t)
	}
	base := int(t % 1000)
	if base < 1 || base >= len(wkbTypeNames) {
		return nil, 0, 0, fmt.Errorf("unknown WKB geometry type %d", t)
	}
	r.z, r.m = r.z || z, r.m || m
	dims := 2
	if z {
		dims++
	}
	if m {
		dims++
	}
	return bo, base, dims, nil
}

// count reads a uint32 count of items of at least minSize bytes each and
// checks that they fit in what is left.
func (r *wkbReader) count(bo binary.ByteOrder, minSize int, what string) (int, error) {
	if r.left() < 4 {
		return 0, errWKBShort
	}
	n := int(bo.Uint32(r.b[r.off:]))
	r.off += 4
	if n > r.left()/minSize {
		return 0, fmt.Errorf("%d %s do not fit in the %d bytes left", n, what, r.left())
	}
	return n, nil
}

// positions reads n positions of dims coordinates, keeping x and y.
func (r *wkbReader) positions(bo binary.ByteOrder, n, dims int) ([]orb.Point, error) {
	if n > r.left()/(8*dims) {
		return nil, errWKBShort
	}
	pts := make([]orb.Point, n)
	for i := range pts {
		x := math.Float64frombits(bo.Uint64(r.b[r.off:]))
		y := math.Float64frombits(bo.Uint64(r.b[r.off+8:]))
		r.off += 8 * dims
		if !finiteXY(x, y) {
			return nil, fmt.Errorf("position %d (%g, %g) is not a finite number", i, x, y)
		}
		pts[i] = orb.Point{x, y}
	}
	return pts, nil
}

func finiteXY(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
}

// geometry reads one WKB geometry. want restricts the type (0: any of the
// six supported ones; a Multi* asks for its single type, so nesting is one
// level deep at most). An empty geometry is returned as nil.
func (r *wkbReader) geometry(want int) (orb.Geometry, error) {
	start := r.off
	bo, t, dims, err := r.header()
	if err != nil {
		return nil, err
	}
	if want != 0 && t != want {
		return nil, fmt.Errorf("a %s member of a %s at byte %d", wkbTypeNames[t], wkbTypeNames[want+3], start)
	}
	switch t {
	case wkbPoint:
		if r.left() < 8*dims {
			return nil, errWKBShort
		}
		x := math.Float64frombits(bo.Uint64(r.b[r.off:]))
		y := math.Float64frombits(bo.Uint64(r.b[r.off+8:]))
		r.off += 8 * dims
		if math.IsNaN(x) && math.IsNaN(y) {
			return nil, nil // the WKB encoding of POINT EMPTY
		}
		if !finiteXY(x, y) {
			return nil, fmt.Errorf("point (%g, %g) is not a finite number", x, y)
		}
		return orb.Point{x, y}, nil
	case wkbLineString:
		n, err := r.count(bo, 8*dims, "positions")
		if err != nil {
			return nil, err
		}
		pts, err := r.positions(bo, n, dims)
		if err != nil || n == 0 {
			return nil, err
		}
		return orb.LineString(pts), nil
	case wkbPolygon:
		n, err := r.count(bo, 4, "rings")
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		p := make(orb.Polygon, n)
		empty := true
		for k := range p {
			m, err := r.count(bo, 8*dims, "positions")
			if err != nil {
				return nil, fmt.Errorf("ring %d: %w", k, err)
			}
			pts, err := r.positions(bo, m, dims)
			if err != nil {
				return nil, fmt.Errorf("ring %d: %w", k, err)
			}
			p[k] = orb.Ring(pts)
			empty = empty && m == 0
		}
		if empty {
			return nil, nil // rings without positions: an empty polygon
		}
		return p, nil
	case wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon:
		n, err := r.count(bo, 5+4, "members")
		if err != nil {
			return nil, err
		}
		var mp orb.MultiPoint
		var ml orb.MultiLineString
		var mpoly orb.MultiPolygon
		for k := range n {
			g, err := r.geometry(t - 3)
			if err != nil {
				return nil, fmt.Errorf("member %d: %w", k, err)
			}
			switch g := g.(type) {
			case nil:
				r.emptyParts++
			case orb.Point:
				mp = append(mp, g)
			case orb.LineString:
				ml = append(ml, g)
			case orb.Polygon:
				mpoly = append(mpoly, g)
			}
		}
		switch {
		case len(mp) > 0:
			return mp, nil
		case len(ml) > 0:
			return ml, nil
		case len(mpoly) > 0:
			return mpoly, nil
		}
		return nil, nil
	}
	return nil, fmt.Errorf("%s geometries are not supported (covplan reads Point, LineString, Polygon and their Multi forms; convert it, e.g. ogr2ogr -explodecollections -nlt CONVERT_TO_LINEAR)", wkbTypeNames[t])
}

// appendGPBlob appends g as a GeoPackage geometry blob: little-endian
// header with srsID, an envelope [minx maxx miny maxy] except for points
// (GeoPackage's recommended space saving), and little-endian 2D WKB. An
// empty g (a Multi* or Polygon with no member, a LineString with no
// position) gets the E flag and no envelope. g must be one of the six
// supported types with finite coordinates.
func appendGPBlob(dst []byte, g orb.Geometry, srsID int32) ([]byte, error) {
	flags := byte(gpFlagLittle)
	empty := isEmptyGeom(g)
	_, isPoint := g.(orb.Point)
	switch {
	case empty:
		flags |= gpFlagEmpty
	case !isPoint:
		flags |= 1 << 1 // envelope code 1: minx maxx miny maxy
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(srsID))
	if flags&0x0E != 0 {
		b, ok := geomBound(g)
		if !ok {
			return dst, errors.New("a coordinate is not a finite number")
		}
		for _, v := range [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
	}
	return appendWKB(dst, g)
}

// isEmptyGeom reports whether g has no position.
func isEmptyGeom(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return false
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if len(r) > 0 {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmptyGeom(p) {
				return false
			}
		}
	}
	return true
}

// geomBound is the bounding box of every position of g (orb's Bound of a
// Polygon looks at the outer ring only); ok is false when a coordinate is
// not finite or g has no position.
func geomBound(g orb.Geometry) (orb.Bound, bool) {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	ok := true
	add := func(ps []orb.Point) {
		for _, p := range ps {
			if !finiteXY(p[0], p[1]) {
				ok = false
			}
			b.Min[0], b.Min[1] = min(b.Min[0], p[0]), min(b.Min[1], p[1])
			b.Max[0], b.Max[1] = max(b.Max[0], p[0]), max(b.Max[1], p[1])
		}
	}
	eachPositions(g, add)
	return b, ok && b.Min[0] <= b.Max[0]
}

// eachPositions calls f with every run of positions of g (a point, a
// line, a ring).
func eachPositions(g orb.Geometry, f func([]orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		f([]orb.Point{g})
	case orb.MultiPoint:
		f(g)
	case orb.LineString:
		f(g)
	case orb.MultiLineString:
		for _, l := range g {
			f(l)
		}
	case orb.Polygon:
		for _, r := range g {
			f(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				f(r)
			}
		}
	}
}

// appendWKB appends g as little-endian 2D ISO WKB.
func appendWKB(dst []byte, g orb.Geometry) ([]byte, error) {
	le := binary.LittleEndian
	head := func(t uint32, n int) {
		dst = le.AppendUint32(append(dst, 1), t)
		if t != wkbPoint {
			dst = le.AppendUint32(dst, uint32(n)) // positions, rings or members
		}
	}
	xy := func(p orb.Point) {
		dst = le.AppendUint64(dst, math.Float64bits(p[0]))
		dst = le.AppendUint64(dst, math.Float64bits(p[1]))
	}
	line := func(ps []orb.Point) {
		head(wkbLineString, len(ps))
		for _, p := range ps {
			xy(p)
		}
	}
	poly := func(p orb.Polygon) {
		head(wkbPolygon, len(p))
		for _, r := range p {
			dst = le.AppendUint32(dst, uint32(len(r)))
			for _, q := range r {
				xy(q)
			}
		}
	}
	switch g := g.(type) {
	case orb.Point:
		head(wkbPoint, 1)
		xy(g)
	case orb.LineString:
		line(g)
	case orb.Polygon:
		poly(g)
	case orb.MultiPoint:
		head(wkbMultiPoint, len(g))
		for _, p := range g {
			head(wkbPoint, 1)
			xy(p)
		}
	case orb.MultiLineString:
		head(wkbMultiLineString, len(g))
		for _, l := range g {
			line(l)
		}
	case orb.MultiPolygon:
		head(wkbMultiPolygon, len(g))
		for _, p := range g {
			poly(p)
		}
	default:
		return dst, fmt.Errorf("a %T cannot be written (want Point, LineString, Polygon or their Multi forms)", g)
	}
	return dst, nil
}

// gpkgTypeName is the GeoPackage geometry type name of g ("POINT"...).
func gpkgTypeName(g orb.Geometry) string {
	switch g.(type) {
	case orb.Point:
		return "POINT"
	case orb.LineString:
		return "LINESTRING"
	case orb.Polygon:
		return "POLYGON"
	case orb.MultiPoint:
		return "MULTIPOINT"
	case orb.MultiLineString:
		return "MULTILINESTRING"
	case orb.MultiPolygon:
		return "MULTIPOLYGON"
	}
	return "GEOMETRY"
}
