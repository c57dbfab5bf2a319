package render

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func init() {
	addLabels(map[string]bi{
		"bx.title":   {"Plans de couverture par territoire", "Coverage plans by area"},
		"bx.figs":    {"Vue d’ensemble", "Overview"},
		"bx.areas":   {"Territoires", "Areas"},
		"bx.area":    {"Territoire", "Area"},
		"bx.map":     {"Carte des territoires", "Map of the areas"},
		"bx.map.doc": {"Chaque territoire est coloré selon la technologie choisie pour le plus de locaux.", "Each area is coloured by the technology chosen for most of its premises."},
		"bx.planned": {"planifiés par ce lancement", "planned by this run"},
		"bx.unch":    {"inchangés (non recalculés)", "unchanged (not planned again)"},
		"bx.fail":    {"en échec", "failed"},
		"bx.total":   {"Total des territoires ayant un plan", "Total of the areas with a plan"},
		"bx.status":  {"État", "Status"},
		"bx.main":    {"Technologie principale", "Main technology"},
		"bx.mix":     {"Mix (locaux)", "Mix (premises)"},
		"bx.report":  {"rapport", "report"},
		"bx.error":   {"Erreur", "Error"},
		"bx.nomap":   {"Aucun territoire planifié n’a de contours de zones.", "No planned area has zone outlines."},
	})
}

// statusLabel is a status in both languages.
func statusLabel(s string) bi {
	switch s {
	case AreaPlanned:
		return ml("bx.planned")
	case AreaUnchanged:
		return ml("bx.unch")
	}
	return ml("bx.fail")
}

// WriteBatchIndexHTML writes index.html: the batch's overview, a map of
// every area coloured by its main technology and a table of the areas
// (key figures, mix, a link to each report, the errors of failed areas).
// One offline page in French and English.
func WriteBatchIndexHTML(w io.Writer, x *BatchIndex, opt PageOptions) error {
	l, opt, err := pageStart(func() error {
		if x == nil {
			return fmt.Errorf("render: index.html: no index")
		}
		return nil
	}, opt)
	if err != nil {
		return err
	}
	var body strings.Builder
	writeBatchOverview(&body, x)
	data := map[string]any{}
	geo, spec, err := batchMap(x, opt.MaxMapVertices, data)
	if err != nil {
		return err
	}
	var specs []mpChart
	body.WriteString(`<section id="map"><h2>` + string(biHTML(ml("bx.map"))) + `</h2><p class="doc">` + string(biHTML(ml("bx.map.doc"))) + "</p>\n")
	if geo != nil {
		specs = append(specs, spec)
		body.WriteString(string(mpChartDiv(spec)))
	} else {
		body.WriteString(`<p class="note">` + string(biHTML(ml("bx.nomap"))) + "</p>")
	}
	body.WriteString("</section>\n")
	writeBatchTable(&body, x)
	title := x.Title
	pg := &multiPage{Lang: l, Title: biHTML(ml("bx.title")), SubTitle: title, Version: x.Version,
		Nav:  []navItem{{"overview", biHTML(ml("bx.figs"))}, {"map", biHTML(ml("bx.map"))}, {"areas", biHTML(ml("bx.areas"))}},
		Body: template.HTML(body.String())}
	if err := writeMultiPage(w, pg, specs, data, geo); err != nil {
		return fmt.Errorf("render: index.html: %w", err)
	}
	return nil
}

// writeBatchOverview writes the counts of areas by status and the totals
// of the areas with a plan (sums of their area.json figures, for the
// overview only: every figure stays each area's own).
func writeBatchOverview(b *strings.Builder, x *BatchIndex) {
	n := map[string]int{}
	var tot PlanTotals
	for _, r := range x.Rows {
		n[r.Status]++
		if r.Area == nil {
			continue
		}
		t := r.Area.Totals
		tot.Zones += t.Zones
		tot.Premises += t.Premises
		tot.MeetTarget += t.MeetTarget
		tot.CapexEUR += t.CapexEUR
		tot.PublicEUR += t.PublicEUR
		tot.PresentEUR += t.PresentEUR
	}
	b.WriteString(`<section id="overview"><h2>` + string(biHTML(ml("bx.figs"))) + "</h2>\n<table id=\"overview-table\"><tbody>\n")
	fmt.Fprintf(b, `<tr><td>%s</td><td class="n">%s</td></tr>`+"\n", biHTML(ml("bx.areas")), bnum(float64(len(x.Rows)), 0))
	for _, st := range []string{AreaPlanned, AreaUnchanged, AreaFailed} {
		cls := ""
		if st == AreaFailed && n[st] > 0 {
			cls = ` class="err"`
		}
		fmt.Fprintf(b, `<tr%s><td>· %s</td><td class="n">%s</td></tr>`+"\n", cls, biHTML(statusLabel(st)), bint(n[st]))
	}
	b.WriteString(`<tr><th colspan="2">` + string(biHTML(ml("bx.total"))) + "</th></tr>\n")
	for _, r := range []struct {
		k string
		v template.HTML
	}{{"row.zones", bint(tot.Zones)}, {"row.premises", bint(tot.Premises)}, {"row.meet", bint(tot.MeetTarget)},
		{"row.share", biShare(tot.Share())}, {"row.capex", biEUR(tot.CapexEUR)}, {"row.present", biEUR(tot.PresentEUR)}, {"row.public", biEUR(tot.PublicEUR)}} {
		fmt.Fprintf(b, `<tr><td>%s</td><td class="n">%s</td></tr>`+"\n", biHTML(ml(r.k)), r.v)
	}
	b.WriteString("</tbody></table></section>\n")
}

