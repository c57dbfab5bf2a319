package render

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// The report is bilingual: every label exists in French and English, both
// are written into the page, and a toggle shows one of them. Labels live in
// one table so that a missing translation is a test failure, not a blank.

// lang is a report language.
type lang string

const (
	langFR lang = "fr"
	langEN lang = "en"
)

// langs lists the report languages in page order.
var langs = [...]lang{langFR, langEN}

// parseLang maps "", "fr", "en" (any case, with an optional region such as
// "fr-FR") to a report language. The empty string is English.
func parseLang(s string) (lang, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	switch l {
	case "", "en":
		return langEN, nil
	case "fr":
		return langFR, nil
	}
	return "", fmt.Errorf("render: unknown report language %q (want fr or en)", s)
}

// bi is one label in both languages.
type bi struct{ fr, en string }

// FR and EN give the label in one language, for templates.
func (b bi) FR() string { return b.fr }
func (b bi) EN() string { return b.en }

func (b bi) in(l lang) string {
	if l == langFR {
		return b.fr
	}
	return b.en
}

// labels holds every fixed text of the report, keyed by a short name.
var labels = map[string]bi{
	"title":           {"Plan de couverture numérique", "Connectivity coverage plan"},
	"lang.toggle":     {"English", "Français"},
	"nav.figures":     {"Chiffres clés", "Key figures"},
	"nav.mix":         {"Technologies", "Technologies"},
	"nav.curve":       {"Courbe de coût", "Cost curve"},
	"nav.dist":        {"Distribution des coûts", "Cost distribution"},
	"nav.rollout":     {"Déploiement", "Rollout"},
	"nav.map":         {"Carte", "Map"},
	"nav.zones":       {"Zones", "Zones"},
	"nav.inputs":      {"Données et paramètres", "Inputs and parameters"},
	"generated":       {"Produit par covplan", "Produced by covplan"},
	"noassets":        {"Les graphiques et la carte ne sont pas disponibles : ce covplan a été compilé sans echarts.min.js (lancez « make assets » puis recompilez). Les tableaux ci-dessous restent complets.", "Charts and the map are unavailable: this covplan was built without echarts.min.js (run `make assets`, then rebuild). The tables below are complete."},
	"nojs":            {"Les graphiques nécessitent JavaScript ; les tableaux restent lisibles.", "Charts need JavaScript; the tables remain readable."},
	"empty":           {"Le plan ne contient aucune zone.", "The plan has no zones."},
	"fig.zones":       {"Zones", "Zones"},
	"fig.premises":    {"Locaux", "Premises"},
	"fig.units":       {"Lignes (logements et locaux)", "Units (dwellings and offices)"},
	"fig.meet":        {"Locaux atteignant l'objectif", "Premises meeting the target"},
	"fig.capex":       {"Investissement total (CAPEX)", "Total investment (CAPEX)"},
	"fig.opex":        {"Exploitation par an (OPEX)", "Operating cost per year (OPEX)"},
	"fig.npv":         {"Coût actualisé sur l'horizon (réseau + abonnés)", "Present cost over the horizon (network + subscribers)"},
	"fig.public":      {"Coût public", "Public cost"},
	"fig.cpp":         {"Coût actualisé par local desservi", "Present cost per premise served"},
	"fig.capexpp":     {"CAPEX par local desservi", "CAPEX per premise served"},
	"fig.fidelity":    {"Niveau de détail", "Fidelity level"},
	"fig.target":      {"Objectif", "Target"},
	"fig.policy":      {"Règle de choix", "Policy"},
	"fig.noscenario":  {"non précisé", "not given"},
	"fig.unzoned":     {"Locaux hors de toute zone (non planifiés)", "Premises outside every zone (not planned)"},
	"fig.leocells":    {"Cellules LEO saturées", "LEO cells at capacity"},
	"reach.title":     {"Objectif atteint par type de local", "Target reached by premise kind"},
	"reach.kind":      {"Type", "Kind"},
	"reach.reached":   {"Atteignant l'objectif", "Meeting the target"},
	"reach.prio":      {"prioritaire", "priority"},
	"in.default":      {"Défaut", "Default"},
	"in.changed":      {"Les valeurs modifiées par rapport aux défauts sont en gras.", "Values changed from the defaults are in bold."},
	"fid.premise":     {"local par local (adresses)", "premise level (addresses)"},
	"fid.zone":        {"par zone (estimations de densité)", "zone level (density estimates)"},
	"fid.premise.doc": {"Les coûts sont construits à partir de chaque local mesuré sur le réseau.", "Costs are built up from every premise measured against the network."},
	"fid.zone.doc":    {"Sans adresses : les chiffres sont estimés à partir des effectifs et de la surface de chaque zone.", "No addresses: figures are estimated from each zone's counts and area."},
	"mix.title":       {"Répartition par technologie", "Technology mix"},
	"mix.doc":         {"Part des zones, des locaux et des lignes servis par chaque technologie retenue (zones et lignes : technologie de la zone ; locaux : technologie qui dessert chacun, une zone mixte comptant pour plusieurs).", "Share of zones, premises and units served by each chosen technology (zones and units: the zone's technology; premises: the technology serving each, a mixed zone counting for several)."},
	"mix.tech":        {"Technologie", "Technology"},
	"mix.share":       {"Part (%)", "Share (%)"},
	"curve.title":     {"Courbe de coût", "Cost curve"},
	"curve.doc":       {"Zones classées du coût par local le plus bas au plus haut : locaux cumulés contre coût cumulé. La pente montre ce que coûtent les derniers locaux.", "Zones sorted from the lowest to the highest cost per premise: cumulative premises against cumulative cost. The slope shows what the last premises cost."},
	"curve.x":         {"Locaux cumulés", "Cumulative premises"},
	"curve.y":         {"Coût cumulé (€)", "Cumulative cost (EUR)"},
	"curve.npv":       {"Coût actualisé cumulé", "Cumulative present cost"},
	"curve.capex":     {"CAPEX cumulé", "Cumulative CAPEX"},
	"curve.public":    {"Coût public cumulé", "Cumulative public cost"},
	"curve.sampled":   {"Courbe tracée sur %s points sur %s zones.", "Curve drawn with %s points out of %s zones."},
	"dist.title":      {"Distribution du coût par local", "Cost per premise distribution"},
	"dist.doc":        {"Nombre de locaux selon le coût actualisé par local de leur zone, par technologie retenue.", "Premises by their zone's NPV per premise, by chosen technology."},
	"dist.x":          {"Coût actualisé par local (€)", "NPV per premise (EUR)"},
	"dist.y":          {"Locaux", "Premises"},
	"roll.title":      {"Déploiement par année", "Rollout by year"},
	"roll.doc":        {"Locaux raccordés et investissement par année du plan phasé.", "Premises brought to the target and investment per year of the phased plan."},
	"roll.none":       {"Le plan n'est pas phasé : toutes les zones sont déployées ensemble (aucun budget annuel dans le scénario).", "The plan is not phased: every zone is deployed at once (the scenario sets no annual budget)."},
	"roll.year":       {"Année", "Year"},
	"roll.premises":   {"Locaux", "Premises"},
	"roll.capex":      {"CAPEX (€)", "CAPEX (EUR)"},
	"roll.cumul":      {"Locaux cumulés", "Cumulative premises"},
	"roll.unphased":   {"Non programmé", "Not scheduled"},
	"map.title":       {"Carte des zones et des locaux", "Map of zones and premises"},
	"map.doc":         {"Zones colorées selon la technologie retenue ; points : locaux. Molette pour zoomer, glisser pour déplacer ; cliquez la légende pour masquer une technologie.", "Zones coloured by chosen technology; dots: premises. Scroll to zoom, drag to pan; click the legend to hide a technology."},
	"map.sample":      {"Locaux affichés : %s sur %s (échantillon déterministe, réparti par technologie).", "Premises shown: %s of %s (a deterministic sample, spread over technologies)."},
	"map.allprem":     {"Tous les locaux sont affichés (%s).", "All premises are shown (%s)."},
	"map.simplified":  {"Contours simplifiés à %s sommets (sur %s) pour limiter la taille de la page.", "Outlines simplified to %s vertices (of %s) to keep the page small."},
	"map.nogeom":      {"Pas de carte : les contours des zones en longitude/latitude ne sont pas fournis.", "No map: zone outlines in longitude/latitude were not given."},
	"map.noproj":      {"Les locaux ne sont pas placés sur la carte (pas de conversion vers longitude/latitude).", "Premises are not placed on the map (no conversion to longitude/latitude)."},
	"map.zonelevel":   {"Niveau zone : pas de locaux individuels à placer.", "Zone level: there are no individual premises to place."},
	"map.zones":       {"Zones", "Zones"},
	"tbl.title":       {"Toutes les zones", "All zones"},
	"tbl.doc":         {"Cliquez un en-tête pour trier ; tapez pour filtrer (nom, code, raison).", "Click a header to sort; type to filter (name, id, reason)."},
	"tbl.filter":      {"Filtrer…", "Filter…"},
	"tbl.alltech":     {"Toutes technologies", "All technologies"},
	"tbl.shown":       {"zones affichées", "zones shown"},
	"tbl.capped":      {"Le tableau montre les %s premières zones sur %s ; la liste complète est dans zones.csv.", "The table shows the first %s zones of %s; the full list is in zones.csv."},
	"col.id":          {"Code", "Id"},
	"col.name":        {"Nom", "Name"},
	"col.premises":    {"Locaux", "Premises"},
	"col.units":       {"Lignes", "Units"},
	"col.tech":        {"Technologie", "Technology"},
	"col.cpp":         {"VAN / local (€)", "NPV / premise (EUR)"},
	"col.npv":         {"Coût actualisé (€)", "Present cost (EUR)"},
	"col.capex":       {"CAPEX (€)", "CAPEX (EUR)"},
	"col.down":        {"Desc. (Mbit/s)", "Down (Mbps)"},
	"col.up":          {"Montant (Mbit/s)", "Up (Mbps)"},
	"col.lat":         {"Latence (ms)", "Latency (ms)"},
	"col.meets":       {"Objectif", "Target"},
	"col.year":        {"Année", "Year"},
	"col.reasons":     {"Raisons", "Reasons"},
	"col.zones":       {"Zones", "Zones"},
	"yes":             {"oui", "yes"},
	"no":              {"non", "no"},
	"in.title":        {"Données, repère et paramètres", "Inputs, frame and parameters"},
	"in.files":        {"Fichiers d'entrée", "Input files"},
	"in.role":         {"Rôle", "Role"},
	"in.file":         {"Fichier", "File"},
	"in.records":      {"Enregistrements", "Records"},
	"in.skipped":      {"Ignorés", "Skipped"},
	"in.crs":          {"Système de coordonnées", "CRS"},
	"in.sha":          {"SHA-256", "SHA-256"},
	"in.frame":        {"Repère métrique de calcul", "Metric frame used for computing"},
	"in.noframe":      {"non précisé", "not given"},
	"in.skips":        {"Enregistrements ignorés", "Skipped records"},
	"in.reason":       {"Raison", "Reason"},
	"in.count":        {"Nombre", "Count"},
	"in.noskips":      {"Aucun enregistrement ignoré.", "No record was skipped."},
	"in.nofiles":      {"Aucun fichier décrit.", "No input file described."},
	"in.scenario":     {"Paramètres du scénario", "Scenario parameters"},
	"in.noscenario":   {"Le scénario n'est pas joint au plan.", "The scenario is not attached to the plan."},
	"in.param":        {"Paramètre", "Parameter"},
	"in.value":        {"Valeur", "Value"},
	"in.reasons":      {"Codes de raison", "Reason codes"},
	"in.version":      {"Version de covplan", "covplan version"},
	"in.limits":       {"Limites d'affichage", "Display limits"},
	"tt.zone":         {"Zone", "Zone"},
	"tt.premise":      {"Local", "Premise"},
	"unknown":         {"inconnu", "unknown"},
}

