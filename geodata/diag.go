package geodata

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Severity says what a reader or Build did about a finding.
type Severity string

const (
	// Repaired: the input was changed in the one way it could mean (an
	// unclosed ring closed, a repeated point removed) and counted.
	Repaired Severity = "repaired"
	// Skipped: records or features were left out and counted.
	Skipped Severity = "skipped"
	// Warning: kept as read, but the plan may not be what the user meant
	// (zones that overlap, duplicate ids, premises outside every zone).
	Warning Severity = "warning"
)

// Diagnostic is one kind of finding about one input file: how many
// features it concerns, a few examples and, where one helps, a hint.
// Diagnostics are plain data, marshalable to JSON for summaries and
// `covplan inspect --json`; String is the line covplan prints on stderr.
type Diagnostic struct {
	File     string    `json:"file"`
	Code     string    `json:"code"` // stable, e.g. "unclosed-ring", "overlap", "duplicate-id", "far-feature", "outside-zones"
	Severity Severity  `json:"severity"`
	Count    int       `json:"count"`   // features (or pairs, for overlaps) concerned
	Message  string    `json:"message"` // what was found, e.g. "zones overlap"
	Hint     string    `json:"hint,omitempty"`
	Examples []Example `json:"examples,omitempty"` // the first few, in file order
}

// Example locates one instance of a Diagnostic.
type Example struct {
	Feature int    `json:"feature"`        // 0-based feature or record index, -1 when only the CSV line is known
	Line    int    `json:"line,omitempty"` // 1-based CSV line
	ID      string `json:"id,omitempty"`
	// At is a position in lon/lat degrees (the point, a crossing, the
	// centre of an overlap); nil when none applies.
	At     *[2]float64 `json:"at,omitempty"`
	Detail string      `json:"detail,omitempty"`
	// Other is the second feature of a pair (overlapping zones).
	Other *Example `json:"other,omitempty"`
}

// DefaultMaxExamples is how many examples a Diagnostic keeps.
const DefaultMaxExamples = 5

// String is the diagnostic as one line: "FILE: N message (severity): e.g.
// EXAMPLE; EXAMPLE; hint".
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(d.Count))
	b.WriteString(" ")
	b.WriteString(d.Message)
	b.WriteString(" (")
	b.WriteString(string(d.Severity))
	b.WriteString(")")
	for i, e := range d.Examples {
		if i == 0 {
			b.WriteString(": e.g. ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(e.String())
	}
	if d.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// String is the example as "feature 3 (id "15014") at 2.500000,45.100000: detail".
func (e Example) String() string {
	var b strings.Builder
	switch {
	case e.Line > 0:
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
	case e.Feature >= 0:
		b.WriteString("feature ")
		b.WriteString(strconv.Itoa(e.Feature))
	}
	if e.ID != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("(id ")
		b.WriteString(strconv.Quote(e.ID))
		b.WriteString(")")
	}
	if e.Other != nil {
		b.WriteString(" and ")
		b.WriteString(e.Other.String())
	}
	if e.At != nil {
		fmt.Fprintf(&b, " at %.6f,%.6f", e.At[0], e.At[1])
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return strings.TrimSpace(b.String())
}

// at is a position for an Example, rounded to 1e-7 degrees (about 1 cm).
func at(lon, lat float64) *[2]float64 {
	return &[2]float64{math.Round(lon*1e7) / 1e7, math.Round(lat*1e7) / 1e7}
}

// diags collects diagnostics by code for one file, in first-seen order,
// keeping complete counts and the first max examples of each.
type diags struct {
	file string
	max  int
	list []Diagnostic
}

func newDiags(file string) *diags { return &diags{file: file, max: DefaultMaxExamples} }

// add counts one instance (n of them) of code, with an example (nil for
// none) kept while there is room.
func (c *diags) add(code string, sev Severity, msg, hint string, n int, ex *Example) {
	for i := range c.list {
		d := &c.list[i]
		if d.Code == code {
			d.Count += n
			if ex != nil && len(d.Examples) < c.max {
				d.Examples = append(d.Examples, *ex)
			}
			return
		}
	}
	d := Diagnostic{File: c.file, Code: code, Severity: sev, Count: n, Message: msg, Hint: hint}
	if ex != nil && c.max > 0 {
		d.Examples = []Example{*ex}
	}
	c.list = append(c.list, d)
}

// ErrStrict: under a strict option, a finding that would have been
// repaired, skipped or warned about.
var ErrStrict = errors.New("strict")

// StrictError is nil when ds is empty, else an error naming the first
// diagnostic of each file and how many there are in all: what a strict
// run stops on.
func StrictError(ds []Diagnostic) error {
	if len(ds) == 0 {
		return nil
	}
	d := ds[0]
	msg := "strict: " + strings.TrimPrefix(d.String(), d.File+": ")
	if len(ds) > 1 {
		msg += fmt.Sprintf(" (and %d more finding(s); see covplan inspect)", len(ds)-1)
	}
	return &Error{File: d.File, Feature: -1, Offset: -1, Msg: msg, Err: ErrStrict}
}

// countDiagnostics turns a layer's skip and warning counts into
// diagnostics (the examples of skips come from skips).
func countDiagnostics(file string, skipCounts []ReasonCount, skips []Skip, warnings []ReasonCount) []Diagnostic {
	var out []Diagnostic
	for _, c := range skipCounts {
		d := Diagnostic{File: file, Code: "skipped", Severity: Skipped, Count: c.Count, Message: "record(s) skipped: " + c.Reason}
		for _, s := range skips {
			if s.Reason == c.Reason && len(d.Examples) < DefaultMaxExamples {
				d.Examples = append(d.Examples, Example{Feature: s.Feature, Line: s.Line, Detail: s.Detail})
			}
		}
		out = append(out, d)
	}
	for _, c := range warnings {
		out = append(out, Diagnostic{File: file, Code: "warning", Severity: Warning, Count: c.Count, Message: "record(s) kept with a caveat: " + c.Reason})
	}
	return out
}

// featureDiags is diags seen from one feature: its examples carry the
// feature's index, line and id.
type featureDiags struct {
	d       *diags
	feature int
	line    int
	id      string
}

// forFeature is a view of c for feature i (0-based) with id, read from
// line (1-based CSV line; 0 when not line-based).
func (c *diags) forFeature(i int, id string, line int) *featureDiags {
	return &featureDiags{d: c, feature: i, line: line, id: id}
}

// add counts one instance of code for the feature, with detail and an
// optional position.
func (f *featureDiags) add(code string, sev Severity, msg, hint, detail string, pos *orb.Point) {
	if f == nil || f.d == nil {
		return
	}
	ex := &Example{Feature: f.feature, Line: f.line, ID: f.id, Detail: detail}
	if pos != nil {
		ex.At = at(pos[0], pos[1])
	}
	f.d.add(code, sev, msg, hint, 1, ex)
}

// err adds the feature's id and line to a located error.
func (f *featureDiags) err(e *Error) error {
	if f != nil {
		e.ID = f.id
		if e.Line == 0 {
			e.Line = f.line
		}
	}
	return e
}
