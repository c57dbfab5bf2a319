package geodata

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Sentinel errors, matched with errors.Is through the located *Error.
var (
	// ErrNoCoordinates: a CSV file has no column the reader can take
	// coordinates from. The message lists the columns found.
	ErrNoCoordinates = errors.New("no coordinate columns")
	// ErrSyntax: the file is not valid CSV or JSON.
	ErrSyntax = errors.New("syntax error")
	// ErrGeometry: a geometry of the wrong type, or malformed.
	ErrGeometry = errors.New("bad geometry")
	// ErrDuplicateID: two zones have the same id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrRange: a coordinate outside the CRS's valid range where the record
	// cannot be skipped (zones).
	ErrRange = errors.New("coordinate out of range")
	// ErrEmpty: the file has no usable record.
	ErrEmpty = errors.New("no records")
)

// Error is a located input error. Its message reads
// "geodata: FILE:LINE: FIELD: problem" for CSV,
// "geodata: FILE: feature N (id "X"): FIELD: problem" for features (the
// id when known), "geodata: FILE: feature N: problem (invalid JSON at byte
// M)" for a JSON syntax error inside a feature and
// "geodata: FILE: invalid JSON at byte N: problem" for one outside any.
// Unwrap returns Err, so errors.Is works with the sentinels above.
type Error struct {
	File    string
	Line    int    // 1-based CSV line; 0 when not line-based
	Feature int    // 0-based GeoJSON feature index; -1 when not applicable
	ID      string // the feature's id, when known
	Offset  int64  // byte offset of a JSON syntax error; -1 when not applicable
	Field   string
	Msg     string
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("geodata: ")
	b.WriteString(e.File)
	switch {
	case e.Line > 0:
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	case e.Feature >= 0:
		fmt.Fprintf(&b, ": feature %d", e.Feature)
	case e.Offset >= 0:
		fmt.Fprintf(&b, ": invalid JSON at byte %d", e.Offset)
	}
	if e.ID != "" {
		b.WriteString(" (id ")
		b.WriteString(echo(e.ID, 0))
		b.WriteString(")")
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil && e.Msg == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Offset >= 0 && (e.Line > 0 || e.Feature >= 0) {
		fmt.Fprintf(&b, " (invalid JSON at byte %d)", e.Offset)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func lineErr(file string, line int, field string, sentinel error, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Feature: -1, Offset: -1, Field: field, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

func featErr(file string, feature int, field string, sentinel error, format string, args ...any) *Error {
	return &Error{File: file, Feature: feature, Offset: -1, Field: field, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

func fileErr(file string, sentinel error, format string, args ...any) *Error {
	return &Error{File: file, Feature: -1, Offset: -1, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// Skip is one record a reader left out, and why. Line is the 1-based CSV
// line (0 for GeoJSON); Feature the 0-based GeoJSON feature index (-1 for
// CSV). Reason is a short fixed phrase ("lon out of range") used for
// counting; Detail adds the offending value.
type Skip struct {
	Line    int    `json:"line,omitempty"`
	Feature int    `json:"feature"`
	Reason  string `json:"reason"`
	Detail  string `json:"detail,omitempty"`
}

func (s Skip) String() string {
	loc := "feature " + strconv.Itoa(s.Feature)
	if s.Line > 0 {
		loc = "line " + strconv.Itoa(s.Line)
	}
	if s.Detail != "" {
		return loc + ": " + s.Reason + " (" + s.Detail + ")"
	}
	return loc + ": " + s.Reason
}

// ReasonCount counts records skipped (or warnings raised) for one reason.
type ReasonCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// DefaultMaxSkipExamples is how many individual Skips a layer keeps when
// the options say 0; counts by reason are always complete.
const DefaultMaxSkipExamples = 100

// tally accumulates skips and warnings: complete counts by reason, and the
// first max examples.
type tally struct {
	max      int
	examples []Skip
	counts   []ReasonCount // small: linear search
	warnings []ReasonCount
}

func (t *tally) skip(s Skip) {
	t.counts = addCount(t.counts, s.Reason, 1)
	if len(t.examples) < t.max {
		t.examples = append(t.examples, s)
	}
}

func (t *tally) warn(reason string) { t.warnings = addCount(t.warnings, reason, 1) }

func addCount(cs []ReasonCount, reason string, n int) []ReasonCount {
	for i := range cs {
		if cs[i].Reason == reason {
			cs[i].Count += n
			return cs
		}
	}
	return append(cs, ReasonCount{reason, n})
}

// merge adds o's counts and as many of its examples as fit.
func (t *tally) merge(o *tally) {
	for _, c := range o.counts {
		t.counts = addCount(t.counts, c.Reason, c.Count)
	}
	for _, c := range o.warnings {
		t.warnings = addCount(t.warnings, c.Reason, c.Count)
	}
	for _, s := range o.examples {
		if len(t.examples) >= t.max {
			break
		}
		t.examples = append(t.examples, s)
	}
}

// results are the tally's examples, and its skip and warning counts
// sorted by reason: what a layer keeps.
func (t *tally) results() ([]Skip, []ReasonCount, []ReasonCount) {
	return t.examples, sortCounts(t.counts), sortCounts(t.warnings)
}

// reasons writes counts as "2 bad lon, 1 lon out of range".
func reasons(cs []ReasonCount) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(c.Count))
		b.WriteString(" ")
		b.WriteString(c.Reason)
	}
	return b.String()
}

func sortCounts(cs []ReasonCount) []ReasonCount {
	slices.SortFunc(cs, func(a, b ReasonCount) int { return strings.Compare(a.Reason, b.Reason) })
	return cs
}

func total(cs []ReasonCount) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}