// techLabels names each technology for people.
var techLabels = [coverage.NumTechs]bi{
	coverage.TechNone:  {"Aucune", "None"},
	coverage.TechFibre: {"Fibre (FTTH)", "Fibre (FTTH)"},
	coverage.TechWifi:  {"Wi-Fi / THD radio", "Wi-Fi / FWA"},
	coverage.TechLEO:   {"Satellite LEO", "LEO satellite"},
	coverage.TechGEO:   {"Satellite GEO", "GEO satellite"},
}

// techColors are the fixed colours of the technologies, everywhere in the
// report (charts, map, table).
var techColors = [coverage.NumTechs]string{
	coverage.TechNone:  "#9e9e9e",
	coverage.TechFibre: "#1f6fb2",
	coverage.TechWifi:  "#2ca25f",
	coverage.TechLEO:   "#f28e2b",
	coverage.TechGEO:   "#8e5ea2",
}

// reportTechs is the technology order of the report: the real options, then
// none.
var reportTechs = [...]coverage.Tech{coverage.TechFibre, coverage.TechWifi, coverage.TechLEO, coverage.TechGEO, coverage.TechNone}

// reasonLabels explains the reason codes of MODEL.md §5.
var reasonLabels = map[coverage.Reason]bi{
	coverage.FibreTooFar:        {"Fibre : réseau existant trop loin (au-delà de la portée GPON).", "Fibre: existing network too far (beyond GPON reach)."},
	coverage.FibreOverThreshold: {"Fibre : coût par local au-delà du seuil du scénario.", "Fibre: cost per premise above the scenario threshold."},
	coverage.WifiNoSite:         {"Wi-Fi / radio : aucun site ne couvre les locaux.", "Wi-Fi / FWA: no site covers the premises."},
	coverage.WifiCapacity:       {"Wi-Fi / radio : capacité des sites insuffisante.", "Wi-Fi / FWA: not enough site capacity."},
	coverage.SatLatency:         {"Satellite : latence au-delà de l'objectif.", "Satellite: latency above the target."},
	coverage.SatCapacity:        {"Satellite : cellule saturée.", "Satellite: cell capacity exhausted."},
	coverage.SatObstructed:      {"Satellite : ciel obstrué pour une part des locaux.", "Satellite: obstructed sky for a share of premises."},
	coverage.BelowTarget:        {"Débit ou latence en dessous de l'objectif.", "Speed or latency below the target."},
	coverage.OverBudget:         {"Hors budget du scénario.", "Over the scenario budget."},
}

