package geodata

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// csvChunkSize is the target size of the byte chunks a CSV file is cut into
// (at record boundaries) for parallel parsing.
const csvChunkSize = 1 << 20

// crsMode is how raw coordinates are validated and converted.
type crsMode uint8

const (
	crsRaw   crsMode = iota // keep as read (sampling)
	crsWGS84                // lon/lat degrees
	crsL93                  // Lambert-93 metres, converted with the inverse
)

// Lambert-93 coordinate ranges used to detect projected data and validate
// it: they cover metropolitan France and Corsica with a margin.
const (
	l93MinX, l93MaxX = 0, 1.3e6
	l93MinY, l93MaxY = 6.0e6, 7.2e6
)

func inL93(p orb.Point) bool {
	return p[0] >= l93MinX && p[0] <= l93MaxX && p[1] >= l93MinY && p[1] <= l93MaxY
}

func inLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// parseCRSOption maps PointOptions.CRS to a mode; ok is false if unknown.
func parseCRSOption(s string) (crsMode, string, bool) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "")) {
	case "":
		return crsRaw, "", true
	case "epsg:4326", "4326", "wgs84", "crs84", "lonlat", "ogc:crs84":
		return crsWGS84, "EPSG:4326 (WGS84 lon/lat, given)", true
	case "epsg:2154", "2154", "lambert93", "lambert-93", "l93", "rgf93":
		return crsL93, "EPSG:2154 (Lambert-93, given)", true
	}
	return crsRaw, "", false
}

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

// lastRecordEnd returns the index just after the last newline of buf that
// ends a record, or -1. buf starts at a record boundary. It follows the
// same quoting rules as splitRecord: a quote opens a quoted field only at
// the start of a field, and "" inside one is an escaped quote.
func lastRecordEnd(buf []byte, sep byte) int {
	if bytes.IndexByte(buf, '"') < 0 {
		if k := bytes.LastIndexByte(buf, '\n'); k >= 0 {
			return k + 1
		}
		return -1
	}
	last, inQ, start := -1, false, true
	for i := 0; i < len(buf); i++ {
		c := buf[i]
		if inQ {
			if c == '"' {
				if i+1 < len(buf) && buf[i+1] == '"' {
					i++
				} else {
					inQ = false
				}
			}
			continue
		}
		switch {
		case c == '\n':
			last, start = i, true
		case c == sep:
			start = true
		case c == '"' && start:
			inQ, start = true, false
		default:
			start = false
		}
	}
	if last < 0 {
		return -1
	}
	return last + 1
}

type csvChunk struct {
	raw    []byte // read buffer
	data   []byte // whole records to parse: raw[:cut], or its UTF-8 transcoding
	line   int
	nlines int
	batch  pointBatch
	err    error
	done   chan struct{}
}

// presize allocates the layer's slices for the number of records a file of
// sizeHint bytes probably has, from the mean record length of the first
// chunk plus 3 %, so that a large file is not copied as the slices grow.
func presize(l *PointLayer, f *fieldSet, sizeHint int64, body []byte, eof bool) {
	n := bytes.Count(body, []byte{'\n'})
	if n == 0 || len(body) == 0 {
		return
	}
	est := int(float64(sizeHint)/float64(len(body))*float64(n)*1.03) + 16
	if eof {
		est = n + 1
	}
	est = min(est, 1<<31-1)
	l.Pts = make([]orb.Point, 0, est)
	l.Lines = make([]int32, 0, est)
	l.idEnd = make([]uint32, 0, est)
	idBytes := 8 * est
	if f.units >= 0 {
		l.Units = make([]int32, 0, est)
	}
	if f.id >= 0 {
		idBytes = int(float64(sizeHint) / 3)
	}
	l.ids = make([]byte, 0, min(idBytes, 1<<31))
}

