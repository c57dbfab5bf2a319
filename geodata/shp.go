package geodata

import (
	"encoding/binary"
	"math"

	"github.com/paulmach/orb"
)

const (
	shpMagic      = 9994
	shpVersion    = 1000
	shpHeaderSize = 100
)

// readSHP parses the main file.
func (l *ShapefileLayer) readSHP(b []byte, t *tally) error {
	name := l.Name
	if len(b) < shpHeaderSize {
		return fileErr(name, ErrSyntax, "truncated: %d bytes, a .shp header has 100", len(b))
	}
	if code := binary.BigEndian.Uint32(b[0:]); code != shpMagic {
		return fileErr(name, ErrSyntax, "not a shapefile (file code %d, want 9994)", int32(code))
	}
	if v := binary.LittleEndian.Uint32(b[28:]); v != shpVersion {
		return fileErr(name, ErrSyntax, "unsupported shapefile version %d (want 1000)", int32(v))
	}
	l.ShapeType = ShapeType(int32(binary.LittleEndian.Uint32(b[32:])))
	switch l.ShapeType.Base() {
	case ShapeNull, ShapePoint, ShapePolyLine, ShapePolygon, ShapeMultiPoint:
	case ShapeMultiPatch:
		return fileErr(name, ErrGeometry, "MultiPatch shapes are not supported")
	default:
		return fileErr(name, ErrSyntax, "unknown shape type %d", int32(l.ShapeType))
	}
	l.HeaderBound = orb.Bound{Min: orb.Point{f64(b[36:]), f64(b[44:])}, Max: orb.Point{f64(b[52:]), f64(b[60:])}}
	fileLen := int64(binary.BigEndian.Uint32(b[24:])) * 2
	end := int64(len(b))
	switch {
	case fileLen < shpHeaderSize:
		return fileErr(name, ErrSyntax, "header file length %d bytes is shorter than the header", fileLen)
	case fileLen > end:
		return fileErr(name, ErrSyntax, "truncated: the header says %d bytes, the file has %d", fileLen, end)
	}
	end = fileLen // trailing bytes after the declared length are ignored
	off := int64(shpHeaderSize)
	for rec := 0; off < end; rec++ {
		if end-off < 8 {
			return featErr(name, rec, "record header", ErrSyntax, "truncated at byte %d", off)
		}
		n := int64(binary.BigEndian.Uint32(b[off+4:])) * 2
		if n < 4 || n > end-off-8 {
			return featErr(name, rec, "record length", ErrSyntax, "%d bytes at byte %d runs past the end of the file (%d bytes)", n, off, end)
		}
		g, err := l.shape(b[off+8:off+8+n], rec, t)
		if err != nil {
			return err
		}
		l.Geoms = append(l.Geoms, g)
		off += 8 + n
	}
	return nil
}

// finite checks that no coordinate is NaN or infinite.
func finite(pts []orb.Point, name string, rec int) error {
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return featErr(name, rec, "coordinates", ErrRange, "point %d (%g, %g) is not finite", i, p[0], p[1])
		}
	}
	return nil
}

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

// shape decodes one record's content.
func (l *ShapefileLayer) shape(c []byte, rec int, t *tally) (orb.Geometry, error) {
	name := l.Name
	st := ShapeType(int32(binary.LittleEndian.Uint32(c)))
	if st == ShapeNull {
		return nil, nil
	}
	if st != l.ShapeType {
		return nil, featErr(name, rec, "shape type", ErrGeometry, "%s in a file of %s", st, l.ShapeType)
	}
	short := func(need int64) error {
		return featErr(name, rec, "record length", ErrSyntax, "%s needs %d bytes, the record has %d", st, need, len(c))
	}
	switch st.Base() {
	case ShapePoint:
		if len(c) < 20 {
			return nil, short(20)
		}
		p := orb.Point{f64(c[4:]), f64(c[12:])}
		return p, finite([]orb.Point{p}, name, rec)
	case ShapeMultiPoint:
		if len(c) < 40 {
			return nil, short(40)
		}
		np := int64(binary.LittleEndian.Uint32(c[36:]))
		if need := 40 + 16*np; np > int64(len(c)) || need > int64(len(c)) {
			return nil, short(need)
		}
		mp := make(orb.MultiPoint, np)
		for i := range mp {
			o := 40 + 16*i
			mp[i] = orb.Point{f64(c[o:]), f64(c[o+8:])}
		}
		if err := finite(mp, name, rec); err != nil {
			return nil, err
		}
		return mp, nil
	}
	// PolyLine and Polygon: box, NumParts, NumPoints, Parts, Points.
	if len(c) < 44 {
		return nil, short(44)
	}
	nparts := int64(binary.LittleEndian.Uint32(c[36:]))
	npts := int64(binary.LittleEndian.Uint32(c[40:]))
	if nparts > int64(len(c)) || npts > int64(len(c)) {
		return nil, short(44 + 4*nparts + 16*npts)
	}
	if need := 44 + 4*nparts + 16*npts; need > int64(len(c)) {
		return nil, short(need)
	}
	if nparts == 0 || npts == 0 {
		return nil, nil // an empty shape, read as Null
	}
	starts := make([]int, nparts+1)
	for i := range nparts {
		starts[i] = int(int32(binary.LittleEndian.Uint32(c[44+4*i:])))
	}
	starts[nparts] = int(npts)
	if starts[0] != 0 {
		return nil, featErr(name, rec, "parts", ErrGeometry, "the first part starts at point %d, want 0", starts[0])
	}
	for i := 1; i <= int(nparts); i++ {
		if starts[i] < starts[i-1] || starts[i] > int(npts) {
			return nil, featErr(name, rec, "parts", ErrGeometry, "part %d starts at point %d, out of order or past the %d points", i, starts[i], npts)
		}
	}
	pts := make([]orb.Point, npts)
	po := 44 + 4*int(nparts)
	for i := range pts {
		pts[i] = orb.Point{f64(c[po+16*i:]), f64(c[po+16*i+8:])}
	}
	if err := finite(pts, name, rec); err != nil {
		return nil, err
	}
	if st.Base() == ShapePolyLine {
		ml := make(orb.MultiLineString, 0, nparts)
		for i := range int(nparts) {
			ml = append(ml, orb.LineString(pts[starts[i]:starts[i+1]:starts[i+1]]))
		}
		if len(ml) == 1 {
			return ml[0], nil
		}
		return ml, nil
	}
	rings := make([]orb.Ring, 0, nparts)
	for i := range int(nparts) {
		rings = append(rings, orb.Ring(pts[starts[i]:starts[i+1]:starts[i+1]]))
	}
	return assemblePolygon(rings, t), nil
}

