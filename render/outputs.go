package render

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// Conventions of every machine-readable output (see docs/outputs.md):
//
//   - UTF-8 without byte-order mark; invalid UTF-8 in names and ids is
//     replaced by U+FFFD. Lines end with "\n".
//   - CSV is RFC 4180 with a comma separator and a header row: a field is
//     double-quoted, with inner quotes doubled, when it holds a comma, a
//     double quote, a line break or a leading/trailing space
//     ("L'Hôpital" and "Saint-Flour" are written as they are).
//   - Ids (zone_id, premise_id) are strings: INSEE codes keep their leading
//     zeros, so read them as text (pandas: dtype={"zone_id": str}).
//   - Numbers are plain decimal, never scientific, with a fixed number of
//     decimals per quantity, correctly rounded: money in euros to the cent
//     (2 decimals), speeds in Mbps and latencies in ms to 1 decimal,
//     distances in metres to the millimetre (3 decimals), areas in km² to 6
//     decimals, shares in [0, 1] to 6 decimals. A value that rounds to zero
//     is written "0.00", never "-0.00".
//   - A value that does not exist (NaN, ±Inf, no option chosen, an option
//     not evaluated, an unknown count) is an empty CSV field and a JSON
//     null; it is never written as 0, NaN or Inf.
//   - Booleans are "true" / "false"; reason codes (MODEL.md §5) are joined
//     with "|" in CSV, in the model's order, and are JSON arrays of strings
//     (null when there are none).
//   - The same Source gives byte-identical output: rows follow input order,
//     nothing depends on map order, the clock or the machine.

// WriteZonesCSV writes zones.csv: a header and one row per zone of
// src.Input.Zones, in input order, whether or not the zone has premises.
//
// Columns, in order (new columns are only ever added at the end):
//
//	zone_id              zone id as given (text)
//	name                 zone name (may be empty)
//	premises             premises in the zone (estimated in zone-level mode)
//	units                lines in the zone (dwellings and offices)
//	technology           chosen option: fibre, wifi, leo, geo, or none when the
//	                     zone has no premises or no feasible option
//	capex_eur            chosen option: capital cost, euros
//	opex_eur_per_year    chosen option: operating cost per year, euros
//	npv_eur              chosen option: discounted total cost of ownership over
//	                     the scenario horizon, euros
//	npv_per_premise_eur  chosen option: npv_eur per premise (empty without premises)
//	down_mbps, up_mbps   chosen option: speed per subscriber, Mbps
//	latency_ms           chosen option: round-trip latency, ms
//	meets_target         whether the chosen option meets the scenario target
//	reasons              why the chosen option won, or why none did ("|"-joined codes)
//	<tech>_npv_eur       for tech in fibre, wifi, leo, geo (three columns each, in
//	<tech>_feasible      that order): the option's NPV, whether it is feasible,
//	<tech>_reasons       and its reason codes; npv and feasible are empty when
//	                     the option was not evaluated for this zone
//	level                premise (figures built from premises) or zone (from
//	                     zone counts and density estimates)
//	year                 rollout year (1 = first) under a phased plan; empty when
//	                     the plan is not phased or the zone is not scheduled
//	public_cost_eur      chosen option: what the public body pays, euros
//	premises_served      chosen option: premises brought to the target
//	units_served         chosen option: units brought to the target
//	population           zone population; empty when unknown
//	households           zone households; empty when unknown
//	area_km2             zone area in the plan's metric frame, km²
//	fibre_dist_mean_m    mean and maximum distance from the zone's premises to the
//	fibre_dist_max_m     existing fibre network (0 for passed premises), metres;
//	                     empty in zone-level mode or without a reachable network
//	passed_premises      premises already passed by fibre (inside a served area)
//	wifi_covered_premises premises within range of at least one operational AP
//	<tech>_capex_eur     for tech in fibre, wifi, leo, geo: the option's CAPEX
//	                     (empty when not evaluated)
//	premises_reached     premises the built option brings to the target
//	subscribers          chosen option: expected subscribing units, 1 decimal
//	premises_unserved    chosen option: premises it leaves out
//	fibre_route_m        fibre option: route metres (empty when not evaluated)
//	wifi_sites           wireless option: new sites (empty when not evaluated)
//	mix_<tech>           for tech in fibre, wifi, leo, geo, none: premises served
//	                     by each technology (hybrid zones mix two)
//	premises_<kind>      for kind in household, business, school, public, other:
//	                     the zone's premises of that kind
//	reached_<kind>       the same, brought to the target
//	centroid_lon         the zone's area centroid in WGS84, 7 decimals (may lie
//	centroid_lat         outside a concave zone); empty without geometry
//
// The chosen-option columns are empty when technology is none. passed_premises
// and wifi_covered_premises are empty in zone-level mode. premises_reached,
// mix_*, premises_<kind> and reached_<kind> are empty when the plan does not
// count them (coverage.Evaluate does).
//
// WriteZonesCSV returns an error when src has no plan or input, when the plan
// is not aligned with the input, or when w fails.
func WriteZonesCSV(w io.Writer, src *Source) error {
	return writeZonesCSV(w, src, "zones.csv", false)
}

