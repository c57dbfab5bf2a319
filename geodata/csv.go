package geodata

import (
	"bytes"
	"math"
	"strconv"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

const (
	crsRaw   crsMode = iota // keep as read (sampling)
	crsWGS84                // lon/lat degrees
	crsL93                  // Lambert-93 metres, converted with the inverse
)

type span struct {
	start, end int32
	esc        bool // quoted with "" escapes inside
}

// csvParser parses whole records of one CSV file. One per goroutine.
type csvParser struct {
	name    string
	sep     byte
	comma   bool // decimal comma allowed
	ncols   int
	f       *fieldSet
	crs     crsMode
	fs      []span
	scratch []byte
	kinds   map[string]coverage.Kind
}

func (p *csvParser) clone() *csvParser {
	q := *p
	q.fs, q.scratch, q.kinds = nil, nil, make(map[string]coverage.Kind)
	return &q
}

// field returns the bytes of field i of the current record, unescaped.
func (p *csvParser) field(data []byte, i int) []byte {
	s := p.fs[i]
	b := data[s.start:s.end]
	if !s.esc {
		return b
	}
	p.scratch = p.scratch[:0]
	for j := 0; j < len(b); j++ {
		p.scratch = append(p.scratch, b[j])
		if b[j] == '"' && j+1 < len(b) && b[j+1] == '"' {
			j++
		}
	}
	return p.scratch
}

// splitRecord splits the record starting at data[i] into p.fs and returns
// the index after it and the number of newlines it spans.
func (p *csvParser) splitRecord(data []byte, i int, line int) (next, nl int, err error) {
	p.fs = p.fs[:0]
	sep := p.sep
	for {
		if i < len(data) && data[i] == '"' {
			j := i + 1
			esc := false
			for {
				k := bytes.IndexByte(data[j:], '"')
				if k < 0 {
					return 0, 0, lineErr(p.name, line, "", ErrSyntax, "unterminated quoted field")
				}
				nl += bytes.Count(data[j:j+k], []byte{'\n'})
				j += k
				if j+1 < len(data) && data[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			p.fs = append(p.fs, span{int32(i + 1), int32(j), esc})
			i = j + 1
			if i < len(data) && data[i] == '\r' {
				i++
			}
			if i < len(data) && data[i] != sep && data[i] != '\n' {
				return 0, 0, lineErr(p.name, line+nl, "", ErrSyntax, "unexpected %q after a closing quote", data[i])
			}
		} else {
			start := i
			for i < len(data) && data[i] != sep && data[i] != '\n' {
				i++
			}
			end := i
			if end > start && data[end-1] == '\r' {
				end--
			}
			p.fs = append(p.fs, span{int32(start), int32(end), false})
		}
		if i >= len(data) {
			return i, nl, nil
		}
		if data[i] == sep {
			i++
			continue
		}
		// data[i] == '\n'
		return i + 1, nl + 1, nil
	}
}

// parseChunk parses the whole records in data, whose first byte is on line
// firstLine, into b.
func (p *csvParser) parseChunk(data []byte, firstLine int, b *pointBatch) error {
	line := firstLine
	for i := 0; i < len(data); {
		// Blank lines are not records.
		if data[i] == '\n' {
			i++
			line++
			continue
		}
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i += 2
			line++
			continue
		}
		next, nl, err := p.splitRecord(data, i, line)
		if err != nil {
			return err
		}
		if len(p.fs) == 1 && p.ncols > 1 && len(bytes.TrimSpace(data[p.fs[0].start:p.fs[0].end])) == 0 {
			i, line = next, line+nl
			continue // a line of spaces, or a lone \r
		}
		if len(p.fs) != p.ncols {
			return lineErr(p.name, line, "", ErrSyntax, "%d fields, the header has %d (separator %q)", len(p.fs), p.ncols, p.sep)
		}
		p.record(data, line, b)
		i, line = next, line+nl
	}
	return nil
}

func (p *csvParser) skip(b *pointBatch, line int, reason string, val []byte) {
	d := string(val)
	if len(d) > 40 {
		d = d[:40] + "..."
	}
	b.t.skip(Skip{Line: line, Feature: -1, Reason: reason, Detail: d})
}

// record handles one split record: kept, or skipped with a reason.
func (p *csvParser) record(data []byte, line int, b *pointBatch) {
	f := p.f
	rec := b.nrec
	b.nrec++
	pt, ok := p.position(data, line, b)
	if !ok {
		return
	}
	a, ok := p.attributes(data, line, b)
	if !ok {
		return
	}
	// The record is kept from here on.
	b.pts = append(b.pts, pt)
	b.lines = append(b.lines, int32(line))
	if f.units >= 0 {
		b.units = append(b.units, a.units)
	}
	if f.rangeM >= 0 {
		b.rangeM = append(b.rangeM, a.rangeM)
	}
	if f.capM >= 0 {
		b.capM = append(b.capM, a.capM)
	}
	if f.kind >= 0 {
		b.kinds = append(b.kinds, p.kind(p.field(data, f.kind), b))
	}
	if f.status >= 0 {
		active, known := parseStatus(p.field(data, f.status))
		if !known {
			b.t.warn("unknown status (treated as active)")
		}
		b.active = append(b.active, active)
	}
	if f.id >= 0 {
		id := bytes.TrimSpace(p.field(data, f.id))
		if len(id) == 0 {
			b.t.warn("empty id (replaced by line<N>)")
			b.ids = append(b.ids, "line"...)
			b.ids = strconv.AppendInt(b.ids, int64(line), 10)
		} else {
			b.ids = append(b.ids, id...)
		}
		b.idEnd = append(b.idEnd, uint32(len(b.ids)))
	} else {
		b.rec = append(b.rec, int32(rec))
	}
}

// position reads the record's coordinates, checks them under the CRS and
// returns them in lon/lat; ok is false when the record was skipped.
func (p *csvParser) position(data []byte, line int, b *pointBatch) (pt orb.Point, ok bool) {
	f := p.f
	switch f.mode {
	case coordLonLat:
		lonName, latName := "lon", "lat"
		if f.xy {
			lonName, latName = "x", "y"
		}
		lonB := p.field(data, f.lon)
		if pt[0], ok = parseFloat(lonB, p.comma); !ok {
			p.skip(b, line, "bad "+lonName, lonB)
			return pt, false
		}
		latB := p.field(data, f.lat)
		if pt[1], ok = parseFloat(latB, p.comma); !ok {
			p.skip(b, line, "bad "+latName, latB)
			return pt, false
		}
	case coordPoint2D:
		g := p.field(data, f.geo)
		if pt, ok = parsePoint2D(g); !ok {
			p.skip(b, line, "bad geo_point_2d", g)
			return pt, false
		}
	case coordGeoShape, coordWKT:
		g := p.field(data, f.geo)
		var reason string
		if f.mode == coordGeoShape {
			pt, reason = parseGeoShapePoint(g)
		} else {
			pt, reason = parseWKTPoint(g)
		}
		if reason != "" {
			p.skip(b, line, reason, g)
			return pt, false
		}
	}
	switch p.crs {
	case crsWGS84:
		if !(pt[0] >= -180 && pt[0] <= 180) {
			p.skip(b, line, "lon out of range", []byte(strconv.FormatFloat(pt[0], 'g', -1, 64)))
			return pt, false
		}
		if !(pt[1] >= -90 && pt[1] <= 90) {
			p.skip(b, line, "lat out of range", []byte(strconv.FormatFloat(pt[1], 'g', -1, 64)))
			return pt, false
		}
	case crsL93:
		if !inL93(pt) {
			p.skip(b, line, "outside the Lambert-93 range", []byte(strconv.FormatFloat(pt[0], 'f', -1, 64)+" "+strconv.FormatFloat(pt[1], 'f', -1, 64)))
			return pt, false
		}
		pt = lambert93.Inverse(pt)
	}
	return pt, true
}

// optFloat reads an optional non-negative number in column col (NaN when
// there is no such column or the field is empty); ok is false when the
// record was skipped for reason.
func (p *csvParser) optFloat(data []byte, col, line int, b *pointBatch, reason string) (float64, bool) {
	if col < 0 {
		return math.NaN(), true
	}
	v := p.field(data, col)
	if len(bytes.TrimSpace(v)) == 0 {
		return math.NaN(), true
	}
	x, ok := parseFloat(v, p.comma)
	if !ok || x < 0 {
		p.skip(b, line, reason, v)
		return 0, false
	}
	return x, true
}

// csvAttrs are a record's numeric attributes (NaN: empty).
type csvAttrs struct {
	units        int32
	rangeM, capM float64
}

// attributes reads the units, range and capacity of a record; ok is false
// when the record was skipped.
func (p *csvParser) attributes(data []byte, line int, b *pointBatch) (a csvAttrs, ok bool) {
	f := p.f
	a = csvAttrs{units: 1, rangeM: math.NaN(), capM: math.NaN()}
	if f.units >= 0 {
		u := p.field(data, f.units)
		if len(bytes.TrimSpace(u)) > 0 {
			n, ok := parseInt(u, p.comma)
			if !ok {
				p.skip(b, line, "units not an integer", u)
				return a, false
			}
			if n < 1 || n > math.MaxInt32 {
				p.skip(b, line, "units < 1", u)
				return a, false
			}
			a.units = int32(n)
		}
	}
	if a.rangeM, ok = p.optFloat(data, f.rangeM, line, b, "bad range_m"); !ok {
		return a, false
	}
	if a.capM, ok = p.optFloat(data, f.capM, line, b, "bad capacity_mbps"); !ok {
		return a, false
	}
	return a, true
}

func (p *csvParser) kind(v []byte, b *pointBatch) coverage.Kind {
	if k, ok := p.kinds[string(v)]; ok {
		return k
	}
	var buf [48]byte
	k, ok := coverage.ParseKind(string(lowerASCII(buf[:0], v)))
	if !ok {
		b.t.warn("unknown kind (other)")
	} else {
		p.kinds[string(v)] = k
	}
	return k
}
