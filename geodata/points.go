package geodata

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// PointOptions tunes ReadPoints. The zero value detects everything.
type PointOptions struct {
	// CRS forces the coordinates' CRS: "EPSG:4326" or "EPSG:2154"
	// (also "4326", "2154", "wgs84", "lambert93"). Empty: detect from a
	// GeoJSON crs member or the coordinate ranges of the first rows.
	CRS string
	// IDField, LonField, LatField, UnitsField name columns (or GeoJSON
	// properties) explicitly, case-insensitively, instead of detecting them.
	IDField, LonField, LatField, UnitsField string
	// MaxSkipExamples is how many individual skips to keep (counts are
	// always complete); 0 means DefaultMaxSkipExamples, -1 none.
	MaxSkipExamples int
	// Workers parses CSV chunks on that many goroutines; 0 means
	// GOMAXPROCS (at most 8).
	Workers int
	// SizeHint is the input's size in bytes when r cannot tell it (r is
	// not an *os.File or a bytes/strings.Reader, e.g. a progress or
	// hashing wrapper); 0 means unknown. It only sizes buffers up front.
	SizeHint int64
	// Limits bound what the file may make the reader hold (CSV record
	// length, KML text) and echo in errors; the zero value is the defaults.
	Limits Limits
	// Strict makes every finding an error: a skipped record, a kept
	// record with a caveat, duplicate ids.
	Strict bool
}

// ColumnUse says which input column (or property) fed which field.
type ColumnUse struct {
	Field  string `json:"field"`  // id, lon, lat, x, y, geo_point_2d, geo_shape, wkt, units, kind, range_m, capacity_mbps, status
	Column string `json:"column"` // as written in the file
}

// PointLayer is a point file read into compact parallel slices, in WGS84
// lon/lat. Optional per-point slices are nil when the file has no such
// column: Units then means 1 each, Active true each, RangeM and
// CapacityMbps unknown. In the non-nil RangeM and CapacityMbps, NaN means
// "empty in this record".
//
// Ids live in one string arena; ID(i) returns a substring of it without
// allocating. A PointLayer is read-only once returned and safe for
// concurrent reads.
type PointLayer struct {
	Name     string // as given to the reader
	Format   string // "csv" or "geojson"
	Encoding string // "UTF-8", or "Windows-1252 (detected, converted to UTF-8)"
	CRS      string // e.g. CRSWGS84 or CRSL93Detected

	Pts          []orb.Point // lon, lat degrees
	Lines        []int32     // CSV line of each point, or GeoJSON feature index
	Units        []int32
	Kinds        []coverage.Kind
	RangeM       []float64
	CapacityMbps []float64
	Active       []bool

	Columns []string    // CSV header or GeoJSON property names seen, in order
	Used    []ColumnUse // which column gave what
	Records int         // data rows or features read, including skipped ones

	Skips      []Skip        // the first MaxSkipExamples skipped records
	SkipCounts []ReasonCount // all skipped records by reason, sorted
	Warnings   []ReasonCount // records kept with a caveat, by reason, sorted
	// Diagnostics are the findings with examples (ids used more than
	// once...).
	Diagnostics []Diagnostic

	ids     []byte // the id arena while the layer is built; see sealIDs
	idArena string // the id arena once built
	idEnd   []uint32
}

// Len is the number of points kept.
func (l *PointLayer) Len() int { return len(l.Pts) }

// ID is the id of point i: the id column's value or, without one, the
// 1-based data row (CSV) or feature number (GeoJSON). The string shares
// memory with the layer and must not be modified.
func (l *PointLayer) ID(i int) string {
	start := uint32(0)
	if i > 0 {
		start = l.idEnd[i-1]
	}
	return l.idArena[start:l.idEnd[i]]
}

// sealIDs turns the id arena built in l.ids into the string ID reads.
// Copying it once, rather than viewing the bytes as a string with
// unsafe.String, costs 0.4 ms and a transient 5.9 MB for 1M ids (the
// reader takes about 200 ms for them: BenchmarkReadPointsCSV), so the
// package uses no unsafe.
func (l *PointLayer) sealIDs() {
	l.idArena = string(l.ids)
	l.ids = nil
}

// UnitsAt is point i's units, 1 without a units column.
func (l *PointLayer) UnitsAt(i int) int32 {
	if l.Units == nil {
		return 1
	}
	return l.Units[i]
}

