package geodata

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
)

// Zones converts a Polygon, PolygonZ or PolygonM shapefile to zones, as
// ReadZones reads GeoJSON: one zone per record (Polygon, or MultiPolygon
// for several outer rings), ids, names, population and households from the
// attribute columns (CODE_INSEE, INSEE_COM, NOM, POPULATION...), Lambert-93
// converted to lon/lat. Null shapes and deleted records are skipped and
// counted. "feature N" in errors and Skips is the 0-based record. Any
// other shape type is an error. opt.CRS overrides the .prj.
func (l *ShapefileLayer) Zones(opt ZoneOptions) (*ZoneLayer, error) {
	if l.ShapeType.Base() != ShapePolygon {
		return nil, fileErr(l.Name, ErrGeometry, "%s shapes are not zones (want Polygon, PolygonZ or PolygonM)", l.ShapeType)
	}
	return convert(l, opt.CRS, func(js []byte, crs string) (*ZoneLayer, error) {
		o := opt
		o.SizeHint, o.CRS = int64(len(js)), crs
		return ReadZones(bytes.NewReader(js), l.Name, o)
	})
}

// Points converts a Point, MultiPoint (and their Z and M forms)
// shapefile to points, as ReadPoints reads GeoJSON (a MultiPoint gives
// ids "ID/1", "ID/2"...). Other shape types are an error.
func (l *ShapefileLayer) Points(opt PointOptions) (*PointLayer, error) {
	if b := l.ShapeType.Base(); b != ShapePoint && b != ShapeMultiPoint {
		return nil, fileErr(l.Name, ErrGeometry, "%s shapes are not points (want Point or MultiPoint)", l.ShapeType)
	}
	p, err := convert(l, opt.CRS, func(js []byte, crs string) (*PointLayer, error) {
		o := opt
		o.CRS = crs
		return readPointsGeoJSON(bytes.NewReader(js), l.Name, o, int64(len(js)))
	})
	if err != nil {
		return nil, err
	}
	return p, p.finish(opt)
}

// Fibre converts a shapefile to a fibre network as ReadFibre reads
// GeoJSON: PolyLine shapes are lines, Polygon shapes served areas, Point
// and MultiPoint shapes nodes (Z and M forms too).
func (l *ShapefileLayer) Fibre(opt FibreOptions) (*FibreLayer, error) {
	return convert(l, opt.CRS, func(js []byte, crs string) (*FibreLayer, error) {
		o := opt
		o.SizeHint, o.CRS = int64(len(js)), crs
		return ReadFibre(bytes.NewReader(js), l.Name, o)
	})
}

// convertedFields are the fields of a layer read from the GeoJSON a
// converting reader (shapefile, GeoPackage) wrote, which it then labels.
type convertedFields struct {
	format, crs          *string
	columns              *[]string
	skips                []Skip
	skipCounts, warnings *[]ReasonCount
}

func (z *ZoneLayer) converted() convertedFields {
	return convertedFields{&z.Format, &z.CRS, &z.Columns, z.Skips, &z.SkipCounts, &z.Warnings}
}

func (p *PointLayer) converted() convertedFields {
	return convertedFields{&p.Format, &p.CRS, &p.Columns, p.Skips, &p.SkipCounts, &p.Warnings}
}

func (f *FibreLayer) converted() convertedFields {
	return convertedFields{&f.Format, &f.CRS, &f.Columns, f.Skips, &f.SkipCounts, &f.Warnings}
}

// convertedLayer is a layer a converting reader labels.
type convertedLayer interface{ converted() convertedFields }

// label marks the layer as read from format: its columns, the source's
// CRS name crs (unless the caller forced a CRS, crsOpt, or the source
// left it to detection, crs "") and the source's warnings added.
func (f convertedFields) label(format string, columns []string, crsOpt, crs string, warnings []ReasonCount) {
	*f.format, *f.columns = format, columns
	if crsOpt == "" && crs != "" {
		*f.crs = crs
	}
	*f.warnings = sortCounts(mergeCounts(*f.warnings, warnings))
}

// convert reads the shapefile's records, written as GeoJSON, with read
// (given the CRS option: crsOpt, else the .prj's) and labels the layer as
// a shapefile's: its columns, the .prj's CRS name, deleted records
// counted as such, the shapefile's own warnings added.
func convert[L convertedLayer](l *ShapefileLayer, crsOpt string, read func(js []byte, crs string) (L, error)) (L, error) {
	var zero L
	crs := crsOpt
	if crs == "" {
		crs = l.crs
	}
	out, err := read(l.geoJSON(), crs)
	if err != nil {
		return zero, l.locate(err)
	}
	f := out.converted()
	f.label("shapefile", l.columns(), crsOpt, l.CRS, l.Warnings)
	*f.skipCounts = l.relabel(f.skips, *f.skipCounts)
	return out, nil
}

func mergeCounts(a, b []ReasonCount) []ReasonCount {
	a = slices.Clone(a)
	for _, c := range b {
		a = addCount(a, c.Reason, c.Count)
	}
	return a
}

func (l *ShapefileLayer) columns() []string {
	cols := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		cols[i] = f.Name
	}
	return cols
}

// locate adds the 1-based record number to a feature error.
func (l *ShapefileLayer) locate(err error) error {
	if e, ok := err.(*Error); ok && e.Feature >= 0 {
		e.Msg += " (record " + strconv.Itoa(e.Feature+1) + ")"
	}
	return err
}