// batchMap merges the areas' outlines into one map: feature i is a zone
// of the area MP_DATA.zi[i]; its colour is the area's main technology.
func batchMap(x *BatchIndex, maxVertices int, data map[string]any) ([]byte, mpChart, error) {
	spec := mpChart{id: "chart-map", height: "680px", fill: map[int]string{0: "shown"}}
	var geoms []orb.Geometry
	var owner []int
	for ri, r := range x.Rows {
		if r.Area == nil || len(r.Area.Outline) == 0 || string(r.Area.Outline) == "null" {
			continue
		}
		fc, err := geojson.UnmarshalFeatureCollection(r.Area.Outline)
		if err != nil {
			return nil, spec, fmt.Errorf("render: index.html: area %s: outline: %w", r.ID, err)
		}
		for _, f := range fc.Features {
			geoms, owner = append(geoms, f.Geometry), append(owner, ri)
		}
	}
	if len(geoms) == 0 {
		return nil, spec, nil
	}
	zm := buildZoneMap(geoms, maxVertices)
	tips := make([]string, len(x.Rows))
	for ri, r := range x.Rows {
		if r.Area == nil {
			continue
		}
		t := r.Area.Totals
		tips[ri] = fmt.Sprintf("<b>%s</b> (%s)<br>%s · %d / %d", esc(r.Title), esc(r.ID), esc(t.MainTech().String()), t.MeetTarget, t.Premises)
	}
	vals := make([]mpMapValue, len(geoms))
	tipOf := make([]string, len(geoms))
	for i, ri := range owner {
		vals[i] = mpMapValue{strconv.Itoa(i), int(x.Rows[ri].Area.Totals.MainTech())}
		tipOf[i] = tips[ri]
	}
	data["shown"], data["tip"] = vals, tipOf
	for li, l := range langs {
		js, err := mpMapOption(l, bi{})
		if err != nil {
			return nil, spec, err
		}
		spec.opt[li] = js
	}
	return zm.GeoJSON, spec, nil
}

// writeBatchTable writes the table of areas, in manifest order.
func writeBatchTable(b *strings.Builder, x *BatchIndex) {
	b.WriteString(`<section id="areas"><h2>` + string(biHTML(ml("bx.areas"))) + "</h2>\n")
	b.WriteString(`<div class="tablewrap"><table id="areas-table" class="sortable"><thead><tr>`)
	writeHeads(b, "bx.area", "bx.status", "bx.main", "bx.mix", "n:row.premises", "n:row.share", "n:row.capex", "n:row.public", "n:row.present", "bx.error")
	b.WriteString("</tr></thead><tbody>\n")
	for _, r := range x.Rows {
		name := "<b>" + esc(r.Title) + "</b> <code>" + esc(r.ID) + "</code>"
		if r.Report != "" {
			name += ` <a href="` + esc(r.Report) + `">` + string(biHTML(ml("bx.report"))) + "</a>"
		}
		cls := ""
		if r.Status == AreaFailed {
			cls = ` class="err"`
		}
		fmt.Fprintf(b, "<tr%s><td>%s</td><td>%s</td>", cls, name, biHTML(statusLabel(r.Status)))
		if r.Area == nil {
			fmt.Fprintf(b, `<td></td><td></td><td class="n" data-v="0"></td><td class="n" data-v="0"></td><td class="n" data-v="0"></td><td class="n" data-v="0"></td><td class="n" data-v="0"></td><td class="err">%s</td></tr>`+"\n", esc(r.Error))
			continue
		}
		t := r.Area.Totals
		fmt.Fprintf(b, `<td>%s</td><td>%s</td><td class="n" data-v="%d">%s</td><td class="n" data-v="%.6f">%s</td><td class="n" data-v="%.0f">%s</td><td class="n" data-v="%.0f">%s</td><td class="n" data-v="%.0f">%s</td><td>%s</td></tr>`+"\n",
			techDot(t.MainTech()), mixBar(t), t.Premises, bint(t.Premises), t.Share(), biShare(t.Share()),
			t.CapexEUR, biEUR(t.CapexEUR), t.PublicEUR, biEUR(t.PublicEUR), t.PresentEUR, biEUR(t.PresentEUR), esc(r.Error))
	}
	b.WriteString("</tbody></table></div></section>\n")
}

// mixBar is a small stacked bar of the premises by technology.
func mixBar(t PlanTotals) template.HTML {
	var b strings.Builder
	b.WriteString(`<span style="display:inline-flex;width:140px;height:10px;background:#eee" title="`)
	var parts []string
	for _, k := range mixTechs {
		if t.PremisesBy[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, t.PremisesBy[k]))
		}
	}
	b.WriteString(esc(strings.Join(parts, ", ")) + `">`)
	for _, k := range mixTechs {
		if t.Premises > 0 && t.PremisesBy[k] > 0 {
			fmt.Fprintf(&b, `<i style="width:%.1f%%;background:%s"></i>`, 100*float64(t.PremisesBy[k])/float64(t.Premises), techColors[k])
		}
	}
	b.WriteString("</span>")
	return template.HTML(b.String())
}
