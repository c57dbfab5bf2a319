package geodata

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// FormatOf guesses an input file's format from its name and its first
// bytes (head; 512 are plenty, fewer or none work too): "geojson",
// "csv", "kml", "gpkg" (an SQLite file, or a .gpkg: read with
// ReadGeoPackage) or "shapefile" (name is the .shp; its .dbf, .prj and
// .cpg sit beside it, see ShapefileSidecar), and for zip archives "kmz"
// (read with OpenKMZ then the KML readers) or "zip" (a zipped shapefile,
// read with ReadShapefileZip). Content decides when it is conclusive (the
// SQLite header, the shapefile magic number, a zip header, a JSON object
// or array, an XML document with <kml), else the extension (.geojson
// .json .csv .tsv .txt .kml .shp .gpkg, any case); anything else is taken
// as CSV. It returns "" for
// what covplan cannot read: an XLSX or other zip with an extension, a
// lone .dbf or .shx, an XML document that is not KML.
func FormatOf(name string, head []byte) string {
	ext := strings.ToLower(name)
	if i := strings.LastIndexByte(ext, '.'); i >= 0 && !strings.ContainsAny(ext[i:], `/\`) {
		ext = ext[i:]
	} else {
		ext = ""
	}
	h := bytes.TrimPrefix(head, bom)
	t := bytes.TrimLeft(h, " \t\r\n")
	switch {
	case bytes.HasPrefix(head, sqliteMagic):
		return "gpkg"
	case len(head) >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x27 && head[3] == 0x0a:
		if ext == ".shx" {
			return ""
		}
		return "shapefile"
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04":
		// The first entry's name is in the local file header (offset 30,
		// length at 26): a KMZ starts with doc.kml by convention.
		if ext == ".kmz" {
			return "kmz"
		}
		if len(head) >= 30 {
			n := int(binary.LittleEndian.Uint16(head[26:]))
			if len(head) >= 30+n && strings.HasSuffix(strings.ToLower(string(head[30:30+n])), ".kml") {
				return "kmz"
			}
		}
		switch ext {
		case ".zip", "":
			return "zip"
		}
		return ""
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "geojson"
	case len(t) > 0 && t[0] == '<':
		if bytes.Contains(t, []byte("<kml")) || ext == ".kml" {
			return "kml"
		}
		return "" // some other XML (GML, GPX...)
	}
	switch ext {
	case ".geojson", ".json":
		return "geojson"
	case ".kml":
		return "kml"
	case ".shp":
		return "shapefile"
	case ".gpkg":
		return "gpkg"
	case ".dbf", ".shx", ".prj", ".cpg", ".kmz", ".zip", ".xlsx":
		return ""
	}
	return "csv"
}
