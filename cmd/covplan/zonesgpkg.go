package main

import (
	"fmt"
	"io"

	"github.com/covplan/covplan/geodata"
	"github.com/covplan/covplan/render"
	"github.com/paulmach/orb"
)

// writeZonesGeoPackage writes zones.gpkg: a GeoPackage 1.3 file holding
// one feature table, "zones", in WGS84 lon/lat (EPSG:4326), for GIS users
// who want typed columns in one file (QGIS, ArcGIS, GDAL). One feature per
// zone in input order (fid 1..n) with zones.geojson's geometry
// (MULTIPOLYGON; NULL for a zone without a usable ring) and the columns of
// zones.csv, same names, order and values, typed (render.EachZoneRow);
// every empty CSV field is NULL. No clock reading enters the file: the
// same plan gives the same bytes. The file is built in memory (up to about
// twice its size) and written at the end.
func writeZonesGeoPackage(w io.Writer, src *render.Source) error {
	cols := render.ZoneTableColumns()
	layer := &geodata.GeoPackageWriteLayer{
		Table:        "zones",
		Description:  "covplan zones: one row per zone, the columns of zones.csv (docs/outputs.md)",
		GeometryType: "MULTIPOLYGON",
		Columns:      make([]geodata.GeoPackageColumn, len(cols)),
	}
	for i, c := range cols {
		layer.Columns[i] = geodata.GeoPackageColumn{Name: c.Name, Type: gpkgType(c.Type)}
	}
	gw, err := geodata.NewGeoPackageWriter(layer)
	if err != nil {
		return fmt.Errorf("zones.gpkg: %w", err)
	}
	defer gw.Close()
	gv := make([]geodata.GeoPackageValue, len(cols))
	err = render.EachZoneRow(src, func(g orb.Geometry, vals []render.Value) error {
		for i, v := range vals {
			gv[i] = gpkgValue(cols[i].Type, v)
		}
		return gw.Add(g, gv)
	})
	if err != nil {
		return fmt.Errorf("zones.gpkg: %w", err)
	}
	if _, err := gw.WriteTo(w); err != nil {
		return fmt.Errorf("zones.gpkg: %w", err)
	}
	return nil
}

// gpkgType is the GeoPackage column type of a zone table column.
func gpkgType(t render.ColumnType) geodata.GeoPackageType {
	switch t {
	case render.ColumnInteger:
		return geodata.GeoPackageInteger
	case render.ColumnReal:
		return geodata.GeoPackageReal
	case render.ColumnBoolean:
		return geodata.GeoPackageBoolean
	}
	return geodata.GeoPackageText
}

// gpkgValue is v as a GeoPackage value of a column of type t.
func gpkgValue(t render.ColumnType, v render.Value) geodata.GeoPackageValue {
	switch {
	case v.Null:
		return geodata.GeoPackageValue{}
	case t == render.ColumnInteger:
		return geodata.GeoPackageInt(v.Int)
	case t == render.ColumnReal:
		return geodata.GeoPackageFloat(v.Real)
	case t == render.ColumnBoolean:
		return geodata.GeoPackageBool(v.Int != 0)
	}
	return geodata.GeoPackageString(v.Text)
}
