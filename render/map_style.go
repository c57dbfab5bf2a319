package render

import (
	"math"
	"strconv"

	"github.com/covplan/covplan/coverage"
)

// mapLayer is one switchable layer of the map: what the map script draws
// and a line of the legend beside the map.
type mapLayer struct {
	Key    string // data key in the layers block; also the legend's id
	Group  string // legend section: prem, net, plan, place
	Name   bi     // series name (tooltip) and legend text
	Type   string // points, lines, polygons, labels
	Color  string
	Symbol string // scatter symbol
	Size   int    // scatter symbol size
	Count  int    // items in the layer
	Dashed bool   // lines: inactive network
	Hollow bool   // scatter: inactive sites
}

// mapLayerList lists the layers that have data, bottom to top.
func mapLayerList(d *reportData) []mapLayer {
	ml := &d.layers
	var out []mapLayer
	add := func(l mapLayer) {
		if l.Count > 0 {
			out = append(out, l)
		}
	}
	add(mapLayer{Key: "served", Group: "net", Name: label("map.l.served"), Type: "polygons", Color: techColors[coverage.TechFibre], Count: ml.Served})
	add(mapLayer{Key: "lines", Group: "net", Name: label("map.l.lines"), Type: "lines", Color: "#0b3c6d", Count: ml.Lines})
	add(mapLayer{Key: "linesOff", Group: "net", Name: label("map.l.linesoff"), Type: "lines", Color: "#6b7785", Count: ml.LinesOff, Dashed: true})
	for _, c := range append(reportTechs[:], coverage.Tech(premiseOutside)) {
		n := len(d.sample.Points[c])
		name, color := label("map.l.outside"), "#b42318"
		if int(c) != premiseOutside {
			name = biVal(func(l lang) string { return label("map.l.premises").in(l) + " · " + techLabels[c].in(l) })
			color = techColors[c]
		}
		add(mapLayer{Key: "p" + strconv.Itoa(int(c)), Group: "prem", Name: name, Type: "points", Color: color, Symbol: "circle", Size: 3, Count: n})
	}
	add(mapLayer{Key: "aps", Group: "net", Name: label("map.l.aps"), Type: "points", Color: "#1a7f37", Symbol: "triangle", Size: 7, Count: ml.APs})
	add(mapLayer{Key: "apsOff", Group: "net", Name: label("map.l.apsoff"), Type: "points", Color: "#6b7785", Symbol: "triangle", Size: 7, Count: ml.APsOff, Hollow: true})
	add(mapLayer{Key: "nodes", Group: "net", Name: label("map.l.nodes"), Type: "points", Color: "#0b3c6d", Symbol: "rect", Size: 8, Count: ml.Nodes})
	add(mapLayer{Key: "nodesOff", Group: "net", Name: label("map.l.nodesoff"), Type: "points", Color: "#6b7785", Symbol: "rect", Size: 8, Count: ml.NodesOff, Hollow: true})
	add(mapLayer{Key: "newNodes", Group: "plan", Name: label("map.l.newnodes"), Type: "points", Color: "#d62728", Symbol: "diamond", Size: 13, Count: ml.NewNodes})
	add(mapLayer{Key: "newSites", Group: "plan", Name: label("map.l.newsites"), Type: "points", Color: "#e07b00", Symbol: "triangle", Size: 11, Count: ml.NewSites})
	add(mapLayer{Key: "places", Group: "place", Name: label("map.l.places"), Type: "labels", Color: "#1d2733", Symbol: "circle", Size: 4, Count: ml.Places})
	return out
}

// layerStyles are the layers' drawing styles for the page's map script.
func layerStyles(layers []mapLayer) []map[string]any {
	out := make([]map[string]any, len(layers))
	for i, ly := range layers {
		out[i] = map[string]any{"key": ly.Key, "group": ly.Group, "type": ly.Type, "color": ly.Color,
			"symbol": ly.Symbol, "size": ly.Size, "dashed": ly.Dashed, "hollow": ly.Hollow,
			"fr": ly.Name.fr, "en": ly.Name.en}
	}
	return out
}

// tint mixes a "#rrggbb" colour with white: f = 0 keeps it, 1 is white.
// Zones are drawn in tints so that premises, in the full colour, show on
// them.
func tint(hex string, f float64) string {
	if len(hex) != 7 || hex[0] != '#' {
		return hex
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return hex
	}
	out := []byte{'#'}
	for shift := 16; shift >= 0; shift -= 8 {
		c := float64((v >> uint(shift)) & 0xff)
		c = math.Round(c + (255-c)*f)
		out = append(out, "0123456789abcdef"[int(c)>>4], "0123456789abcdef"[int(c)&15])
	}
	return string(out)
}
