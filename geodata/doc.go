// Package geodata reads covplan's input files — zones, premises, fibre
// networks and access points as CSV, GeoJSON, KML/KMZ or ESRI shapefiles
// (.shp with its .dbf, or zipped) — detects their coordinate reference
// system and encoding, projects everything once to a metric Frame
// (Lambert-93 in metropolitan France, UTM elsewhere) and builds a
// coverage.Input. Inspect describes a file without planning.
//
// Where things are:
//
//   - points.go, csv.go, csv_read.go, csv_cells.go, columns.go,
//     fastfloat.go, dups.go: point layers (premises, access points, fibre
//     nodes) from CSV, read in parallel chunks; column detection; number
//     parsing; ids used more than once.
//   - geojson.go, json.go, points_geojson.go, zones.go, zones_csv.go,
//     fibre.go: the GeoJSON scanner and the zone, point and fibre readers
//     built on it; zones from a CSV with a WKT or GeoJSON column.
//   - kml.go, kml_geom.go, kml_json.go, kml_guard.go: KML, converted to
//     GeoJSON text and read by the GeoJSON readers, behind a lexer that
//     bounds every XML token.
//   - shapefile.go, shp.go, dbf.go, prj.go, shapefile_convert.go: ESRI
//     shapefiles; zip.go: zipped shapefiles and KMZ; formats.go: FormatOf.
//   - crs.go, frame.go, encoding.go: CRS detection, the metric frames
//     (Lambert-93 and UTM, written from the IOGP and Karney formulas),
//     legacy text encodings.
//   - validate.go, overlap.go: geometry validation (crossing rings) and
//     overlaps between zones; area.go: the area a plan is about, its frame and the far
//     margin; outside.go: premises outside every zone.
//   - build.go: Build (projection into a coverage.Input) and GridZones.
//   - diag.go: Diagnostic, the findings readers and Build report;
//     limits.go: Limits against oversized inputs; errors.go: located
//     errors and the counts of skipped records.
//   - inspect.go, inspect_other.go: Inspect and Info.
//
// docs/inputs.md describes the formats, checks, repairs and limits for
// users; testdata/bad holds a broken file for each rule.
//
// Readers take an io.Reader and a name used only in error messages. They
// return raw records in WGS84 lon/lat plus what they detected (columns,
// CRS) and what they skipped, by reason: nothing is dropped silently.
// Structural problems (no coordinate columns, invalid JSON, a geometry of
// the wrong type) are errors located by file, line or feature, and field;
// bad rows (an unparsable or out-of-range coordinate, a non-integer unit
// count) are skipped and counted.
//
// # Columns and properties recognised
//
// Names are matched case-insensitively, accents and separators ignored
// ("Etat du site" = etat_du_site). The first listed name present wins.
//
//   - position: lon/lat (lng, long, longitude / latitude), then geo_point_2d
//     ("lat, lon"), geo_shape (a GeoJSON Point), a WKT column (wkt, geometry,
//     geom: POINT (x y)), then x/y (X/Y, coord_x, easting...). When both
//     lon/lat and x/y exist, lon/lat is used.
//   - id: id, premise_id, site_id, ap_id, node_id, "Code Site", identifiant,
//     code...; otherwise the 1-based data row (CSV) or feature number.
//   - units: units, nb_logements, logements, nombre_de_logements, dwellings
//     (an AP count such as "Nombre de bornes" is not units). Empty is 1.
//   - kind, range_m, capacity_mbps, status (status, statut, etat,
//     "Etat du site", active...).
//
// CSV: UTF-8 BOM stripped; a file that is not valid UTF-8 (and has no BOM)
// is read as Windows-1252 and converted; separator ',', ';' or tab,
// detected from the header or given by Excel's "sep=;" first line; RFC 4180
// quoting ("" escapes, quoted newlines); decimal commas when the separator
// is not ','. Status values "", active, actif, oui, yes, ok, opérationnel,
// en service... are active; non, no, inactive, closed, fermé pour travaux,
// en déploiement, en étude, planned, projet... are not; any other value is
// active and counted in Warnings.
//
// CSV files are parsed in chunks of whole records on GOMAXPROCS goroutines,
// with results merged in file order, so memory is bounded by the layer
// itself (about 40 bytes a point) plus a few chunks. GeoJSON files are read
// whole into memory.
//
// # Coordinate reference systems
//
// Readers return WGS84 lon/lat. A GeoJSON crs member naming EPSG:2154
// (Lambert-93) or CRS84/EPSG:4326 is obeyed; without one, coordinates in
// Lambert-93 ranges (x 0..1.3e6, y 6.0e6..7.2e6) are detected as such (for
// CSV, from the first 1000 rows) and converted with the exact inverse, and
// coordinates in neither range are an error asking for the CRS. The
// layer's CRS field says what was declared, detected or assumed. Build
// then projects everything once to one metric Frame.
package geodata
