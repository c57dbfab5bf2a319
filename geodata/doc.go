// Package geodata reads covplan's input files (CSV and GeoJSON points,
// zones and fibre networks), detects their coordinate reference system,
// projects everything once to a metric Frame (Lambert-93 in metropolitan
// France, UTM elsewhere) and builds a coverage.Input.
//
// Readers take an io.Reader and a name used only in error messages. They
// return raw records in WGS84 lon/lat plus what they detected (columns,
// CRS) and what they skipped, by reason: nothing is dropped silently.
// Structural problems (no coordinate columns, invalid JSON, a geometry of
// the wrong type) are errors located by file, line or feature, and field;
// bad rows (an unparsable or out-of-range coordinate, a non-integer unit
// count) are skipped and counted.
package geodata