const deletedReason = "deleted record (.dbf)"

// relabel turns the "empty geometry" skips of deleted records (written as
// null geometries to keep feature N = record N) into deletedReason.
func (l *ShapefileLayer) relabel(skips []Skip, counts []ReasonCount) []ReasonCount {
	n := 0
	for _, d := range l.Deleted {
		if d {
			n++
		}
	}
	if n == 0 {
		return counts
	}
	for i := range skips {
		if f := skips[i].Feature; f >= 0 && f < len(l.Deleted) && l.Deleted[f] {
			skips[i].Reason = deletedReason
		}
	}
	out := counts[:0:0]
	for _, c := range counts {
		if c.Reason == "empty geometry" {
			c.Count -= n
		}
		if c.Count > 0 {
			out = append(out, c)
		}
	}
	return sortCounts(addCount(out, deletedReason, n))
}

// geoJSON writes the layer as a FeatureCollection in file coordinates,
// one feature per record (null geometry for Null shapes and deleted
// records), attributes typed by field: N and F numbers as JSON numbers
// when they are written as such (else as strings, keeping leading zeros),
// L as booleans, D as "YYYY-MM-DD", blanks as null.
func (l *ShapefileLayer) geoJSON() []byte {
	var w bytes.Buffer
	// About 40 bytes a vertex ("[700123.45678901,6600123.4567890]," at
	// worst) and the attributes' width: one allocation in the usual case.
	size := 64 + 64*len(l.Geoms)
	for _, g := range l.Geoms {
		size += 40 * vertexCount(g)
	}
	for _, f := range l.Fields {
		size += (len(f.Name) + f.Length + 6) * len(l.Geoms)
	}
	w.Grow(size)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	var num []byte
	for i, g := range l.Geoms {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"type":"Feature","properties":{`)
		for k, f := range l.Fields {
			if k > 0 {
				w.WriteByte(',')
			}
			appendJSONString(&w, f.Name)
			w.WriteByte(':')
			var v string
			if i < len(l.Attrs) && k < len(l.Attrs[i]) {
				v = l.Attrs[i][k]
			}
			writeDBFValue(&w, f.Type, v)
		}
		w.WriteString(`},"geometry":`)
		if g == nil || (i < len(l.Deleted) && l.Deleted[i]) {
			w.WriteString("null")
		} else {
			num = writeGeom(&w, g, num)
		}
		w.WriteByte('}')
	}
	w.WriteString("]}")
	return w.Bytes()
}

// vertexCount is the number of positions in g.
func vertexCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, l := range g {
			n += len(l)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += vertexCount(p)
		}
		return n
	}
	return 0
}

func writeDBFValue(w *bytes.Buffer, typ byte, v string) {
	switch {
	case v == "":
		w.WriteString("null")
	case typ == 'N' || typ == 'F':
		if isJSONNumber(v) && (len(v) == 1 || v[0] != '0' || v[1] == '.') {
			w.WriteString(v)
		} else {
			appendJSONString(w, v)
		}
	case typ == 'L':
		switch v {
		case "T", "t", "Y", "y":
			w.WriteString("true")
		case "F", "f", "N", "n":
			w.WriteString("false")
		default:
			w.WriteString("null")
		}
	case typ == 'D' && len(v) == 8 && isJSONNumber(v):
		appendJSONString(w, v[:4]+"-"+v[4:6]+"-"+v[6:])
	default:
		appendJSONString(w, v)
	}
}

// writeGeom writes an orb geometry as GeoJSON with shortest round-trip
// number formatting (coordinates were checked finite when read).
func writeGeom(w *bytes.Buffer, g orb.Geometry, num []byte) []byte {
	pt := func(p orb.Point) {
		w.WriteByte('[')
		for k := range 2 {
			if k > 0 {
				w.WriteByte(',')
			}
			num = strconv.AppendFloat(num[:0], p[k], 'g', -1, 64)
			w.Write(num)
		}
		w.WriteByte(']')
	}
	list := func(ps []orb.Point) {
		w.WriteByte('[')
		for i, p := range ps {
			if i > 0 {
				w.WriteByte(',')
			}
			pt(p)
		}
		w.WriteByte(']')
	}
	poly := func(p orb.Polygon) {
		w.WriteByte('[')
		for i, r := range p {
			if i > 0 {
				w.WriteByte(',')
			}
			list(r)
		}
		w.WriteByte(']')
	}
	switch g := g.(type) {
	case orb.Point:
		w.WriteString(`{"type":"Point","coordinates":`)
		pt(g)
	case orb.MultiPoint:
		w.WriteString(`{"type":"MultiPoint","coordinates":`)
		list(g)
	case orb.LineString:
		w.WriteString(`{"type":"LineString","coordinates":`)
		list(g)
	case orb.MultiLineString:
		w.WriteString(`{"type":"MultiLineString","coordinates":[`)
		for i, ls := range g {
			if i > 0 {
				w.WriteByte(',')
			}
			list(ls)
		}
		w.WriteByte(']')
	case orb.Polygon:
		w.WriteString(`{"type":"Polygon","coordinates":`)
		poly(g)
	case orb.MultiPolygon:
		w.WriteString(`{"type":"MultiPolygon","coordinates":[`)
		for i, p := range g {
			if i > 0 {
				w.WriteByte(',')
			}
			poly(p)
		}
		w.WriteByte(']')
	default:
		w.WriteString("null")
		return num
	}
	w.WriteByte('}')
	return num
}
