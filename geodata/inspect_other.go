package geodata

import (
	"bytes"
	"io"
)

// InspectKML describes a KML document (for a KMZ, pass OpenKMZ's reader
// and format "kmz") as Inspect does: read as a fibre network, which takes
// every geometry type; when it holds polygons only, read again as zones
// for the zone checks (validation, overlaps, duplicate ids), whose
// refusals go to Problems. It fails only when the document cannot be read
// at all.
func InspectKML(r io.Reader, name, format string, lim Limits) (*Info, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fileErr(name, ErrSyntax, "reading: %v", err)
	}
	return inspectLayer(format, func(o FibreOptions) (*FibreLayer, error) {
		o.Limits = lim
		return ReadKMLFibre(bytes.NewReader(data), name, o)
	}, func(o ZoneOptions) (*ZoneLayer, error) {
		o.Limits = lim
		return ReadKMLZones(bytes.NewReader(data), name, o)
	})
}

// InspectShapefile describes a shapefile read by ReadShapefile or
// ReadShapefileZip (format "shapefile" or "zip"), as InspectKML does.
func InspectShapefile(l *ShapefileLayer, format string) (*Info, error) {
	info, err := inspectLayer(format, l.Fibre, l.Zones)
	if err != nil {
		return nil, err
	}
	info.Encoding = l.Encoding
	return info, nil
}

// InspectGeoPackage describes a GeoPackage layer read by ReadGeoPackage
// (format "gpkg"), as InspectKML does; Layer and Layers say which feature
// table was read and which the file holds.
func InspectGeoPackage(l *GeoPackageLayer) (*Info, error) {
	info, err := inspectLayer("gpkg", l.Fibre, l.Zones)
	if err != nil {
		return nil, err
	}
	info.Layer, info.Layers = l.Layer, l.Layers
	return info, nil
}

// inspectLayer describes a layer by reading it as a fibre network, and
// when it holds polygons only, as zones for the zone checks.
func inspectLayer(format string, fibre func(FibreOptions) (*FibreLayer, error), zones func(ZoneOptions) (*ZoneLayer, error)) (*Info, error) {
	fl, err := fibre(FibreOptions{})
	if err != nil {
		return nil, err
	}
	info := infoOfFibre(fl, format)
	if info.Kind == "zones" {
		if zl, err := zones(ZoneOptions{}); err != nil {
			info.Problems = append(info.Problems, problem(err))
		} else {
			info.Diagnostics = zl.Diagnostics
			info.dups(zl.IDs)
		}
	}
	return info, nil
}

// infoOfFibre describes a layer read as a fibre network by the kinds of
// geometry it holds.
func infoOfFibre(l *FibreLayer, format string) *Info {
	info := &Info{
		Name: l.Name, Format: format, CRS: l.CRS,
		Records: l.Records, Kept: l.Len(), Columns: l.Columns, Used: l.Used,
		SkipCounts: l.SkipCounts, Skips: l.Skips, Warnings: l.Warnings, Diagnostics: l.Diagnostics,
	}
	if l.Len() > 0 {
		info.Bound, info.HasData = l.Bound(), true
	}
	kinds := 0
	for _, g := range []struct {
		name   string
		n      int
		active []bool
	}{{"Point", len(l.Nodes), l.NodeActive}, {"LineString", len(l.Lines), l.LineActive}, {"Polygon", len(l.Areas), l.AreaActive}} {
		if g.n == 0 {
			continue
		}
		kinds++
		info.Geometries = append(info.Geometries, ReasonCount{Reason: g.name, Count: g.n})
		for _, a := range g.active {
			if !a {
				info.Inactive++
			}
		}
	}
	switch {
	case kinds == 0:
		info.Kind = "empty"
	case kinds > 1:
		info.Kind = "mixed"
	case len(l.Nodes) > 0:
		info.Kind = "points"
	case len(l.Areas) > 0:
		info.Kind = "zones"
	default:
		info.Kind = "fibre"
	}
	return info
}
