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
	maxEx := opt.MaxSkipExamples
	if maxEx == 0 {
		maxEx = DefaultMaxSkipExamples
	} else if maxEx < 0 {
		maxEx = 0
	}
	layer := &PointLayer{Name: name, Format: "geojson", Encoding: "UTF-8", CRS: crsName, Columns: propKeys(doc), Records: len(doc.features)}
	// Optional slices exist when any feature has the property.
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
	b := &pointBatch{}
	b.t.max = maxEx
	kinds := map[string]coverage.Kind{}
	for i := range doc.features {
		f := &doc.features[i]
		var pts []orb.Point
		switch {
		case f.geom.isNull || (f.geom.typ == "" && !f.geom.hasC):
			b.t.skip(Skip{Feature: i, Reason: "empty geometry"})
			continue
		case f.geom.typ == "Point" && f.geom.c.d == 1:
			pts = []orb.Point{f.geom.c.pt}
		case f.geom.typ == "MultiPoint" && (f.geom.c.d == 2 || f.geom.c.d == 0):
			pts = f.geom.c.l2
			if len(pts) == 0 {
				b.t.skip(Skip{Feature: i, Reason: "empty geometry"})
				continue
			}
		case f.geom.typ == "Point" || f.geom.typ == "MultiPoint":
			return nil, featErr(name, i, "geometry", ErrGeometry, "%s coordinates are not nested as a %s", f.geom.typ, f.geom.typ)
		default:
			return nil, featErr(name, i, "geometry", ErrGeometry, "%s is not a Point or MultiPoint", f.geom.typ)
		}
		// Attributes, shared by the members of a MultiPoint.
		units := int32(1)
		if p, ok := findProp(f.props, unitsNames, opt.UnitsField); ok {
			n, ok := parseInt([]byte(p.text), false)
			switch {
			case !ok:
				b.t.skip(Skip{Feature: i, Reason: "units not an integer", Detail: p.text})
				continue
			case n < 1 || n > math.MaxInt32:
				b.t.skip(Skip{Feature: i, Reason: "units < 1", Detail: p.text})
				continue
			}
			units = int32(n)
		}
		rangeM, capM := math.NaN(), math.NaN()
		if p, ok := findProp(f.props, rangeNames, ""); ok {
			v, ok := parseFloat([]byte(p.text), false)
			if !ok || v < 0 {
				b.t.skip(Skip{Feature: i, Reason: "bad range_m", Detail: p.text})
				continue
			}
			rangeM = v
		}
		if p, ok := findProp(f.props, capNames, ""); ok {
			v, ok := parseFloat([]byte(p.text), false)
			if !ok || v < 0 {
				b.t.skip(Skip{Feature: i, Reason: "bad capacity_mbps", Detail: p.text})
				continue
			}
			capM = v
		}
		active := true
		if p, ok := findProp(f.props, statusNames, ""); ok {
			var known bool
			if active, known = parseStatus([]byte(p.text)); !known {
				b.t.warn("unknown status (treated as active)")
			}
		}
		kind := coverage.KindHousehold
		if p, ok := findProp(f.props, kindNames, ""); ok {
			k, seen := kinds[p.text]
			if !seen {
				var buf [48]byte
				var known bool
				if k, known = coverage.ParseKind(string(lowerASCII(buf[:0], []byte(p.text)))); !known {
					b.t.warn("unknown kind (other)")
				} else {
					kinds[p.text] = k
				}
			}
			kind = k
		}
		id := ""
		if p, ok := findProp(f.props, idNames, opt.IDField); ok {
			id = p.idString()
		}
		if id == "" && f.id.kind != propNull {
			id = f.id.idString()
		}
		if id == "" {
			id = strconv.Itoa(i + 1)
		}
		for k, pt := range pts {
			pt, reason := fixPoint(pt, crs)
			if reason != "" {
				b.t.skip(Skip{Feature: i, Reason: reason, Detail: strconv.FormatFloat(pt[0], 'g', -1, 64) + " " + strconv.FormatFloat(pt[1], 'g', -1, 64)})
				continue
			}
			b.pts = append(b.pts, pt)
			b.lines = append(b.lines, int32(i))
			if fs.units >= 0 {
				b.units = append(b.units, units)
			}
			if fs.kind >= 0 {
				b.kinds = append(b.kinds, kind)
			}
			if fs.rangeM >= 0 {
				b.rangeM = append(b.rangeM, rangeM)
			}
			if fs.capM >= 0 {
				b.capM = append(b.capM, capM)
			}
			if fs.status >= 0 {
				b.active = append(b.active, active)
			}
			b.ids = append(b.ids, id...)
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
	layer.Skips = t.examples
	layer.SkipCounts = sortCounts(t.counts)
	layer.Warnings = sortCounts(t.warnings)
	return layer, nil
}
