package geodata

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
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

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
