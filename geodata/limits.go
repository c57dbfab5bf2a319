package geodata

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits bound what one input file may make a reader hold, inflate or
// echo, so that a small broken or hostile file (a zip bomb, a KML whose
// name is 1 GiB long, /dev/zero given as a CSV) fails fast with a clear
// error instead of eating the machine. A zero field means its default;
// each default is far above what real files need, and each error says
// which limit was hit and which covplan flag raises it.
type Limits struct {
	// MaxRecordBytes bounds one CSV record, the header included (default
	// DefaultMaxRecordBytes; zone files, whose WKT cells hold whole
	// polygons, DefaultMaxZoneRecordBytes). covplan: --max-record-bytes.
	MaxRecordBytes int
	// MaxTextBytes bounds one XML token of a KML file (a tag, a comment,
	// the text of a name, description or ExtendedData value), and the text
	// of one element; <coordinates> text is bounded by the file's size
	// only (default DefaultMaxTextBytes). covplan: --max-text-bytes.
	MaxTextBytes int
	// MaxInflatedBytes bounds the decompressed size of one member of a zip
	// or KMZ archive, counted while inflating, whatever its header claims
	// (default DefaultMaxInflatedBytes). covplan: --max-inflated-bytes.
	MaxInflatedBytes int64
	// MaxInflateRatio bounds a member's decompressed size as a multiple of
	// its compressed size once it inflates past InflateRatioFloor (default
	// DefaultMaxInflateRatio: real shapefiles and KML inflate 2 to 20
	// times, zip bombs a thousand). covplan: --max-inflate-ratio.
	MaxInflateRatio int64
	// MaxSidecarBytes bounds a shapefile's .prj and .cpg (default
	// DefaultMaxSidecarBytes). covplan: --max-sidecar-bytes.
	MaxSidecarBytes int64
	// MaxEchoBytes bounds how much of one input value (a header, a column
	// name, an id, a CRS name, a WKT) an error message quotes; longer
	// values are cut and their length given (default
	// DefaultMaxEchoBytes). covplan: --max-echo-bytes.
	MaxEchoBytes int
}

// Default limits.
const (
	DefaultMaxRecordBytes     = 1 << 20
	DefaultMaxZoneRecordBytes = 64 << 20
	DefaultMaxTextBytes       = 1 << 20
	DefaultMaxInflatedBytes   = 2 << 30
	DefaultMaxInflateRatio    = 100
	DefaultMaxSidecarBytes    = 64 << 10
	DefaultMaxEchoBytes       = 80
	// InflateRatioFloor is the size below which the inflate ratio is not
	// checked (a tiny archive of a highly repetitive file is not a bomb).
	InflateRatioFloor = 64 << 20
	// maxEchoList is how many values a list in an error message shows.
	maxEchoList = 20
)

// ErrLimit: an input went past one of the Limits.
var ErrLimit = errors.New("limit exceeded")

// or is v, or def when v is not positive.
func or[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (l Limits) recordBytes(def int) int { return or(l.MaxRecordBytes, def) }
func (l Limits) textBytes() int          { return or(l.MaxTextBytes, DefaultMaxTextBytes) }
func (l Limits) inflatedBytes() int64    { return or(l.MaxInflatedBytes, DefaultMaxInflatedBytes) }
func (l Limits) inflateRatio() int64     { return or(l.MaxInflateRatio, DefaultMaxInflateRatio) }
func (l Limits) sidecarBytes() int64     { return or(l.MaxSidecarBytes, DefaultMaxSidecarBytes) }
func (l Limits) echoBytes() int          { return or(l.MaxEchoBytes, DefaultMaxEchoBytes) }

// limitErr is the error for a limit hit: what went past how many bytes,
// and the flag that raises the limit.
func limitErr(file string, line int, what string, limit int64, flag string) *Error {
	return &Error{File: file, Line: line, Feature: -1, Offset: -1, Err: ErrLimit,
		Msg: fmt.Sprintf("%s is longer than %s (a limit against broken or hostile files; raise it with %s)", what, byteSize(limit), flag)}
}

// byteSize writes n bytes as "1 MiB", "64 KiB" or "123 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// echo quotes an input value for a message, cut to max bytes (on a rune
// boundary) with its full length said.
func echo(s string, max int) string {
	if max <= 0 {
		max = DefaultMaxEchoBytes
	}
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := s[:max]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return strconv.Quote(cut) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

// echoList quotes values for a message: at most maxEchoList of them, each
// cut as echo does.
func echoList(ss []string, max int) string {
	n := min(len(ss), maxEchoList)
	q := make([]string, n)
	for i, s := range ss[:n] {
		q[i] = echo(s, max)
	}
	out := strings.Join(q, ", ")
	if len(ss) > n {
		out += fmt.Sprintf(" and %d more", len(ss)-n)
	}
	return out
}

// ReadSidecar reads a shapefile's .prj or .cpg from r, refusing one
// longer than lim.MaxSidecarBytes: a .prj is a line of WKT, a .cpg a
// code page name. name (the sidecar's) is used in errors.
func ReadSidecar(r io.Reader, name string, lim Limits) ([]byte, error) {
	max := lim.sidecarBytes()
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	if int64(len(b)) > max {
		return nil, limitErr(name, 0, "the file", max, "--max-sidecar-bytes")
	}
	return b, nil
}

// inflateReader counts the bytes inflated from an archive member and fails
// once they pass the member's limits, whatever its header said.
type inflateReader struct {
	r          io.Reader
	n          int64
	max        int64 // absolute limit
	ratioMax   int64 // ratio limit in bytes (0: none)
	compressed int64
	ratio      int64
	archive    string
	member     string
}

func newInflateReader(r io.Reader, archive, member string, compressed int64, lim Limits) *inflateReader {
	ir := &inflateReader{r: r, max: lim.inflatedBytes(), archive: archive, member: member, compressed: compressed, ratio: lim.inflateRatio()}
	if c := compressed * ir.ratio; compressed > 0 && c/ir.ratio == compressed {
		ir.ratioMax = max(c, InflateRatioFloor)
	}
	return ir
}

func (ir *inflateReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	ir.n += int64(n)
	switch {
	case ir.n > ir.max:
		return n, limitErr(ir.archive, 0, ir.member+" inflated", ir.max, "--max-inflated-bytes")
	case ir.ratioMax > 0 && ir.n > ir.ratioMax:
		return n, &Error{File: ir.archive, Feature: -1, Offset: -1, Err: ErrLimit,
			Msg: fmt.Sprintf("%s inflates to more than %d times its %d compressed bytes (a zip bomb? raise the limit with --max-inflate-ratio)", ir.member, ir.ratio, ir.compressed)}
	}
	return n, err
}

// echoType quotes a geometry type name for a message: as is when it is a
// short word, cut and quoted otherwise.
func echoType(t string) string {
	if len(t) > 0 && len(t) <= 32 && strings.IndexFunc(t, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') }) < 0 {
		return t
	}
	return echo(t, 0)
}
