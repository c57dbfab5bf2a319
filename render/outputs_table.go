package render

import (
	"fmt"
	"strconv"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// The zone table typed, for writers of typed formats outside this package
// (covplan writes zones.gpkg with geodata's GeoPackage writer): the
// columns of zones.csv with a type each, and per zone the values and the
// geometry of zones.geojson. render formats; it does not know the format.

// ColumnType is the type of a zone table column.
type ColumnType uint8

const (
	ColumnText    ColumnType = iota + 1 // ids, names, technology, level, reason codes ("|"-joined as in zones.csv)
	ColumnInteger                       // counts, year
	ColumnReal                          // euros, speeds, distances, areas, coordinates
	ColumnBoolean                       // meets_target, <tech>_feasible
)

var columnTypeNames = [...]string{ColumnText: "TEXT", ColumnInteger: "INTEGER", ColumnReal: "REAL", ColumnBoolean: "BOOLEAN"}

// String is the SQL type name: "TEXT", "INTEGER", "REAL" or "BOOLEAN".
func (t ColumnType) String() string {
	if int(t) < len(columnTypeNames) && columnTypeNames[t] != "" {
		return columnTypeNames[t]
	}
	return "ColumnType(" + strconv.Itoa(int(t)) + ")"
}

// TypedColumn is one zones.csv column with its type.
type TypedColumn struct {
	Name string
	Type ColumnType
}

// Value is one zone's value in one column. Null is true where zones.csv
// has an empty field; otherwise Text holds a ColumnText value, Int a
// ColumnInteger one or a ColumnBoolean one (0 or 1), and Real a ColumnReal
// one: the number zones.csv writes (rounded to its decimals), read back.
type Value struct {
	Null bool
	Int  int64
	Real float64
	Text string
}

// ZoneTableColumns returns the columns of zones.csv (ZoneColumns: same
// names, same order) with their types.
func ZoneTableColumns() []TypedColumn {
	// The types are those of the encoder calls; any zone shows them.
	probe := &typedEncoder{}
	r := &zoneRow{zone: &coverage.Zone{}, plan: &coverage.ZonePlan{}, scenario: &coverage.Scenario{}, level: levelPremise}
	cols := make([]TypedColumn, len(zoneColumns))
	for i, c := range zoneColumns {
		c.put(probe, r)
		cols[i] = TypedColumn{Name: c.name, Type: probe.types[i]}
	}
	return cols
}

// EachZoneRow calls fn for every zone of src, in plan order (input order),
// with its geometry as zones.geojson writes it and its values aligned with
// ZoneTableColumns. The geometry is an orb.MultiPolygon in WGS84 lon/lat
// (a Polygon zone is a MultiPolygon of one) holding zones.geojson's rings
// with its coordinates (closed, rounded to 7 decimals), or nil for a zone
// with no usable ring; vals is reused from call to call.
//
// EachZoneRow stops at fn's first error and returns it. Like
// WriteZonesGeoJSON, it returns an error when src has no plan or input,
// when the plan or src.ZonesLL is not aligned with the input, or when a
// coordinate is NaN or infinite.
func EachZoneRow(src *Source, fn func(geom orb.Geometry, vals []Value) error) error {
	rows, err := zoneRows(src, "zone table")
	if err != nil {
		return err
	}
	if len(src.ZonesLL) > 0 && len(src.ZonesLL) != len(src.Input.Zones) {
		return fmt.Errorf("render: zone table: %d lon/lat geometries for %d zones", len(src.ZonesLL), len(src.Input.Zones))
	}
	enc := &typedEncoder{}
	for i := range rows {
		r := &rows[i]
		enc.vals, enc.types = enc.vals[:0], enc.types[:0]
		for _, c := range zoneColumns {
			c.put(enc, r)
		}
		g, err := roundedGeometry(zoneGeometryLL(src, r.plan.Zone))
		if err != nil {
			return fmt.Errorf("render: zone table: zone %q: %w", r.zone.ID, err)
		}
		if err := fn(g, enc.vals); err != nil {
			return err
		}
	}
	return nil
}

// typedEncoder collects one zone's values; types records the column type
// each call implies, whether or not the value is null.
type typedEncoder struct {
	vals  []Value
	types []ColumnType
	buf   []byte
}

func (e *typedEncoder) add(v Value, t ColumnType, ok bool) {
	if !ok {
		v = Value{Null: true}
	}
	e.vals = append(e.vals, v)
	e.types = append(e.types, t)
}

// str stores s; an empty text is null, as an empty zones.csv field.
func (e *typedEncoder) str(s string) { e.add(Value{Text: s}, ColumnText, s != "") }

func (e *typedEncoder) integer(v int64) { e.add(Value{Int: v}, ColumnInteger, true) }

func (e *typedEncoder) optInt(v int64, ok bool) { e.add(Value{Int: v}, ColumnInteger, ok) }

// fixed stores the CSV's decimal: v rounded to prec decimals as
// appendFixed writes it, read back; null for NaN and ±Inf.
func (e *typedEncoder) fixed(v float64, prec int, ok bool) {
	e.buf = appendFixed(e.buf[:0], v, prec)
	x, err := strconv.ParseFloat(string(e.buf), 64)
	e.add(Value{Real: x}, ColumnReal, ok && err == nil && finite(v))
}

func (e *typedEncoder) boolean(v, ok bool) {
	var n int64
	if v {
		n = 1
	}
	e.add(Value{Int: n}, ColumnBoolean, ok)
}

func (e *typedEncoder) reasons(rs []coverage.Reason) {
	s := joinReasons(rs)
	e.add(Value{Text: s}, ColumnText, s != "")
}

// roundedGeometry is g as zones.geojson writes it (appendGeometry): the
// polygons whose exterior ring is usable, their usable rings only, closed,
// coordinates rounded to precLonLat decimals; a MultiPolygon, or nil when
// nothing is left.
func roundedGeometry(g orb.Geometry) (orb.Geometry, error) {
	polys, _, err := polygonsOf(g)
	if err != nil {
		return nil, err
	}
	var out orb.MultiPolygon
	var buf []byte
	round := func(v float64) float64 {
		buf = appendCoord(buf[:0], v)
		x, _ := strconv.ParseFloat(string(buf), 64)
		return x
	}
	for _, p := range polys {
		if len(p) == 0 || !usableRing(p[0]) {
			continue
		}
		var q orb.Polygon
		for _, r := range p {
			if !usableRing(r) {
				continue
			}
			rr := make(orb.Ring, 0, len(r)+1)
			for _, pt := range r {
				if !finite(pt[0]) || !finite(pt[1]) {
					return nil, fmt.Errorf("coordinate [%v, %v] is not a number", pt[0], pt[1])
				}
				rr = append(rr, orb.Point{round(pt[0]), round(pt[1])})
			}
			if r[0] != r[len(r)-1] {
				rr = append(rr, rr[0])
			}
			q = append(q, rr)
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