// reasonOrder is the order reason codes are listed in.
var reasonOrder = [...]coverage.Reason{
	coverage.FibreTooFar, coverage.FibreOverThreshold, coverage.WifiNoSite, coverage.WifiCapacity,
	coverage.SatLatency, coverage.SatCapacity, coverage.SatObstructed, coverage.BelowTarget, coverage.OverBudget,
}

// label returns the label named key; it panics on an unknown key, which the
// tests catch (every key used by the template is rendered by them).
func label(key string) bi {
	b, ok := labels[key]
	if !ok {
		panic("render: no label " + strconv.Quote(key))
	}
	return b
}

// biHTML renders a label in both languages as two spans; the page's CSS
// shows the one of the current language.
func biHTML(b bi) template.HTML {
	if b.fr == b.en {
		return template.HTML(template.HTMLEscapeString(b.en))
	}
	return template.HTML(`<span class="fr" lang="fr">` + template.HTMLEscapeString(b.fr) +
		`</span><span class="en" lang="en">` + template.HTMLEscapeString(b.en) + `</span>`)
}

// bif applies fmt.Sprintf to both languages of a label, with arguments per
// language.
func biSprintf(key string, args func(l lang) []any) bi {
	b := label(key)
	return bi{fmt.Sprintf(b.fr, args(langFR)...), fmt.Sprintf(b.en, args(langEN)...)}
}

