package render

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// The page carries its large data (zone outlines, map layers, the zone
// table) as JSON in <script type="application/json"> elements, which the
// page script parses when it needs them. A block larger than
// compressThreshold is deflated and base64-encoded (the page inflates it
// with the browser's DecompressionStream): a national plan's data shrinks
// about four times, and the page loads faster for it.

// compressThreshold is the size of JSON above which a data block is
// compressed.
const compressThreshold = 256 << 10

// dataBlock is one <script type="application/json"> of the page.
type dataBlock struct {
	ID       string
	Deflated bool   // Text is base64 of raw DEFLATE of the JSON
	Text     string // JSON (script-safe) or base64
	RawSize  int    // bytes of JSON before compression
}

// newBlock makes a data block of JSON text js (already script-safe:
// written by jsonWriter or jsonJS).
func newBlock(id string, js []byte) (dataBlock, error) {
	b := dataBlock{ID: id, RawSize: len(js)}
	if len(js) <= compressThreshold {
		b.Text = string(js)
		return b, nil
	}
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.DefaultCompression) // 0.5 % larger than BestCompression, twice as fast
	if err != nil {
		return b, fmt.Errorf("render: report data: %w", err)
	}
	if _, err := zw.Write(js); err != nil {
		return b, fmt.Errorf("render: report data: %w", err)
	}
	if err := zw.Close(); err != nil {
		return b, fmt.Errorf("render: report data: %w", err)
	}
	b.Deflated = true
	b.Text = base64.StdEncoding.EncodeToString(buf.Bytes())
	return b, nil
}

// jsonJS marshals v as JSON safe inside <script>: <, > and & are written as
// \u escapes, so user data (zone names, ids) can neither close the script
// nor open a comment or an element.
func jsonJS(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("render: report data: %w", err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// jsonWriter appends compact JSON for the page's large arrays, faster and
// smaller than encoding/json on []any: numbers are written with a fixed
// number of decimals and no trailing zeros, NaN and infinities as null,
// strings escaped as jsonJS does.
type jsonWriter struct{ b []byte }

func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

// key writes "name": (after a comma unless first).
func (w *jsonWriter) key(name string, first bool) {
	if !first {
		w.b = append(w.b, ',')
	}
	w.str(name)
	w.b = append(w.b, ':')
}

// num writes v rounded to dec decimals.
func (w *jsonWriter) num(v float64, dec int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = strconv.AppendFloat(w.b, roundTo(v, dec), 'f', -1, 64)
}

func (w *jsonWriter) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// str writes s as a JSON string safe inside <script>.
func (w *jsonWriter) str(s string) {
	w.b = append(w.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				w.b = append(w.b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				w.b = append(w.b, `\u00`...)
				w.b = append(w.b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			default:
				w.b = append(w.b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.b = append(w.b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			w.b = append(w.b, `\u202`...)
			w.b = append(w.b, "0123456789abcdef"[r&15])
		default:
			w.b = append(w.b, s[i:i+size]...)
		}
		i += size
	}
	w.b = append(w.b, '"')
}

// array writes a JSON array of n items, each written by item(i).
func (w *jsonWriter) array(n int, item func(i int)) {
	w.b = append(w.b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		item(i)
	}
	w.b = append(w.b, ']')
}

// ints writes a JSON array of n integers v(i).
func (w *jsonWriter) ints(n int, v func(i int) int) { w.array(n, func(i int) { w.int(v(i)) }) }

// nums writes a JSON array of n numbers v(i) with dec decimals.
func (w *jsonWriter) nums(n, dec int, v func(i int) float64) {
	w.array(n, func(i int) { w.num(v(i), dec) })
}

// strs writes a JSON array of n strings v(i).
func (w *jsonWriter) strs(n int, v func(i int) string) { w.array(n, func(i int) { w.str(v(i)) }) }