func readPointsCSV(br *bufio.Reader, name string, opt PointOptions, sizeHint int64) (*PointLayer, error) {
	maxEx := opt.MaxSkipExamples
	if maxEx == 0 {
		maxEx = DefaultMaxSkipExamples
	} else if maxEx < 0 {
		maxEx = 0
	}
	forced, forcedName, okCRS := parseCRSOption(opt.CRS)
	if !okCRS {
		return nil, fileErr(name, ErrSyntax, "unknown CRS %q (want EPSG:4326 or EPSG:2154)", opt.CRS)
	}

	// First chunk: header, separator, columns, CRS sample.
	firstCap := csvChunkSize
	if sizeHint > 0 && sizeHint < csvChunkSize {
		firstCap = int(sizeHint) + 1
	}
	first := make([]byte, 0, firstCap)
	first, eof, err := fill(br, first)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	hadBOM := bytes.HasPrefix(first, bom)
	first = bytes.TrimPrefix(first, bom)
	// Excel's "sep=;" first line names the separator.
	var forcedSep byte
	hdrLine := 1
	if len(first) >= 5 && bytes.EqualFold(first[:4], []byte("sep=")) {
		if end := bytes.IndexByte(first, '\n'); end >= 5 && end <= 7 {
			forcedSep = first[4]
			first = first[end+1:]
			hdrLine = 2
		}
	}
	hdrEnd := lastHeaderEnd(first)
	for hdrEnd < 0 && !eof {
		first = append(first, make([]byte, len(first))...)[:len(first)]
		first, eof, err = fill(br, first)
		if err != nil {
			return nil, fileErr(name, ErrSyntax, "reading: %v", err)
		}
		hdrEnd = lastHeaderEnd(first)
	}
	if hdrEnd < 0 {
		hdrEnd = len(first)
	}
	headerBytes := first[:hdrEnd]
	if len(bytes.TrimSpace(headerBytes)) == 0 {
		return nil, fileErr(name, ErrEmpty, "empty file")
	}
	// Without a BOM, a first chunk that is not valid UTF-8 is taken as
	// Windows-1252 (Latin-1 plus €, œ, ’...), the usual encoding of French
	// spreadsheet exports, and every chunk is transcoded to UTF-8.
	cp1252 := false
	if !hadBOM {
		check := first
		if !eof {
			if k := bytes.LastIndexByte(first, '\n'); k >= 0 {
				check = first[:k]
			}
		}
		cp1252 = !utf8.Valid(check)
	}
	if cp1252 {
		headerBytes = appendCP1252(nil, headerBytes)
	}
	sep := forcedSep
	if sep == 0 {
		sep = detectSep(headerBytes)
	}
	p := &csvParser{name: name, sep: sep, kinds: map[string]coverage.Kind{}}
	p.comma = p.sep != ','
	if _, _, err := p.splitRecord(headerBytes, 0, hdrLine); err != nil {
		return nil, err
	}
	header := make([]string, len(p.fs))
	for i := range p.fs {
		header[i] = strings.TrimSpace(string(p.field(headerBytes, i)))
	}
	f := detectFields(header, opt)
	if f.mode == coordNone {
		if opt.LonField != "" || opt.LatField != "" {
			return nil, &Error{File: name, Line: hdrLine, Feature: -1, Offset: -1, Err: ErrNoCoordinates,
				Msg: "no column " + strconv.Quote(opt.LonField) + " / " + strconv.Quote(opt.LatField) + "; columns found: " + quoteList(header)}
		}
		return nil, &Error{File: name, Line: hdrLine, Feature: -1, Offset: -1, Err: ErrNoCoordinates,
			Msg: "no coordinate columns (want lon/lat, longitude/latitude, x/y, geo_point_2d, geo_shape or a WKT column); columns found: " + quoteList(header)}
	}
	p.ncols, p.f = len(header), &f
	hdrLines := hdrLine + bytes.Count(headerBytes[:max(0, len(headerBytes)-1)], []byte{'\n'})
	body := first[hdrEnd:]

	layer := &PointLayer{Name: name, Format: "csv", Encoding: "UTF-8", Columns: header, Used: f.used}
	if cp1252 {
		layer.Encoding = "Windows-1252 (detected, converted to UTF-8)"
	}
	if sizeHint > 0 {
		presize(layer, &f, sizeHint, body, eof)
	}
	switch {
	case forced != crsRaw:
		p.crs, layer.CRS = forced, forcedName
	default:
		var err error
		if p.crs, layer.CRS, err = sampleCRS(p, body, eof, hdrLines+1); err != nil {
			return nil, err
		}
	}

	workers := opt.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	t := tally{max: maxEx}
	queue := make(chan *csvChunk, workers+1)
	jobs := make(chan *csvChunk, workers+1)
	free := make(chan *csvChunk, workers+3)
	var stop atomic.Bool
	var readErr error

	// Reader: cut the stream into chunks of whole records.
	go func() {
		defer close(queue)
		defer close(jobs)
		line := hdrLines + 1
		// The first chunk reuses the header's buffer.
		n := copy(first, body)
		pending := first[:n]
		firstChunk := &csvChunk{raw: first[:0]}
		firstChunk.batch.t.max = maxEx
		for !stop.Load() {
			var c *csvChunk
			select {
			case c = <-free:
				c.batch.reset()
				c.err = nil
			default:
				if firstChunk != nil {
					c, firstChunk = firstChunk, nil
				} else {
					c = &csvChunk{raw: make([]byte, 0, csvChunkSize+64<<10)}
					c.batch.t.max = maxEx
				}
			}
			buf := c.raw[:0]
			if len(pending) > 0 && &pending[0] == unsafe.SliceData(buf[:1]) {
				buf = pending // already in place
				pending = nil
			}
			buf = append(buf, pending...)
			pending = nil // (no-op when pending was moved in place above)
			if !eof {
				var err error
				buf, eof, err = fill(br, buf)
				if err != nil {
					readErr = fileErr(name, ErrSyntax, "reading: %v", err)
					return
				}
			}
			cut := len(buf)
			if !eof {
				cut = lastRecordEnd(buf, p.sep)
				for cut < 0 && !eof { // a record longer than the buffer
					buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
					var err error
					buf, eof, err = fill(br, buf)
					if err != nil {
						readErr = fileErr(name, ErrSyntax, "reading: %v", err)
						return
					}
					cut = lastRecordEnd(buf, p.sep)
				}
				if cut < 0 {
					cut = len(buf)
				}
				pending = append([]byte(nil), buf[cut:]...)
			}
			if cut == 0 && eof && len(pending) == 0 {
				return
			}
			c.raw, c.line, c.done = buf, line, make(chan struct{})
			if cp1252 {
				c.data = appendCP1252(c.data[:0], buf[:cut])
			} else {
				c.data = buf[:cut]
			}
			c.nlines = bytes.Count(buf[:cut], []byte{'\n'})
			line += c.nlines
			queue <- c
			jobs <- c
			if eof && len(pending) == 0 {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		q := p.clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				if !stop.Load() {
					c.batch.grow(c.nlines+1, &f)
					c.err = q.parseChunk(c.data, c.line, &c.batch)
				}
				close(c.done)
			}
		}()
	}
	// Merge in order. When the layer was pre-sized, each batch's place is
	// reserved here and the copy runs on its own goroutine, so that the
	// first touch of the layer's memory is spread over the cores.
	var firstErr error
	var copies sync.WaitGroup
	recycle := func(c *csvChunk) {
		select {
		case free <- c:
		default:
		}
	}
	for c := range queue {
		<-c.done
		if firstErr == nil && c.err != nil {
			firstErr = c.err
			stop.Store(true)
		}
		if firstErr != nil {
			recycle(c)
			continue
		}
		if fill := c.batch.reserve(layer, &f, layer.Records, &t); fill != nil {
			copies.Add(1)
			go func() {
				defer copies.Done()
				fill()
				recycle(c)
			}()
			continue
		}
		copies.Wait() // appendTo may move the slices
		if err := c.batch.appendTo(layer, &f, layer.Records, &t); err != nil {
			firstErr = err
			stop.Store(true)
		}
		recycle(c)
	}
	copies.Wait()
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if readErr != nil {
		return nil, readErr
	}
	layer.Skips = t.examples
	layer.SkipCounts = sortCounts(t.counts)
	layer.Warnings = sortCounts(t.warnings)
	return layer, nil
}

