package render

import (
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Number formats shared by every machine-readable output (zones.csv,
// zones.geojson, premises.csv, summary.json). A figure has the same text in
// every file it appears in.
const (
	precMoney    = 2 // euros, to the cent
	precShare3   = 3 // fractional counts (shares of shared nodes and sites)
	precSpeed    = 1 // Mbps and ms
	precDistM    = 3 // metres, to the millimetre (as the peer reference outputs)
	precArea     = 6 // km², to the square metre
	precShare    = 6 // shares in [0, 1]
	precLonLat   = 7 // degrees, about 1 cm
	flushBytes   = 64 << 10
	reasonsSep   = '|'
	levelPremise = "premise"
	levelZone    = "zone"
)

// appendFixed appends v with exactly prec decimals, in plain notation (never
// scientific), correctly rounded (the same digits as strconv.FormatFloat(v,
// 'f', prec, 64): the exact binary value rounded to nearest, ties to even),
// and never as "-0.00": a value that rounds to zero is written unsigned.
// NaN and ±Inf append nothing; callers write an empty CSV field or a JSON
// null instead (see appendFixedJSON).
//
// Most values take an integer fast path (a third of strconv's time, which
// matters for 10 M-row premises.csv); values near a rounding tie or very
// large go through strconv.
func appendFixed(b []byte, v float64, prec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b
	}
	if prec >= 0 && prec < len(pow10) {
		x := math.Abs(v) * pow10[prec]
		// Below 2^43 the product is within 2^-10 of the exact v·10^prec, so
		// rounding it gives the exact value's rounding unless the fraction
		// is within 0.01 of one half.
		if x < 1<<43 {
			fl := math.Floor(x)
			frac := x - fl
			if math.Abs(frac-0.5) > 0.01 {
				n := uint64(fl)
				if frac > 0.5 {
					n++
				}
				return appendScaled(b, n, prec, v < 0 && n != 0)
			}
		}
	}
	n := len(b)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	if b[n] == '-' && allZeroDigits(b[n+1:]) {
		copy(b[n:], b[n+1:])
		b = b[:len(b)-1]
	}
	return b
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendScaled appends n / 10^prec with prec decimals.
func appendScaled(b []byte, n uint64, prec int, neg bool) []byte {
	if neg {
		b = append(b, '-')
	}
	if prec == 0 {
		return strconv.AppendUint(b, n, 10)
	}
	ip, fp := n/pow10u[prec], n%pow10u[prec]
	b = strconv.AppendUint(b, ip, 10)
	b = append(b, '.')
	for i := prec - 1; i >= 0; i-- {
		b = append(b, byte('0'+fp/pow10u[i]%10))
	}
	return b
}

func allZeroDigits(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

// appendFixedJSON is appendFixed for JSON: null for NaN and ±Inf.
func appendFixedJSON(b []byte, v float64, prec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return appendFixed(b, v, prec)
}

// appendCoord appends a longitude or latitude with at most precLonLat
// decimals, trailing zeros trimmed ("2.5", "45"). The caller has checked
// that v is finite.
func appendCoord(b []byte, v float64) []byte {
	n := len(b)
	b = appendFixed(b, v, precLonLat)
	for i := len(b) - 1; i > n; i-- {
		switch b[i] {
		case '0':
			b = b[:i]
			continue
		case '.':
			b = b[:i]
		}
		break
	}
	return b
}

// csvSafe reports whether s can be written to a CSV field as is: printable
// ASCII without comma, double quote or leading/trailing space.
func csvSafe(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == ',' || c == '"' {
			return false
		}
	}
	return true
}

// appendCSVField appends s as one RFC 4180 field: quoted (with inner quotes
// doubled) when it holds a comma, a double quote, a line break or a
// leading/trailing space; invalid UTF-8 is replaced by U+FFFD so that every
// output is valid UTF-8.
func appendCSVField(b []byte, s string) []byte {
	if csvSafe(s) {
		return append(b, s...)
	}
	quote := s[0] == ' ' || s[len(s)-1] == ' '
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if quote {
		b = append(b, '"')
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '"' {
				b = append(b, '"')
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	if quote {
		b = append(b, '"')
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string (RFC 8259): quotes,
// backslashes and control characters escaped, invalid UTF-8 replaced by
// U+FFFD, U+2028 and U+2029 escaped so that the text is also valid
// JavaScript. <, > and & are kept as they are.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// chunkWriter batches rows into one buffer and hands it to w in blocks of
// about flushBytes. The first write error sticks: later calls do nothing and
// flush returns it.
type chunkWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func newChunkWriter(w io.Writer) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, 0, flushBytes+4096)}
}

// maybeFlush writes the buffer out when it holds at least flushBytes.
func (c *chunkWriter) maybeFlush() {
	if len(c.buf) >= flushBytes {
		c.flushBuf()
	}
}

func (c *chunkWriter) flushBuf() {
	if c.err == nil && len(c.buf) > 0 {
		_, c.err = c.w.Write(c.buf)
	}
	c.buf = c.buf[:0]
}

func (c *chunkWriter) flush() error {
	c.flushBuf()
	return c.err
}

// errNoPlan is returned by every writer given a Source without a plan or an
// input.
var errNoPlan = errors.New("render: source has no plan or no input")

// rowsPerBlock is the number of rows writeRows formats at a time.
const rowsPerBlock = 1 << 14

// writeRows writes head, then rows 0..n-1 formatted by row (which appends
// row i to b and returns it), in order. From two blocks of rows on, blocks
// are formatted on GOMAXPROCS goroutines while earlier ones are written,
// with at most two blocks per goroutine in memory; the bytes written are
// those of the sequential loop. row must only read shared state.
func writeRows(w io.Writer, head string, n int, row func(b []byte, i int) []byte) error {
	workers := runtime.GOMAXPROCS(0)
	nb := (n + rowsPerBlock - 1) / rowsPerBlock
	if nb <= 1 || workers <= 1 {
		cw := newChunkWriter(w)
		cw.buf = append(cw.buf, head...)
		for i := range n {
			cw.buf = row(cw.buf, i)
			cw.maybeFlush()
		}
		return cw.flush()
	}
	if _, err := io.WriteString(w, head); err != nil {
		return err
	}
	done := make([]chan []byte, nb)
	for k := range done {
		done[k] = make(chan []byte, 1) // a worker never waits to hand over
	}
	tokens := make(chan struct{}, 2*workers) // blocks in flight
	free := make(chan []byte, 2*workers)
	stop := make(chan struct{})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, nb) {
		wg.Go(func() {
			for {
				select {
				case tokens <- struct{}{}:
				case <-stop:
					return
				}
				k := int(next.Add(1)) - 1
				if k >= nb {
					<-tokens
					return
				}
				var b []byte
				select {
				case b = <-free:
				default:
				}
				b = b[:0]
				for i := k * rowsPerBlock; i < min((k+1)*rowsPerBlock, n); i++ {
					b = row(b, i)
				}
				done[k] <- b
			}
		})
	}
	var err error
	for k := range nb {
		b := <-done[k]
		if err == nil {
			_, err = w.Write(b)
			if err != nil {
				close(stop)
			}
		}
		<-tokens
		select {
		case free <- b:
		default:
		}
		if err != nil {
			break
		}
	}
	wg.Wait()
	return err
}