// WriteZonesCSVExcel writes the rows and columns of zones.csv for a
// spreadsheet in a French locale, where Excel and LibreOffice open a
// double-clicked CSV with ";" between fields and "," as the decimal mark:
// a UTF-8 byte-order mark (so accents show), ";" separators, decimal commas,
// fields holding ";" quoted. Scripts should read zones.csv instead.
func WriteZonesCSVExcel(w io.Writer, src *Source) error {
	return writeZonesCSV(w, src, "zones-excel.csv", true)
}

func writeZonesCSV(w io.Writer, src *Source, what string, excel bool) error {
	rows, err := zoneRows(src, what)
	if err != nil {
		return err
	}
	cw := newChunkWriter(w)
	sep := byte(',')
	if excel {
		sep = ';'
		cw.buf = append(cw.buf, "\ufeff"...)
	}
	for i, c := range zoneColumns {
		if i > 0 {
			cw.buf = append(cw.buf, sep)
		}
		cw.buf = append(cw.buf, c.name...)
	}
	cw.buf = append(cw.buf, '\n')
	enc := &csvEncoder{excel: excel}
	for i := range rows {
		enc.b, enc.n = cw.buf, 0
		for _, c := range zoneColumns {
			c.put(enc, &rows[i])
		}
		cw.buf = append(enc.b, '\n')
		cw.maybeFlush()
	}
	if err := cw.flush(); err != nil {
		return fmt.Errorf("render: %s: %w", what, err)
	}
	return nil
}

// csvEncoder appends one CSV row's fields to b. excel selects the French
// spreadsheet dialect of WriteZonesCSVExcel.
type csvEncoder struct {
	b     []byte
	n     int // fields written in this row
	excel bool
}

func (e *csvEncoder) sep() {
	if e.n > 0 {
		if e.excel {
			e.b = append(e.b, ';')
		} else {
			e.b = append(e.b, ',')
		}
	}
	e.n++
}

func (e *csvEncoder) str(s string) { e.sep(); e.field(s) }

// field appends s quoted as the dialect needs.
func (e *csvEncoder) field(s string) {
	if e.excel && strings.ContainsRune(s, ';') {
		e.b = append(e.b, '"')
		e.b = append(e.b, strings.ReplaceAll(s, `"`, `""`)...)
		e.b = append(e.b, '"')
		return
	}
	e.b = appendCSVField(e.b, s)
}

func (e *csvEncoder) integer(v int64) { e.sep(); e.b = strconv.AppendInt(e.b, v, 10) }

func (e *csvEncoder) optInt(v int64, ok bool) {
	e.sep()
	if ok {
		e.b = strconv.AppendInt(e.b, v, 10)
	}
}

