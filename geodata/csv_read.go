package geodata

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

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

// skipExamples maps the MaxSkipExamples option to a count.
func skipExamples(n int) int {
	switch {
	case n == 0:
		return DefaultMaxSkipExamples
	case n < 0:
		return 0
	}
	return n
}

func readPointsCSV(br *bufio.Reader, name string, opt PointOptions, sizeHint int64) (*PointLayer, error) {
	maxEx := skipExamples(opt.MaxSkipExamples)
	forced, forcedName, okCRS := parseCRSOption(opt.CRS)
	if !okCRS {
		return nil, fileErr(name, ErrSyntax, "unknown CRS %s (want EPSG:4326 or EPSG:2154)", echo(opt.CRS, 0))
	}
	h, err := readCSVHead(br, name, opt, sizeHint, opt.Limits.recordBytes(DefaultMaxRecordBytes))
	if err != nil {
		return nil, err
	}
	layer := &PointLayer{Name: name, Format: "csv", Encoding: "UTF-8", Columns: h.header, Used: h.f.used}
	if h.cp1252 {
		layer.Encoding = "Windows-1252 (detected, converted to UTF-8)"
	}
	if sizeHint > 0 {
		presize(layer, &h.f, sizeHint, h.body, h.eof)
	}
	switch {
	case forced != crsRaw:
		h.p.crs, layer.CRS = forced, forcedName
	default:
		var err error
		if h.p.crs, layer.CRS, err = sampleCRS(h.p, h.body, h.eof, h.hdrLines+1); err != nil {
			return nil, err
		}
	}
	t := tally{max: maxEx}
	if err := h.parseBody(br, layer, &t, opt.Workers); err != nil {
		return nil, err
	}
	layer.sealIDs()
	layer.Skips, layer.SkipCounts, layer.Warnings = t.results()
	return layer, nil
}

// csvHead is what the start of a CSV file tells: its header, separator,
// encoding and the columns to read, and the first chunk's buffer, whose
// records after the header (body) are parsed first.
type csvHead struct {
	name     string
	first    []byte
	body     []byte
	eof      bool
	cp1252   bool
	hdrLine  int // the header's line (2 after a sep= line)
	hdrLines int // lines before the first record (a sep= line and the header)
	maxRec   int // longest record accepted, in bytes
	header   []string
	p        *csvParser
	f        fieldSet
}

// readCSVHead reads the first chunk of a CSV file and decodes its header,
// which may not be longer than maxRec bytes, and the point columns.
func readCSVHead(br *bufio.Reader, name string, opt PointOptions, sizeHint int64, maxRec int) (*csvHead, error) {
	h, err := readCSVHeader(br, name, sizeHint, maxRec)
	if err != nil {
		return nil, err
	}
	h.f = detectFields(h.header, opt)
	if h.f.mode == coordNone {
		if opt.LonField != "" || opt.LatField != "" {
			return nil, &Error{File: name, Line: h.hdrLine, Feature: -1, Offset: -1, Err: ErrNoCoordinates,
				Msg: "no column " + echo(opt.LonField, 0) + " / " + echo(opt.LatField, 0) + "; columns found: " + echoList(h.header, opt.Limits.echoBytes())}
		}
		return nil, &Error{File: name, Line: h.hdrLine, Feature: -1, Offset: -1, Err: ErrNoCoordinates,
			Msg: "no coordinate columns (want lon/lat, longitude/latitude, x/y, geo_point_2d, geo_shape or a WKT column); columns found: " + echoList(h.header, opt.Limits.echoBytes())}
	}
	h.p.ncols, h.p.f = len(h.header), &h.f
	return h, nil
}

// readCSVHeader reads the first chunk of a CSV file and decodes its
// header (at most maxRec bytes): separator, BOM, encoding, column names.
func readCSVHeader(br *bufio.Reader, name string, sizeHint int64, maxRec int) (*csvHead, error) {
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
		if len(first) > maxRec {
			return nil, limitErr(name, hdrLine, "the header", int64(maxRec), "--max-record-bytes")
		}
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
	if hdrEnd > maxRec {
		return nil, limitErr(name, hdrLine, "the header", int64(maxRec), "--max-record-bytes")
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
	h := &csvHead{name: name, first: first, body: first[hdrEnd:], eof: eof, cp1252: cp1252, header: header, p: p, maxRec: maxRec, hdrLine: hdrLine}
	h.hdrLines = hdrLine + bytes.Count(headerBytes[:max(0, len(headerBytes)-1)], []byte{'\n'})
	return h, nil
}

// parseBody parses the records after the header into layer: one goroutine
// cuts the stream into chunks of whole records, workers parse them, and
// the results are merged in file order.
func (h *csvHead) parseBody(br *bufio.Reader, layer *PointLayer, t *tally, workers int) error {
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	c := &csvPipeline{
		h:     h,
		br:    br,
		queue: make(chan *csvChunk, workers+1),
		jobs:  make(chan *csvChunk, workers+1),
		free:  make(chan *csvChunk, workers+3),
		maxEx: t.max,
	}
	go c.cut()
	var wg sync.WaitGroup
	for range workers {
		q := h.p.clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range c.jobs {
				if !c.stop.Load() {
					ch.batch.grow(ch.nlines+1, &h.f)
					ch.err = q.parseChunk(ch.data, ch.line, &ch.batch)
				}
				close(ch.done)
			}
		}()
	}
	err := c.merge(layer, t)
	wg.Wait()
	if err != nil {
		return err
	}
	return c.readErr
}