// ActiveAt is whether point i is active or operational (true without a
// status column).
func (l *PointLayer) ActiveAt(i int) bool { return l.Active == nil || l.Active[i] }

// Skipped is the number of records skipped.
func (l *PointLayer) Skipped() int { return total(l.SkipCounts) }

// Bound is the lon/lat bounding box of the points (empty Bound when none).
func (l *PointLayer) Bound() orb.Bound {
	return boundOf(l.Pts)
}

func boundOf(pts []orb.Point) orb.Bound {
	if len(pts) == 0 {
		return orb.Bound{}
	}
	b := orb.Bound{Min: pts[0], Max: pts[0]}
	for _, p := range pts[1:] {
		b.Min[0] = math.Min(b.Min[0], p[0])
		b.Min[1] = math.Min(b.Min[1], p[1])
		b.Max[0] = math.Max(b.Max[0], p[0])
		b.Max[1] = math.Max(b.Max[1], p[1])
	}
	return b
}

// pointBatch is a PointLayer under construction (one CSV chunk, or a whole
// GeoJSON file).
type pointBatch struct {
	pts    []orb.Point
	lines  []int32
	rec    []int32 // record index (0-based, within the batch) when ids are generated
	units  []int32
	kinds  []coverage.Kind
	rangeM []float64
	capM   []float64
	active []bool
	ids    []byte
	idEnd  []uint32
	t      tally
	nrec   int
}

// grow makes room for n more records without reallocation.
func (b *pointBatch) grow(n int, f *fieldSet) {
	b.pts = slices.Grow(b.pts, n)
	b.lines = slices.Grow(b.lines, n)
	if f.id < 0 {
		b.rec = slices.Grow(b.rec, n)
	} else {
		b.idEnd = slices.Grow(b.idEnd, n)
		b.ids = slices.Grow(b.ids, 12*n)
	}
	if f.units >= 0 {
		b.units = slices.Grow(b.units, n)
	}
}

func (b *pointBatch) reset() {
	b.pts, b.lines, b.rec = b.pts[:0], b.lines[:0], b.rec[:0]
	b.units, b.kinds, b.rangeM, b.capM, b.active = b.units[:0], b.kinds[:0], b.rangeM[:0], b.capM[:0], b.active[:0]
	b.ids, b.idEnd = b.ids[:0], b.idEnd[:0]
	b.t = tally{max: b.t.max}
	b.nrec = 0
}

// appendTo appends the batch to the layer. recBase is the number of data
// records before this batch, for generated ids.
func (b *pointBatch) appendTo(l *PointLayer, f *fieldSet, recBase int, t *tally) error {
	l.Pts = append(l.Pts, b.pts...)
	l.Lines = append(l.Lines, b.lines...)
	if f.units >= 0 {
		l.Units = append(l.Units, b.units...)
	}
	if f.kind >= 0 {
		l.Kinds = append(l.Kinds, b.kinds...)
	}
	if f.rangeM >= 0 {
		l.RangeM = append(l.RangeM, b.rangeM...)
	}
	if f.capM >= 0 {
		l.CapacityMbps = append(l.CapacityMbps, b.capM...)
	}
	if f.status >= 0 {
		l.Active = append(l.Active, b.active...)
	}
	base := uint64(len(l.ids))
	if f.id >= 0 {
		if base+uint64(len(b.ids)) > math.MaxUint32 {
			return fileErr(l.Name, ErrSyntax, "ids take more than 4 GiB")
		}
		l.ids = append(l.ids, b.ids...)
		for _, e := range b.idEnd {
			l.idEnd = append(l.idEnd, uint32(base)+e)
		}
	} else {
		for _, r := range b.rec {
			l.ids = strconv.AppendInt(l.ids, int64(recBase)+int64(r)+1, 10)
			if uint64(len(l.ids)) > math.MaxUint32 {
				return fileErr(l.Name, ErrSyntax, "ids take more than 4 GiB")
			}
			l.idEnd = append(l.idEnd, uint32(len(l.ids)))
		}
	}
	l.Records += b.nrec
	t.merge(&b.t)
	return nil
}