func (e *csvEncoder) fixed(v float64, prec int, ok bool) {
	e.sep()
	if ok {
		start := len(e.b)
		e.b = appendFixed(e.b, v, prec)
		if e.excel {
			if i := bytes.IndexByte(e.b[start:], '.'); i >= 0 {
				e.b[start+i] = ','
			}
		}
	}
}

func (e *csvEncoder) boolean(v, ok bool) {
	e.sep()
	if ok {
		e.b = strconv.AppendBool(e.b, v)
	}
}

func (e *csvEncoder) reasons(rs []coverage.Reason) {
	e.sep()
	e.field(joinReasons(rs))
}

// joinReasons joins reason codes with reasonsSep, as zones.csv writes
// them.
func joinReasons(rs []coverage.Reason) string {
	joined := ""
	for _, r := range rs {
		if r == "" {
			continue // an empty code says nothing (and would read back as none)
		}
		if joined != "" {
			joined += string(reasonsSep)
		}
		joined += string(r)
	}
	return joined
}

// WriteZonesGeoJSON writes zones.geojson: an RFC 7946 FeatureCollection with
// one Feature per zone, in input order, one feature per line.
//
// Each feature's "id" is the zone id (a string) and its "properties" are the
// zones.csv columns, same names and order (see WriteZonesCSV), as JSON
// values: counts and amounts are numbers (same decimals as the CSV),
// meets_target and <tech>_feasible are booleans, reasons and <tech>_reasons
// are arrays of strings, and every empty CSV field is null (reasons too:
// null when there are none, never [], which crashes Fiona 1.9).
//
// The geometry is the zone in WGS84 lon/lat (src.ZonesLL, or the metric
// geometry through src.Unproject when ZonesLL is nil), a Polygon or
// MultiPolygon with coordinates rounded to 7 decimals (about 1 cm), trailing
// zeros trimmed. Rings are closed (the first position is repeated at the end
// when the source ring is open); rings with fewer than three positions
// besides the closing one are left out, and a zone with no usable ring, or no geometry at all, has a null
// geometry. Winding order is kept as given (RFC 7946's right-hand rule is a
// SHOULD that readers must not rely on).
//
// WriteZonesGeoJSON returns an error when src has no plan or input, when the
// plan or src.ZonesLL is not aligned with the input, when a coordinate is
// NaN or infinite, or when w fails.
func WriteZonesGeoJSON(w io.Writer, src *Source) error {
	rows, err := zoneRows(src, "zones.geojson")
	if err != nil {
		return err
	}
	if len(src.ZonesLL) > 0 && len(src.ZonesLL) != len(src.Input.Zones) {
		return fmt.Errorf("render: zones.geojson: %d lon/lat geometries for %d zones", len(src.ZonesLL), len(src.Input.Zones))
	}
	cw := newChunkWriter(w)
	cw.buf = append(cw.buf, `{"type":"FeatureCollection","features":[`...)
	enc := &jsonEncoder{}
	for i := range rows {
		r := &rows[i]
		b := cw.buf
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"+`{"type":"Feature","id":`...)
		b = appendJSONString(b, r.zone.ID)
		b = append(b, `,"properties":{`...)
		enc.b = b
		for j, c := range zoneColumns {
			enc.key(c.name, j)
			c.put(enc, r)
		}
		b = append(enc.b, `},"geometry":`...)
		b, err = appendGeometry(b, zoneGeometryLL(src, r.plan.Zone))
		if err != nil {
			return fmt.Errorf("render: zones.geojson: zone %q: %w", r.zone.ID, err)
		}
		cw.buf = append(b, '}')
		cw.maybeFlush()
	}
	cw.buf = append(cw.buf, "\n]}\n"...)
	if err := cw.flush(); err != nil {
		return fmt.Errorf("render: zones.geojson: %w", err)
	}
	return nil
}