// csvPipeline carries the chunks of one file from the cutter through the
// workers to the merger.
type csvPipeline struct {
	h     *csvHead
	br    *bufio.Reader
	queue chan *csvChunk // in file order, to the merger
	jobs  chan *csvChunk // to the workers
	free  chan *csvChunk // parsed and merged, for reuse
	maxEx int
	stop  atomic.Bool
	// readErr is set by cut before it closes queue.
	readErr error
}

// cut reads the stream and cuts it into chunks of whole records.
func (c *csvPipeline) cut() {
	defer close(c.queue)
	defer close(c.jobs)
	h := c.h
	eof := h.eof
	line := h.hdrLines + 1
	// The first chunk reuses the header's buffer.
	n := copy(h.first, h.body)
	pending := h.first[:n]
	firstChunk := &csvChunk{raw: h.first[:0]}
	firstChunk.batch.t.max = c.maxEx
	for !c.stop.Load() {
		var ch *csvChunk
		select {
		case ch = <-c.free:
			ch.batch.reset()
			ch.err = nil
		default:
			if firstChunk != nil {
				ch, firstChunk = firstChunk, nil
			} else {
				ch = &csvChunk{raw: make([]byte, 0, csvChunkSize+64<<10)}
				ch.batch.t.max = c.maxEx
			}
		}
		buf := ch.raw[:0]
		if len(pending) > 0 && &pending[0] == &buf[:1][0] {
			buf = pending // already in place
			pending = nil
		}
		buf = append(buf, pending...)
		pending = nil // (no-op when pending was moved in place above)
		if !eof {
			var err error
			buf, eof, err = fill(c.br, buf)
			if err != nil {
				c.readErr = fileErr(h.name, ErrSyntax, "reading: %v", err)
				return
			}
		}
		cut := len(buf)
		if !eof {
			cut = lastRecordEnd(buf, h.p.sep)
			for cut < 0 && !eof { // a record longer than the buffer
				if len(buf) > h.maxRec {
					c.readErr = limitErr(h.name, line, "the record", int64(h.maxRec), "--max-record-bytes")
					return
				}
				buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
				var err error
				buf, eof, err = fill(c.br, buf)
				if err != nil {
					c.readErr = fileErr(h.name, ErrSyntax, "reading: %v", err)
					return
				}
				cut = lastRecordEnd(buf, h.p.sep)
			}
			if cut < 0 {
				cut = len(buf)
			}
			pending = append([]byte(nil), buf[cut:]...)
		}
		if cut == 0 && eof && len(pending) == 0 {
			return
		}
		ch.raw, ch.line, ch.done = buf, line, make(chan struct{})
		if h.cp1252 {
			ch.data = appendCP1252(ch.data[:0], buf[:cut])
		} else {
			ch.data = buf[:cut]
		}
		ch.nlines = bytes.Count(buf[:cut], []byte{'\n'})
		line += ch.nlines
		c.queue <- ch
		c.jobs <- ch
		if eof && len(pending) == 0 {
			return
		}
	}
}

// merge appends the parsed chunks to layer in file order. When the layer
// was pre-sized, each batch's place is reserved here and the copy runs on
// its own goroutine, so that the first touch of the layer's memory is
// spread over the cores.
func (c *csvPipeline) merge(layer *PointLayer, t *tally) error {
	f := &c.h.f
	var firstErr error
	var copies sync.WaitGroup
	recycle := func(ch *csvChunk) {
		select {
		case c.free <- ch:
		default:
		}
	}
	for ch := range c.queue {
		<-ch.done
		if firstErr == nil && ch.err != nil {
			firstErr = ch.err
			c.stop.Store(true)
		}
		if firstErr != nil {
			recycle(ch)
			continue
		}
		if fill := ch.batch.reserve(layer, f, layer.Records, t); fill != nil {
			copies.Add(1)
			go func() {
				defer copies.Done()
				fill()
				recycle(ch)
			}()
			continue
		}
		copies.Wait() // appendTo may move the slices
		if err := ch.batch.appendTo(layer, f, layer.Records, t); err != nil {
			firstErr = err
			c.stop.Store(true)
		}
		recycle(ch)
	}
	copies.Wait()
	return firstErr
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