// reserve extends the layer's slices by the batch's records within their
// capacity and returns the function that copies the batch there, which
// may run on another goroutine (it writes only the reserved ranges). It
// returns nil, changing nothing, when some slice lacks capacity: the
// caller then waits for pending copies and uses appendTo. Generated ids
// (no id column) are formatted here, sequentially.
func (b *pointBatch) reserve(l *PointLayer, f *fieldSet, recBase int, t *tally) func() {
	n := len(b.pts)
	room := func(length, capacity, extra int) bool { return capacity-length >= extra }
	if !room(len(l.Pts), cap(l.Pts), n) || !room(len(l.Lines), cap(l.Lines), n) || !room(len(l.idEnd), cap(l.idEnd), n) ||
		f.units >= 0 && !room(len(l.Units), cap(l.Units), n) ||
		f.kind >= 0 && !room(len(l.Kinds), cap(l.Kinds), n) ||
		f.rangeM >= 0 && !room(len(l.RangeM), cap(l.RangeM), n) ||
		f.capM >= 0 && !room(len(l.CapacityMbps), cap(l.CapacityMbps), n) ||
		f.status >= 0 && !room(len(l.Active), cap(l.Active), n) ||
		f.id >= 0 && (!room(len(l.ids), cap(l.ids), len(b.ids)) || uint64(len(l.ids))+uint64(len(b.ids)) > math.MaxUint32) ||
		f.id < 0 && !room(len(l.ids), cap(l.ids), 11*n) {
		return nil
	}
	off := len(l.Pts)
	l.Pts = l.Pts[:off+n]
	l.Lines = l.Lines[:off+n]
	l.idEnd = l.idEnd[:off+n]
	if f.units >= 0 {
		l.Units = l.Units[:off+n]
	}
	if f.kind >= 0 {
		l.Kinds = l.Kinds[:off+n]
	}
	if f.rangeM >= 0 {
		l.RangeM = l.RangeM[:off+n]
	}
	if f.capM >= 0 {
		l.CapacityMbps = l.CapacityMbps[:off+n]
	}
	if f.status >= 0 {
		l.Active = l.Active[:off+n]
	}
	idOff := len(l.ids)
	if f.id >= 0 {
		l.ids = l.ids[:idOff+len(b.ids)]
	} else {
		for k, r := range b.rec {
			l.ids = strconv.AppendInt(l.ids, int64(recBase)+int64(r)+1, 10)
			l.idEnd[off+k] = uint32(len(l.ids))
		}
	}
	l.Records += b.nrec
	t.merge(&b.t)
	// The copy works on sub-slices taken now: the merger goes on
	// re-slicing the layer's headers while it runs.
	pts, lines, ends := l.Pts[off:off+n], l.Lines[off:off+n], l.idEnd[off:off+n]
	var units []int32
	var kinds []coverage.Kind
	var rangeM, capM []float64
	var active []bool
	var ids []byte
	if f.units >= 0 {
		units = l.Units[off : off+n]
	}
	if f.kind >= 0 {
		kinds = l.Kinds[off : off+n]
	}
	if f.rangeM >= 0 {
		rangeM = l.RangeM[off : off+n]
	}
	if f.capM >= 0 {
		capM = l.CapacityMbps[off : off+n]
	}
	if f.status >= 0 {
		active = l.Active[off : off+n]
	}
	if f.id >= 0 {
		ids = l.ids[idOff : idOff+len(b.ids)]
	}
	return func() {
		copy(pts, b.pts)
		copy(lines, b.lines)
		copy(units, b.units)
		copy(kinds, b.kinds)
		copy(rangeM, b.rangeM)
		copy(capM, b.capM)
		copy(active, b.active)
		if f.id >= 0 {
			copy(ids, b.ids)
			for k, e := range b.idEnd {
				ends[k] = uint32(idOff) + e
			}
		}
	}
}

// ReadPoints reads a point file: CSV (any separator among , ; tab) or
// GeoJSON (when the first non-space byte is '{'). See the package doc for
// the columns it recognises; PointOptions can name them instead.
//
// Records with a bad coordinate, a bad count or an out-of-range value are
// skipped and counted by reason; structural problems (no coordinate columns,
// a row with the wrong number of fields, invalid JSON, a non-point geometry)
// are errors located by line or feature. Coordinates in Lambert-93 (declared
// or detected from their ranges) are converted to lon/lat.
func ReadPoints(r io.Reader, name string, opt PointOptions) (*PointLayer, error) {
	sizeHint := inputSize(r)
	if sizeHint == 0 {
		sizeHint = opt.SizeHint
	}
	br := bufio.NewReaderSize(r, readBufSize(sizeHint))
	isJSON, err := sniffJSON(br)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	var l *PointLayer
	if isJSON {
		l, err = readPointsGeoJSON(br, name, opt, sizeHint)
	} else {
		l, err = readPointsCSV(br, name, opt, sizeHint)
	}
	if err != nil {
		return nil, err
	}
	return l, l.finish(opt)
}

