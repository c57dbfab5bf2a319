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

// record handles one split record.
func (p *csvParser) record(data []byte, line int, b *pointBatch) {
	f := p.f
	rec := b.nrec
	b.nrec++
	var pt orb.Point
	var ok bool
	switch f.mode {
	case coordLonLat:
		lonName, latName := "lon", "lat"
		if f.xy {
			lonName, latName = "x", "y"
		}
		lonB := p.field(data, f.lon)
		if pt[0], ok = parseFloat(lonB, p.comma); !ok {
			p.skip(b, line, "bad "+lonName, lonB)
			return
		}
		latB := p.field(data, f.lat)
		if pt[1], ok = parseFloat(latB, p.comma); !ok {
			p.skip(b, line, "bad "+latName, latB)
			return
		}
	case coordPoint2D:
		g := p.field(data, f.geo)
		if pt, ok = parsePoint2D(g); !ok {
			p.skip(b, line, "bad geo_point_2d", g)
			return
		}
	case coordGeoShape:
		g := p.field(data, f.geo)
		var reason string
		if pt, reason = parseGeoShapePoint(g); reason != "" {
			p.skip(b, line, reason, g)
			return
		}
	case coordWKT:
		g := p.field(data, f.geo)
		var reason string
		if pt, reason = parseWKTPoint(g); reason != "" {
			p.skip(b, line, reason, g)
			return
		}
	}
	switch p.crs {
	case crsWGS84:
		if !(pt[0] >= -180 && pt[0] <= 180) {
			p.skip(b, line, "lon out of range", []byte(strconv.FormatFloat(pt[0], 'g', -1, 64)))
			return
		}
		if !(pt[1] >= -90 && pt[1] <= 90) {
			p.skip(b, line, "lat out of range", []byte(strconv.FormatFloat(pt[1], 'g', -1, 64)))
			return
		}
	case crsL93:
		if !inL93(pt) {
			p.skip(b, line, "outside the Lambert-93 range", []byte(strconv.FormatFloat(pt[0], 'f', -1, 64)+" "+strconv.FormatFloat(pt[1], 'f', -1, 64)))
			return
		}
		pt = lambert93.Inverse(pt)
	}
	var units int32 = 1
	if f.units >= 0 {
		u := p.field(data, f.units)
		if len(bytes.TrimSpace(u)) > 0 {
			n, ok := parseInt(u, p.comma)
			if !ok {
				p.skip(b, line, "units not an integer", u)
				return
			}
			if n < 1 || n > math.MaxInt32 {
				p.skip(b, line, "units < 1", u)
				return
			}
			units = int32(n)
		}
	}
	rangeM, capM := math.NaN(), math.NaN()
	if f.rangeM >= 0 {
		v := p.field(data, f.rangeM)
		if len(bytes.TrimSpace(v)) > 0 {
			if rangeM, ok = parseFloat(v, p.comma); !ok || rangeM < 0 {
				p.skip(b, line, "bad range_m", v)
				return
			}
		}
	}
	if f.capM >= 0 {
		v := p.field(data, f.capM)
		if len(bytes.TrimSpace(v)) > 0 {
			if capM, ok = parseFloat(v, p.comma); !ok || capM < 0 {
				p.skip(b, line, "bad capacity_mbps", v)
				return
			}
		}
	}
	// The record is kept from here on.
	b.pts = append(b.pts, pt)
	b.lines = append(b.lines, int32(line))
	if f.units >= 0 {
		b.units = append(b.units, units)
	}
	if f.rangeM >= 0 {
		b.rangeM = append(b.rangeM, rangeM)
	}
	if f.capM >= 0 {
		b.capM = append(b.capM, capM)
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
