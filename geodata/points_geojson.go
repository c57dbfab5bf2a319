package geodata

import (
	"io"
	"math"
	"strconv"

	"github.com/covplan/covplan/coverage"
	"github.com/paulmach/orb"
)

// readPointsGeoJSON reads Point and MultiPoint features (a MultiPoint gives
// one point per member, with ids "ID/1", "ID/2", ...). A feature with a null
// geometry is skipped; any other geometry type is an error.
func readPointsGeoJSON(r io.Reader, name string, opt PointOptions, sizeHint int64) (*PointLayer, error) {
	doc, crs, crsName, err := decodeGeoJSONCRS(r, name, sizeHint, opt.CRS)
	if err != nil {
		return nil, err
	}
	maxEx := skipExamples(opt.MaxSkipExamples)
	layer := &PointLayer{Name: name, Format: "geojson", Encoding: "UTF-8", CRS: crsName, Columns: propKeys(doc), Records: len(doc.features)}
	fs := geoJSONPointFields(doc, opt, layer)
	b := &pointBatch{}
	b.t.max = maxEx
	kinds := map[string]coverage.Kind{}
	for i := range doc.features {
		f := &doc.features[i]
		pts, err := featurePoints(f, name, i, &b.t)
		if err != nil {
			return nil, err
		}
		if pts == nil {
			continue
		}
		a, ok := featurePointAttrs(f, i, opt, &b.t, kinds)
		if !ok {
			continue
		}
		for k, pt := range pts {
			pt, reason := fixPoint(pt, crs)
			if reason != "" {
				b.t.skip(Skip{Feature: i, Reason: reason, Detail: strconv.FormatFloat(pt[0], 'g', -1, 64) + " " + strconv.FormatFloat(pt[1], 'g', -1, 64)})
				continue
			}
			b.addFeaturePoint(&fs, pt, i, a)
			if len(pts) > 1 {
				b.ids = append(b.ids, '/')
				b.ids = strconv.AppendInt(b.ids, int64(k+1), 10)
			}
			b.idEnd = append(b.idEnd, uint32(len(b.ids)))
		}
	}
	fs.id = 0 // ids are always materialised for GeoJSON
	var t tally
	t.max = maxEx
	b.nrec = 0
	if err := b.appendTo(layer, &fs, 0, &t); err != nil {
		return nil, err
	}
	layer.sealIDs()
	layer.Skips, layer.SkipCounts, layer.Warnings = t.results()
	return layer, nil
}

// geoJSONPointFields says which optional attributes the layer has: those
// that any feature has. It records the properties used in layer.Used.
func geoJSONPointFields(doc *rawDoc, opt PointOptions, layer *PointLayer) fieldSet {
	var fs fieldSet
	fs.id, fs.units, fs.kind, fs.rangeM, fs.capM, fs.status = -1, -1, -1, -1, -1, -1
	used := map[string]string{}
	for i := range doc.features {
		ps := doc.features[i].props
		note := func(field string, names []string, explicit string, slot *int) {
			if p, ok := findProp(ps, names, explicit); ok {
				*slot = 0
				if _, seen := used[field]; !seen {
					used[field] = p.key
					layer.Used = append(layer.Used, ColumnUse{Field: field, Column: p.key})
				}
			}
		}
		note("id", idNames, opt.IDField, &fs.id)
		note("units", unitsNames, opt.UnitsField, &fs.units)
		note("kind", kindNames, "", &fs.kind)
		note("range_m", rangeNames, "", &fs.rangeM)
		note("capacity_mbps", capNames, "", &fs.capM)
		note("status", statusNames, "", &fs.status)
	}
	return fs
}