// finish checks a point layer once read: a file without records, or
// without a usable one, is an error (ErrEmpty); ids used more than once
// are a Warning diagnostic; under opt.Strict every finding is an error.
func (l *PointLayer) finish(opt PointOptions) error {
	what := "records"
	if l.Format != "csv" {
		what = "features"
	}
	if l.Records == 0 {
		if l.Format == "csv" {
			return fileErr(l.Name, ErrEmpty, "no records: the file has a header and no data rows")
		}
		return fileErr(l.Name, ErrEmpty, "no records: the file has no features")
	}
	if l.Len() == 0 {
		return fileErr(l.Name, ErrEmpty, "no usable %s: all %d were skipped (%s)", what, l.Records, reasons(l.SkipCounts))
	}
	d := newDiags(l.Name)
	if l.hasIDColumn() {
		for _, r := range idRepeats(l.Len(), l.ID) {
			ex := l.example(r.second)
			ex.At, ex.Detail = nil, "also "+l.where(r.first)
			if r.uses > 2 {
				ex.Detail += " and " + strconv.Itoa(r.uses-2) + " more"
			}
			d.add("duplicate-id", Warning, what+" repeat the id of an earlier one",
				"ids only label the outputs, but a repeated row counts its premises twice: remove duplicated rows", r.uses-1, &ex)
		}
	}
	l.Diagnostics = d.list
	if opt.Strict {
		return StrictError(l.AllDiagnostics())
	}
	return nil
}

// hasIDColumn reports whether the ids come from the file.
func (l *PointLayer) hasIDColumn() bool {
	for _, u := range l.Used {
		if u.Field == "id" {
			return true
		}
	}
	return false
}

// example locates point i for a Diagnostic: its line in a CSV file, else
// its feature, with its id and position.
func (l *PointLayer) example(i int) Example {
	p := l.Pts[i]
	ex := Example{Feature: int(l.Lines[i]), ID: l.ID(i), At: at(p[0], p[1])}
	if l.Format == "csv" {
		ex.Feature, ex.Line = -1, int(l.Lines[i])
	}
	return ex
}

// where is point i's location in the file: "line N" or "feature N".
func (l *PointLayer) where(i int) string {
	if l.Format == "csv" {
		return "line " + strconv.Itoa(int(l.Lines[i]))
	}
	return "feature " + strconv.Itoa(int(l.Lines[i]))
}

// AllDiagnostics is the layer's Diagnostics followed by its skip and
// warning counts as diagnostics.
func (l *PointLayer) AllDiagnostics() []Diagnostic {
	return append(slices.Clone(l.Diagnostics), countDiagnostics(l.Name, l.SkipCounts, l.Skips, l.Warnings)...)
}

// readBufSize is the bufio size for an input of sizeHint bytes (0 when
// unknown): 64 KiB, or less for a small input.
func readBufSize(sizeHint int64) int {
	if sizeHint > 0 && sizeHint < 64<<10 {
		return max(int(sizeHint)+16, 512)
	}
	return 64 << 10
}

// inputSize is the size in bytes of r if it can tell (a file, a
// bytes.Reader), else 0.
func inputSize(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			if s, ok := r.(io.Seeker); ok {
				if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
					return fi.Size() - pos
				}
			}
			return fi.Size()
		}
	case interface{ Len() int }:
		return int64(v.Len())
	}
	return 0
}

// sniffJSON reports whether the first non-space byte (after a UTF-8 BOM) is
// '{' or '['.
func sniffJSON(br *bufio.Reader) (bool, error) {
	for n := 64; ; n *= 2 {
		b, err := br.Peek(n)
		b = bytes.TrimPrefix(b, bom)
		t := bytes.TrimLeft(b, " \t\r\n")
		if len(t) > 0 {
			return t[0] == '{' || t[0] == '[', nil
		}
		if err != nil {
			if err == io.EOF {
				return false, nil
			}
			return false, err
		}
		if n >= br.Size() {
			return false, nil
		}
	}
}

var bom = []byte{0xEF, 0xBB, 0xBF}