// Number formatting. French groups thousands with a narrow no-break space
// and uses a decimal comma; English groups with a comma and uses a point.
// Both are what Intl.NumberFormat gives in a browser, so the table can be
// reformatted on the client when the language changes.

const narrowNBSP = "\u202f"

// fmtNum formats v with dec decimals in language l. NaN and infinities are
// written as "–".
func fmtNum(v float64, dec int, l lang) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if isZeroDigits(intPart) && isZeroDigits(frac) {
		neg = false // no "-0"
	}
	sep, point := ",", "."
	if l == langFR {
		sep, point = narrowNBSP, ","
	}
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

func isZeroDigits(s string) bool {
	for _, c := range s {
		if c != '0' {
			return false
		}
	}
	return true
}

func fmtInt(n int, l lang) string { return fmtNum(float64(n), 0, l) }

// fmtEUR formats an amount of euros without decimals: "1 234 €" in French,
// "€1,234" in English.
func fmtEUR(v float64, l lang) string {
	s := fmtNum(v, 0, l)
	if l == langFR {
		return s + narrowNBSP + "€"
	}
	if strings.HasPrefix(s, "-") {
		return "-€" + s[1:]
	}
	return "€" + s
}

// fmtPct formats a share in [0,1] as a percentage with one decimal.
func fmtPct(share float64, l lang) string {
	s := fmtNum(100*share, 1, l)
	if l == langFR {
		return s + narrowNBSP + "%"
	}
	return s + "%"
}

// biVal formats one value in both languages.
func biVal(f func(l lang) string) bi { return bi{f(langFR), f(langEN)} }