// jsonEncoder appends "key":value members of one JSON object to b.
type jsonEncoder struct {
	b []byte
}

func (e *jsonEncoder) key(name string, i int) {
	if i > 0 {
		e.b = append(e.b, ',')
	}
	e.b = appendJSONString(e.b, name)
	e.b = append(e.b, ':')
}

func (e *jsonEncoder) str(s string) { e.b = appendJSONString(e.b, s) }

func (e *jsonEncoder) integer(v int64) { e.b = strconv.AppendInt(e.b, v, 10) }

func (e *jsonEncoder) optInt(v int64, ok bool) {
	if !ok {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = strconv.AppendInt(e.b, v, 10)
}

func (e *jsonEncoder) fixed(v float64, prec int, ok bool) {
	if !ok {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = appendFixedJSON(e.b, v, prec)
}

func (e *jsonEncoder) boolean(v, ok bool) {
	if !ok {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = strconv.AppendBool(e.b, v)
}

// reasons writes a JSON array of reason codes, or null when there are
// none: GDAL types a property whose first value is a non-empty array as a
// StringList, and Fiona 1.9 (geopandas on Debian 12) crashes on an empty
// array in a StringList field.
func (e *jsonEncoder) reasons(rs []coverage.Reason) {
	n := 0
	for _, r := range rs {
		if r == "" {
			continue // as in CSV
		}
		if n == 0 {
			e.b = append(e.b, '[')
		} else {
			e.b = append(e.b, ',')
		}
		n++
		e.b = appendJSONString(e.b, string(r))
	}
	if n == 0 {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, ']')
}

// polygonsOf returns the polygons of a zone's geometry (a Polygon is one)
// and whether it is a MultiPolygon; none for nil, an error for any other
// geometry.
func polygonsOf(g orb.Geometry) (polys []orb.Polygon, multi bool, err error) {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}, false, nil
	case orb.MultiPolygon:
		return g, true, nil
	case nil:
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("geometry is a %s, want Polygon or MultiPolygon", g.GeoJSONType())
}

// appendGeometry appends a GeoJSON Polygon or MultiPolygon, or null.
func appendGeometry(b []byte, g orb.Geometry) ([]byte, error) {
	polys, multi, err := polygonsOf(g)
	if err != nil {
		return b, err
	}
	// Keep the polygons whose exterior ring is usable.
	kept := polys[:0:0]
	for _, p := range polys {
		if len(p) > 0 && usableRing(p[0]) {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return append(b, "null"...), nil
	}
	if multi {
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
	} else {
		b = append(b, `{"type":"Polygon","coordinates":`...)
	}
	for i, p := range kept {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendPolygon(b, p); err != nil {
			return b, err
		}
	}
	if multi {
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func appendPolygon(b []byte, p orb.Polygon) ([]byte, error) {
	b = append(b, '[')
	n := 0
	for _, r := range p {
		if !usableRing(r) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, '[')
		for j, pt := range r {
			if j > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendPosition(b, pt); err != nil {
				return b, err
			}
		}
		if r[0] != r[len(r)-1] {
			b = append(b, ',')
			b, _ = appendPosition(b, r[0])
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// usableRing reports whether r has at least three positions besides the
// closing one, so that the closed ring has the four RFC 7946 asks for.
func usableRing(r orb.Ring) bool {
	n := len(r)
	if n > 0 && r[0] == r[n-1] {
		n--
	}
	return n >= 3
}

func appendPosition(b []byte, pt orb.Point) ([]byte, error) {
	if !finite(pt[0]) || !finite(pt[1]) {
		return b, fmt.Errorf("coordinate [%v, %v] is not a number", pt[0], pt[1])
	}
	b = append(b, '[')
	b = appendCoord(b, pt[0])
	b = append(b, ',')
	b = appendCoord(b, pt[1])
	return append(b, ']'), nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// WritePremisesCSV writes premises.csv: a header and one row per premise of
// src.Input.Premises, in input order. In zone-level mode (no premises) it
// writes the header alone.
//
// Columns, in order (new columns are only ever added at the end):
//
//	premise_id    premise id as given (text)
//	zone_id       id of the zone containing the premise; empty when it is in
//	              no zone (such premises are not planned)
//	fibre_dist_m  metres to the nearest active fibre node or line, 3 decimals;
//	              0 for a passed premise; empty when there is no active network
//	aps_in_range  operational access points whose range reaches the premise
//	technology    fibre, wifi, leo or geo: the premise's own technology when the
//	              plan has one per premise (hybrid policies), else its zone's
//	              choice; none when its zone has no option or it is in no zone
//	units         lines at the premise
//	kind          household, business, school, public or other
//	passed        true when the premise is inside an active served area
//	node_dist_m   metres to the nearest active fibre node only (3 decimals;
//	              empty without nodes): the figure the peer tools report
//
// The measure columns (zone_id to aps_in_range, passed, node_dist_m) are
// empty when src.Measures is nil.
//
// WritePremisesCSV streams: it allocates nothing per row and writes about
// 10 M rows in a few seconds (BenchmarkWritePremisesCSV).
func WritePremisesCSV(w io.Writer, src *Source) error {
	if src == nil || src.Plan == nil || src.Input == nil {
		return fmt.Errorf("%w (premises.csv)", errNoPlan)
	}
	prem, ms := src.Input.Premises, src.Measures
	if ms != nil && len(ms) != len(prem) {
		return fmt.Errorf("render: premises.csv: %d measures for %d premises", len(ms), len(prem))
	}
	pt := src.Plan.PremiseTechs()
	if pt != nil && len(pt) != len(prem) {
		return fmt.Errorf("render: premises.csv: plan has %d premise technologies for %d premises", len(pt), len(prem))
	}
	zones, plans := src.Input.Zones, src.Plan.Zones
	// Per input zone: its id, already CSV-encoded, and its chosen technology.
	zoneField := make([]string, len(zones))
	zoneTech := make([]coverage.Tech, len(zones))
	for i := range zones {
		zoneField[i] = string(appendCSVField(nil, zones[i].ID))
	}
	for i := range plans {
		if z := plans[i].Zone; z >= 0 && z < len(zones) {
			zoneTech[z] = plans[i].Chosen
		}
	}

	row := func(b []byte, i int) []byte {
		p := &prem[i]
		b = appendCSVField(b, p.ID)
		b = append(b, ',')
		tech := coverage.TechNone
		var m *coverage.PremiseMeasure
		if ms != nil {
			m = &ms[i]
			if z := int(m.Zone); z >= 0 && z < len(zones) {
				b = append(b, zoneField[z]...)
				tech = zoneTech[z]
			}
		}
		b = append(b, ',')
		if m != nil {
			if m.Passed {
				b = append(b, "0.000"...)
			} else {
				b = appendFixed(b, m.FibreDistM, precDistM)
			}
		}
		b = append(b, ',')
		if m != nil {
			b = strconv.AppendInt(b, int64(m.APs), 10)
		}
		b = append(b, ',')
		if pt != nil {
			tech = pt[i]
		}
		b = append(b, tech.String()...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.Units), 10)
		b = append(b, ',')
		b = append(b, p.Kind.String()...)
		b = append(b, ',')
		if m != nil {
			b = strconv.AppendBool(b, m.Passed)
		}
		b = append(b, ',')
		if m != nil {
			b = appendFixed(b, m.NodeDistM, precDistM)
		}
		return append(b, '\n')
	}
	head := "premise_id,zone_id,fibre_dist_m,aps_in_range,technology,units,kind,passed,node_dist_m\n"
	if err := writeRows(w, head, len(prem), row); err != nil {
		return fmt.Errorf("render: premises.csv: %w", err)
	}
	return nil
}