// assemblePolygon groups rings into polygons: clockwise rings are outer
// rings, counter-clockwise ones holes of the smallest outer ring that
// contains them. If some hole is in no outer ring, it nests all the rings
// by containment instead (a ring inside an odd number of others is a hole).
func assemblePolygon(rings []orb.Ring, t *tally) orb.Geometry {
	n := len(rings)
	area := make([]float64, n)
	bound := make([]orb.Bound, n)
	for i, r := range rings {
		area[i] = signedArea(r)
		bound[i] = r.Bound()
	}
	// in reports whether ring i lies in ring j, bounding boxes first.
	in := func(i, j int) bool {
		return bound[j].Contains(bound[i].Min) && bound[j].Contains(bound[i].Max) && ringInRing(rings[i], rings[j])
	}
	parent := make([]int, n)                          // outer ring index of each hole, -1 for an outer ring
	outer := func(i int) bool { return area[i] <= 0 } // clockwise (or degenerate)
	ok := true
	for i := range rings {
		parent[i] = -1
		if outer(i) {
			continue
		}
		best := -1
		for j := range rings {
			if j != i && outer(j) && in(i, j) && (best < 0 || math.Abs(area[j]) < math.Abs(area[best])) {
				best = j
			}
		}
		if best < 0 {
			ok = false
			break
		}
		parent[i] = best
	}
	if !ok {
		t.warn("ring orientation does not follow the specification (rings nested by containment)")
		// Depth by containment; a ring's parent is its smallest container.
		depth := make([]int, n)
		for i := range rings {
			parent[i] = -1
			best := -1
			for j := range rings {
				if j != i && math.Abs(area[j]) > math.Abs(area[i]) && in(i, j) {
					depth[i]++
					if best < 0 || math.Abs(area[j]) < math.Abs(area[best]) {
						best = j
					}
				}
			}
			if depth[i]%2 == 1 {
				parent[i] = best
			}
		}
		// An island inside a hole has an odd-depth container as its
		// smallest one: it is an outer ring of its own.
		for i := range rings {
			if parent[i] >= 0 && depth[parent[i]]%2 == 1 {
				parent[i] = -1
			}
		}
	}
	var mp orb.MultiPolygon
	index := make([]int, n)
	for i := range rings {
		if parent[i] < 0 {
			index[i] = len(mp)
			mp = append(mp, orb.Polygon{rings[i]})
		}
	}
	for i := range rings {
		if p := parent[i]; p >= 0 {
			mp[index[p]] = append(mp[index[p]], rings[i])
		}
	}
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}

// signedArea is the shoelace area, positive for counter-clockwise rings
// (x right, y up), computed relative to the first vertex for precision in
// metres.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		s += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return s / 2
}

// ringInRing reports whether inner lies in outer: the first of its
// vertices that is not on outer's boundary is inside (rings that share
// every vertex count as not contained).
func ringInRing(inner, outer orb.Ring) bool {
	for _, p := range inner {
		switch pointInRing(p, outer) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return false
}

// pointInRing is 1 inside, -1 outside, 0 on the boundary (crossing rule).
func pointInRing(p orb.Point, r orb.Ring) int {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[j], r[i]
		if onSegment(p, a, b) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

func onSegment(p, a, b orb.Point) bool {
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	if cross != 0 {
		return false
	}
	return p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) && p[1] >= math.Min(a[1], b[1]) && p[1] <= math.Max(a[1], b[1])
}
