package render

import (
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// inputRow is one input file in the sources section.
type inputRow struct {
	Role    template.HTML
	Name    string
	Records template.HTML
	Skipped template.HTML
	CRS     template.HTML
	SHA256  string
	Sources []string // --source lines given for this file or role
}

// roleLabels names the roles of the input files.
var roleLabels = map[string]bi{
	"zones":      {"zones", "zones"},
	"premises":   {"locaux", "premises"},
	"fibre":      {"réseau fibre", "fibre network"},
	"aps":        {"points d'accès", "access points"},
	"zone-table": {"table des zones", "zone table"},
}

// sourceRows splits the run's --source lines between the input files they
// name ("file: …" or "role: …") and the general ones.
func sourceRows(meta *Meta) (inputs []inputRow, general []string) {
	used := make([]bool, len(meta.Sources))
	for _, in := range meta.Inputs {
		r := inputRow{Name: in.Name, Records: bint(in.Records), Skipped: bint(in.Skipped), CRS: biHTML(crsText(in.CRS)), SHA256: in.SHA256}
		r.Role = biHTML(same(in.Role))
		if b, ok := roleLabels[in.Role]; ok {
			r.Role = biHTML(b)
		}
		for i, s := range meta.Sources {
			if head, text, ok := strings.Cut(s, ":"); ok && strings.TrimSpace(text) != "" {
				head = strings.TrimSpace(head)
				if head == in.Name || head == path.Base(in.Name) || head == in.Role {
					r.Sources = append(r.Sources, strings.TrimSpace(text))
					used[i] = true
				}
			}
		}
		inputs = append(inputs, r)
	}
	for i, s := range meta.Sources {
		if s = strings.TrimSpace(s); !used[i] && s != "" {
			general = append(general, s)
		}
	}
	return inputs, general
}

// dataFileDocs says what each output file beside the report holds.
var dataFileDocs = map[string]bi{
	"zones.csv":       {"une ligne par zone : choix, coûts au centime, chaque option évaluée, raisons", "one row per zone: choice, costs to the cent, every option evaluated, reasons"},
	"zones-excel.csv": {"zones.csv pour un tableur en français (point-virgule, virgule décimale)", "zones.csv for a spreadsheet in a French locale (semicolons, decimal commas)"},
	"zones.geojson":   {"les zones et leurs chiffres, pour un SIG (QGIS…)", "the zones and their figures, for a GIS (QGIS…)"},
	"premises.csv":    {"un local par ligne : zone, technologie qui le dessert", "one premise per row: zone, technology serving it"},
	"summary.json":    {"tous les totaux du plan, le scénario et les entrées (lisible par programme)", "every total of the plan, the scenario and the inputs (machine-readable)"},
	"zones.gpkg":      {"les zones et leurs chiffres en GeoPackage", "the zones and their figures as a GeoPackage"},
}

// dataLink is one file beside the report.
type dataLink struct {
	Href string
	Name string
	Doc  template.HTML
}

func dataLinks(files []string) []dataLink {
	var out []dataLink
	for _, f := range files {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		dl := dataLink{Href: f, Name: path.Base(f)}
		if b, ok := dataFileDocs[dl.Name]; ok {
			dl.Doc = biHTML(b)
		}
		out = append(out, dl)
	}
	return out
}

// scenarioRow is one parameter of the scenario table.
type scenarioRow struct {
	Group   template.HTML // set on the first row of a section
	Key     string
	Doc     template.HTML
	Value   template.HTML
	Default template.HTML
	Source  string
	Changed bool
}

// scenarioRows lists the scenario's parameters in sections, each with its
// meaning, value and default in the page's language; changed lists the
// parameters that differ from the defaults.
func scenarioRows(p *coverage.Plan) (rows, changed []scenarioRow) {
	if !hasScenario(p) {
		return nil, nil
	}
	sc := &p.Scenario
	ps := sc.Params()
	byGroup := make([][]scenarioRow, len(paramGroups))
	for _, q := range ps {
		r := scenarioRow{Key: q.Key, Doc: biHTML(paramDoc(q)), Source: q.Source, Changed: q.Value != q.Default,
			Value:   biHTML(biVal(func(l lang) string { return paramValue(q, q.Value, sc, l) })),
			Default: biHTML(biVal(func(l lang) string { return paramValue(q, q.Default, sc, l) }))}
		g := paramGroup(q.Key)
		byGroup[g] = append(byGroup[g], r)
		if r.Changed {
			changed = append(changed, r)
		}
	}
	for g, rs := range byGroup {
		if len(rs) == 0 {
			continue
		}
		rs[0].Group = biHTML(paramGroups[g].name)
		rows = append(rows, rs...)
	}
	return rows, changed
}

// methodParagraphs explain in plain words how the plan was made, with the
// scenario's key values.
func methodParagraphs(d *reportData) []template.HTML {
	p := d.plan
	if !hasScenario(p) {
		return []template.HTML{t("in.noscenario")}
	}
	sc := &p.Scenario
	var out []template.HTML
	para := func(f func(l lang) string) { out = append(out, biHTML(biVal(f))) }
	pct := func(v float64, l lang) string { return fmtShare(v, l) }
	eur := func(v float64, l lang) string { return fmtEUR(v, l) }
	num := func(v float64, l lang) string { return fmtNum(v, decimalsOf(v), l) }
	km := func(m float64, l lang) string { return fmtNum(m/1000, decimalsOf(m/1000), l) }

	para(func(l lang) string {
		if d.zoneLevel {
			return fmt.Sprintf(label("m.zone").in(l), num(sc.ZoneLevel.PremisesPerInhabitant, l))
		}
		return label("m.premise").in(l)
	})
	f := &sc.Fibre
	para(func(l lang) string {
		s := fmt.Sprintf(label("m.fibre").in(l), num(f.RouteFactor, l), pct(f.DuctShare, l), eur(f.DuctEURPerM, l),
			pct(f.AerialShare, l), eur(f.AerialEURPerM, l), eur(f.UndergroundEURPerM, l), eur(f.PassiveEUR, l),
			eur(f.ConnectionEUR, l), eur(f.OLTPortEUR, l), f.Split, pct(f.OpexShare, l))
		if f.AllowNewNodes {
			s += " " + fmt.Sprintf(label("m.fibre.nodes").in(l), km(f.ReachM, l), eur(f.NewNodeEUR, l))
		} else {
			s += " " + fmt.Sprintf(label("m.fibre.nonodes").in(l), km(f.ReachM, l))
		}
		return s
	})
	wp := sc.Wifi.Active()
	para(func(l lang) string {
		return fmt.Sprintf(label("m.wifi").in(l), km(wp.RangeM, l), eur(wp.SiteEUR, l), eur(wp.TowerEUR, l), pct(wp.TowerShare, l),
			eur(wp.RadioEUR, l), eur(wp.MicrowaveEUR, l), num(wp.CapacityMbps, l), eur(wp.SiteOpexEUR, l), eur(wp.CPEEUR, l))
	})
	para(func(l lang) string {
		return fmt.Sprintf(label("m.sat").in(l), eur(sc.LEO.KitEUR, l), eur(sc.LEO.MonthlyEUR, l), eur(sc.GEO.KitEUR, l),
			eur(sc.GEO.MonthlyEUR, l), eur(sc.VoucherEUR, l), pct(sc.LEO.ObstructedShare, l), num(sc.GEO.LatencyMs, l))
	})
	para(func(l lang) string {
		s := fmt.Sprintf(label("m.money").in(l), sc.HorizonYears, pct(sc.DiscountRate, l), pct(sc.NetworkPublicShare, l))
		if p.Total.NPVZones > 0 {
			s += " " + label("m.money.npv").in(l)
		} else {
			s += " " + label("m.money.nonpv").in(l)
		}
		return s
	})
	para(func(l lang) string {
		return fmt.Sprintf(label("m.target").in(l), targetName(sc.Target).in(l), targetRule(sc.Target).in(l))
	})
	para(func(l lang) string {
		doc := same(string(sc.Policy))
		if b, ok := policyDocs[sc.Policy]; ok {
			doc = b
		}
		s := fmt.Sprintf(label("m.policy").in(l), policyText(sc.Policy).in(l), doc.in(l), rankText(sc.Rank()).in(l))
		switch sc.Policy {
		case coverage.PolicyFibreFirst:
			s += " " + fmt.Sprintf(label("m.policy.threshold").in(l), eur(sc.ThresholdEUR, l))
		case coverage.PolicyLowestCostBand:
			s += " " + fmt.Sprintf(label("m.policy.band").in(l), techLabels[sc.PriorityTech].in(l), pct(sc.BandShare, l))
		case coverage.PolicyBudget:
			s += " " + fmt.Sprintf(label("m.policy.budget").in(l), fmtMoney(sc.BudgetEUR, l))
		}
		if sc.AnnualBudgetEUR > 0 {
			start := d.src.Meta.StartYear
			s += " " + fmt.Sprintf(label("m.policy.annual").in(l), fmtMoney(sc.AnnualBudgetEUR, l), yearLabel(1, start).in(l))
		}
		return s
	})
	para(func(l lang) string { return label("m.limits").in(l) })
	return out
}

// crsText translates the CRS notes geodata writes ("EPSG:4326 (WGS84
// lon/lat, assumed)").
func crsText(crs string) bi {
	fr := strings.NewReplacer("assumed", "supposé", "detected", "détecté", "declared", "déclaré").Replace(crs)
	return bi{fr, crs}
}