// featurePoints returns a Point or MultiPoint feature's positions as read,
// nil (counted in t) for an empty geometry.
func featurePoints(f *rawFeature, name string, i int, t *tally) ([]orb.Point, error) {
	switch g := &f.geom; {
	case g.isNull || (g.typ == "" && !g.hasC):
		t.skip(Skip{Feature: i, Reason: "empty geometry"})
		return nil, nil
	case g.typ == "Point" && g.c.d == 1:
		return []orb.Point{g.c.pt}, nil
	case g.typ == "MultiPoint" && (g.c.d == 2 || g.c.d == 0):
		if len(g.c.l2) == 0 {
			t.skip(Skip{Feature: i, Reason: "empty geometry"})
			return nil, nil
		}
		return g.c.l2, nil
	case g.typ == "Point" || g.typ == "MultiPoint":
		return nil, featErr(name, i, "geometry", ErrGeometry, "%s coordinates are not nested as a %[1]s", echoType(g.typ))
	default:
		return nil, featErr(name, i, "geometry", ErrGeometry, "%s is not a Point or MultiPoint", echoType(g.typ))
	}
}

// pointAttrs are a point feature's attributes, shared by the members of a
// MultiPoint.
type pointAttrs struct {
	id           string
	units        int32
	kind         coverage.Kind
	rangeM, capM float64 // NaN when not given
	active       bool
}

// featurePointAttrs reads a feature's attributes; ok is false when the
// feature was skipped (counted in t).
func featurePointAttrs(f *rawFeature, i int, opt PointOptions, t *tally, kinds map[string]coverage.Kind) (pointAttrs, bool) {
	a := pointAttrs{units: 1, kind: coverage.KindHousehold, rangeM: math.NaN(), capM: math.NaN(), active: true}
	if p, ok := findProp(f.props, unitsNames, opt.UnitsField); ok {
		n, ok := parseInt([]byte(p.text), false)
		switch {
		case !ok:
			t.skip(Skip{Feature: i, Reason: "units not an integer", Detail: p.text})
			return a, false
		case n < 1 || n > math.MaxInt32:
			t.skip(Skip{Feature: i, Reason: "units < 1", Detail: p.text})
			return a, false
		}
		a.units = int32(n)
	}
	for _, m := range []struct {
		names  []string
		dst    *float64
		reason string
	}{{rangeNames, &a.rangeM, "bad range_m"}, {capNames, &a.capM, "bad capacity_mbps"}} {
		if p, ok := findProp(f.props, m.names, ""); ok {
			v, ok := parseFloat([]byte(p.text), false)
			if !ok || v < 0 {
				t.skip(Skip{Feature: i, Reason: m.reason, Detail: p.text})
				return a, false
			}
			*m.dst = v
		}
	}
	if p, ok := findProp(f.props, statusNames, ""); ok {
		var known bool
		if a.active, known = parseStatus([]byte(p.text)); !known {
			t.warn("unknown status (treated as active)")
		}
	}
	if p, ok := findProp(f.props, kindNames, ""); ok {
		k, seen := kinds[p.text]
		if !seen {
			var buf [48]byte
			var known bool
			if k, known = coverage.ParseKind(string(lowerASCII(buf[:0], []byte(p.text)))); !known {
				t.warn("unknown kind (other)")
			} else {
				kinds[p.text] = k
			}
		}
		a.kind = k
	}
	if a.id, _ = f.ownID(idNames, opt.IDField); a.id == "" {
		a.id = strconv.Itoa(i + 1)
	}
	return a, true
}

// addFeaturePoint appends one point of feature i with its attributes and
// the start of its id (the caller ends the id).
func (b *pointBatch) addFeaturePoint(fs *fieldSet, pt orb.Point, i int, a pointAttrs) {
	b.pts = append(b.pts, pt)
	b.lines = append(b.lines, int32(i))
	if fs.units >= 0 {
		b.units = append(b.units, a.units)
	}
	if fs.kind >= 0 {
		b.kinds = append(b.kinds, a.kind)
	}
	if fs.rangeM >= 0 {
		b.rangeM = append(b.rangeM, a.rangeM)
	}
	if fs.capM >= 0 {
		b.capM = append(b.capM, a.capM)
	}
	if fs.status >= 0 {
		b.active = append(b.active, a.active)
	}
	b.ids = append(b.ids, a.id...)
}