// lastHeaderEnd is the index after the first newline outside quotes, or -1.
func lastHeaderEnd(b []byte) int {
	inQ := false
	for i, c := range b {
		if c == '"' {
			inQ = !inQ
		} else if c == '\n' && !inQ {
			return i + 1
		}
	}
	return -1
}

// fill reads into buf up to its capacity. eof is true at the end of input.
func fill(r io.Reader, buf []byte) ([]byte, bool, error) {
	for len(buf) < cap(buf) {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

// sampleCRS decides the CRS from up to 1000 records of the first chunk:
// Lambert-93 when more records fall in its ranges (and outside lon/lat
// degrees) than in lon/lat degrees. When most records are in neither, the
// file is in a projection covplan cannot guess, which is an error.
func sampleCRS(p *csvParser, body []byte, eof bool, firstLine int) (crsMode, string, error) {
	q := p.clone()
	q.crs = crsRaw
	sample := body
	if !eof {
		if cut := lastRecordEnd(body, p.sep); cut > 0 {
			sample = body[:cut]
		}
	}
	// Limit the sample to about 1000 lines.
	n, end := 0, 0
	for end < len(sample) && n < 1000 {
		k := bytes.IndexByte(sample[end:], '\n')
		if k < 0 {
			end = len(sample)
			break
		}
		end += k + 1
		n++
	}
	if c := lastRecordEnd(sample[:end], p.sep); c > 0 && end < len(sample) {
		sample = sample[:c]
	}
	var b pointBatch
	if err := q.parseChunk(sample, firstLine, &b); err != nil {
		return crsWGS84, CRSWGS84Assumed, nil // the real pass reports the error
	}
	mode, name, ok := voteCRS(b.pts)
	if !ok {
		return 0, "", lineErr(p.name, int(b.lines[0]), "", ErrRange,
			"coordinates (%g, %g) are neither lon/lat degrees nor Lambert-93 metres; reproject the file to EPSG:4326 or EPSG:2154, or set the CRS", b.pts[0][0], b.pts[0][1])
	}
	return mode, name, nil
}

// voteCRS decides between lon/lat and Lambert-93 by counting the points in
// each range. ok is false when more than half of the points are in neither.
func voteCRS(pts []orb.Point) (crsMode, string, bool) {
	deg, l93 := 0, 0
	for _, pt := range pts {
		if inLonLat(pt) {
			deg++
		} else if inL93(pt) {
			l93++
		}
	}
	if 2*(len(pts)-deg-l93) > len(pts) {
		return 0, "", false
	}
	if l93 > deg {
		return crsL93, CRSL93Detected, true
	}
	return crsWGS84, CRSWGS84Assumed, true
}

// cp1252High maps the bytes 0x80..0x9F of Windows-1252 to Unicode; the
// five unassigned ones keep their Latin-1 (C1 control) code points.
var cp1252High = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

// appendCP1252 appends the UTF-8 form of Windows-1252 text b to dst.
func appendCP1252(dst, b []byte) []byte {
	dst = slices.Grow(dst, len(b)+len(b)/8)
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < 0x80 {
			i++
		}
		dst = append(dst, b[:i]...)
		if i == len(b) {
			break
		}
		c := b[i]
		if c < 0xA0 {
			dst = utf8.AppendRune(dst, cp1252High[c-0x80])
		} else {
			dst = utf8.AppendRune(dst, rune(c))
		}
		b = b[i+1:]
	}
	return dst
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
