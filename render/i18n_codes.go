package render

import (
	"strings"

	"github.com/covplan/covplan/coverage"
)

// Every code the plan carries — technologies, reasons, premise kinds, cost
// items, policies, rankings, targets, skip reasons — is shown to people as
// a label in the page's language, never as the code itself (the code stays
// in the files and in the glossary).

// techLabels names each technology.
var techLabels = [coverage.NumTechs]bi{
	coverage.TechNone:  {"Aucune", "None"},
	coverage.TechFibre: {"Fibre (FTTH)", "Fibre (FTTH)"},
	coverage.TechWifi:  {"THD radio / Wi-Fi", "Fixed wireless / Wi-Fi"},
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

// reasonLabels says what each reason code means, without naming the
// option it belongs to (the page always shows which option carries it).
var reasonLabels = map[coverage.Reason]bi{
	coverage.FibreTooFar:        {"hors de portée du réseau optique existant (et pas de nouveau NRO)", "beyond reach of the existing fibre network (and no new optical node)"},
	coverage.FibreOverThreshold: {"investissement par local au-delà du seuil de la règle « fibre d'abord »", "investment per premise above the fibre-first threshold"},
	coverage.FibrePreferred:     {"objectif fibre : admise seulement où la fibre est infaisable ou trop chère", "fibre-grade target: allowed only where fibre is infeasible or too costly"},
	coverage.WifiNoSite:         {"aucun site radio ne couvre les locaux (ou pas de collecte possible)", "no wireless site covers the premises (or no backhaul within reach)"},
	coverage.WifiCapacity:       {"capacité des sites radio insuffisante pour tous les locaux", "not enough wireless site capacity for every premise"},
	coverage.SatLatency:         {"latence au-delà de l'objectif", "latency above the target"},
	coverage.SatCapacity:        {"cellule ou faisceau satellite saturé", "satellite cell or beam at capacity"},
	coverage.SatObstructed:      {"ciel obstrué pour une partie des locaux", "obstructed sky for a share of the premises"},
	coverage.BelowTarget:        {"débit en heure chargée sous l'objectif", "busy-hour speed below the target"},
	coverage.OverBudget:         {"hors du budget du scénario", "over the scenario's budget"},
}

// reasonShort are the reasons in two or three words, for the zone table.
var reasonShort = map[coverage.Reason]bi{
	coverage.FibreTooFar:        {"trop loin du réseau", "too far from the network"},
	coverage.FibreOverThreshold: {"au-delà du seuil", "above the threshold"},
	coverage.FibrePreferred:     {"fibre préférée", "fibre preferred"},
	coverage.WifiNoSite:         {"aucun site", "no site"},
	coverage.WifiCapacity:       {"capacité", "capacity"},
	coverage.SatLatency:         {"latence", "latency"},
	coverage.SatCapacity:        {"cellule saturée", "cell full"},
	coverage.SatObstructed:      {"ciel obstrué", "obstructed sky"},
	coverage.BelowTarget:        {"sous l'objectif", "below target"},
	coverage.OverBudget:         {"hors budget", "over budget"},
}

// reasonText is the label of reason r, or the code itself for a code the
// report does not know.
func reasonText(r coverage.Reason, short bool) bi {
	m := reasonLabels
	if short {
		m = reasonShort
	}
	if b, ok := m[r]; ok {
		return b
	}
	return same(string(r))
}

// kindLabels names the premise kinds.
var kindLabels = [coverage.NumKinds]bi{
	coverage.KindHousehold: {"Logements", "Households"},
	coverage.KindBusiness:  {"Locaux professionnels", "Businesses"},
	coverage.KindSchool:    {"Écoles", "Schools"},
	coverage.KindPublic:    {"Services publics", "Public services"},
	coverage.KindOther:     {"Autres", "Other"},
}

// itemLabels names the lines of an option's investment.
var itemLabels = [coverage.NumCostItems]bi{
	coverage.ItemRoute:      {"Génie civil et câble (transport, distribution)", "Route: civil works and cable (feeder, distribution)"},
	coverage.ItemPassive:    {"Équipements passifs (PM, PBO, soudures, études)", "Passive equipment (cabinets, boxes, splicing, studies)"},
	coverage.ItemNodes:      {"Nouveaux NRO et leur collecte", "New optical nodes and their links"},
	coverage.ItemConnection: {"Raccordements (branchement, prise, ONT)", "Connections (drop, outlet, ONT)"},
	coverage.ItemOLTPorts:   {"Ports OLT", "OLT ports"},
	coverage.ItemSites:      {"Sites radio (génie civil, pylône, énergie)", "Wireless sites (civil works, mast, power)"},
	coverage.ItemRadios:     {"Équipements radio", "Radio equipment"},
	coverage.ItemBackhaul:   {"Collecte des sites (fibre, faisceau hertzien)", "Site backhaul (fibre, microwave)"},
	coverage.ItemTerminals:  {"Terminaux des abonnés (box radio, kits satellite)", "Subscribers' terminals (CPE, satellite kits)"},
}

// policyLabels names the policies; policyDocs says what each does.
var policyLabels = map[coverage.Policy]bi{
	coverage.PolicyLeastCost:      {"moindre coût", "least cost"},
	coverage.PolicyFibreFirst:     {"fibre d'abord", "fibre first"},
	coverage.PolicyLowestCostBand: {"moindre coût avec bande de priorité", "lowest cost with a priority band"},
	coverage.PolicyBudget:         {"enveloppe budgétaire", "budget"},
	coverage.PolicyHybrid:         {"mixte (fibre + alternative dans la zone)", "hybrid (fibre + an alternative within the zone)"},
}

var policyDocs = map[coverage.Policy]bi{
	coverage.PolicyLeastCost: {"Chaque zone reçoit l'option faisable qui classe en tête, par local desservi, sur le critère de classement.",
		"Each zone gets the feasible option that ranks first, per premise served, on the ranking criterion."},
	coverage.PolicyFibreFirst: {"La fibre est retenue tant que son investissement par local desservi ne dépasse pas le seuil ; au-delà, l'option suivante qui classe en tête.",
		"Fibre is chosen as long as its investment per premise served stays within the threshold; beyond it, the next option that ranks first."},
	coverage.PolicyLowestCostBand: {"L'option qui classe en tête est retenue, sauf si la technologie prioritaire est faisable et reste dans la bande de tolérance au-dessus d'elle.",
		"The option that ranks first is chosen, unless the priority technology is feasible and within the tolerance band above it."},
	coverage.PolicyBudget: {"Les zones sont retenues, locaux prioritaires d'abord puis par investissement croissant par local, tant que le budget le permet ; les autres sont hors budget.",
		"Zones are taken, priority premises first then by increasing investment per premise, as long as the budget allows; the others are over budget."},
	coverage.PolicyHybrid: {"Dans chaque zone, la fibre dessert la partie dense et la meilleure alternative le reste, quand ce mélange coûte moins par local que la meilleure option unique.",
		"Within each zone, fibre serves the dense part and the best alternative the rest, when this mix costs less per premise than the best single option."},
}

// rankLabels names what the policies rank options on.
var rankLabels = map[coverage.RankBy]bi{
	coverage.RankTotal:  {"coût actualisé (réseau + abonnés − recettes)", "present cost (network + subscribers − revenues)"},
	coverage.RankPublic: {"coût public (besoin de financement + subventions)", "public cost (funding gap + subsidies)"},
	coverage.RankNPV:    {"VAN du réseau (la plus élevée d'abord)", "network NPV (highest first)"},
}

// targetLabels names the target presets (docs/model.md cites their texts).
var targetLabels = map[string]bi{
	"fr-thd":     {"Très haut débit (Plan France THD)", "Very high speed (France THD plan)"},
	"fr-2025":    {"Fibre pour tous en 2025 (Plan France THD)", "Fibre for all by 2025 (France THD plan)"},
	"eu-gigabit": {"Gigabit pour tous (Décennie numérique de l'UE, 2030)", "Gigabit for all (EU Digital Decade, 2030)"},
	"us-bead":    {"BEAD (États-Unis)", "BEAD (United States)"},
	"custom":     {"objectif personnalisé", "custom target"},
}

// policyText, rankText and targetName are the labels of the scenario's
// codes, falling back to the code for one the report does not know.
func policyText(p coverage.Policy) bi {
	if b, ok := policyLabels[p]; ok {
		return b
	}
	return same(string(p))
}

func rankText(r coverage.RankBy) bi {
	if b, ok := rankLabels[r]; ok {
		return b
	}
	return same(string(r))
}

func targetName(t coverage.Target) bi {
	if b, ok := targetLabels[t.Name]; ok {
		return b
	}
	if t.Name == "" {
		return label("target.unnamed")
	}
	return same(t.Name)
}

// targetRule says what a target asks, with its figures: "≥ 100 Mbit/s
// descendant en heure chargée par abonné, ≥ 20 montant, latence ≤ 100 ms".
func targetRule(t coverage.Target) bi {
	return biVal(func(l lang) string {
		num := func(v float64) string { return fmtNum(v, decimalsOf(v), l) }
		var parts []string
		if l == langFR {
			parts = append(parts, "≥ "+num(t.DownMbps)+" Mbit/s descendants en heure chargée par abonné")
			if t.UpMbps > 0 {
				parts = append(parts, "≥ "+num(t.UpMbps)+" Mbit/s montants")
			}
			if t.LatencyMs > 0 {
				parts = append(parts, "latence ≤ "+num(t.LatencyMs)+" ms")
			}
			s := strings.Join(parts, ", ")
			if t.FibreGrade {
				s += " ; la fibre l'atteint, une autre technologie seulement où la fibre est infaisable ou coûte plus de " +
					fmtEUR(t.AltOverEUR, l) + " d'investissement par local, et alors à ≥ " + num(t.AltDownMbps) + " Mbit/s"
			}
			return s
		}
		parts = append(parts, "≥ "+num(t.DownMbps)+" Mbit/s down in the busy hour per subscriber")
		if t.UpMbps > 0 {
			parts = append(parts, "≥ "+num(t.UpMbps)+" Mbit/s up")
		}
		if t.LatencyMs > 0 {
			parts = append(parts, "latency ≤ "+num(t.LatencyMs)+" ms")
		}
		s := strings.Join(parts, ", ")
		if t.FibreGrade {
			s += "; fibre meets it, another technology only where fibre is infeasible or costs over " +
				fmtEUR(t.AltOverEUR, l) + " of investment per premise, and then at ≥ " + num(t.AltDownMbps) + " Mbit/s"
		}
		return s
	})
}

// decimalsOf is how many decimals (at most 3) show v exactly.
func decimalsOf(v float64) int {
	for d := 0; d < 3; d++ {
		if roundTo(v, d) == v {
			return d
		}
	}
	return 3
}

// skipLabels translates the reasons geodata and the command give for
// skipped, repaired or unmatched records; skipPrefixes those built from a
// column name ("bad lon").
var skipLabels = map[string]bi{
	"no coordinates":                     {"pas de coordonnées", "no coordinates"},
	"empty geometry":                     {"géométrie vide", "empty geometry"},
	"lon out of range":                   {"longitude hors limites", "lon out of range"},
	"lat out of range":                   {"latitude hors limites", "lat out of range"},
	"outside the Lambert-93 range":       {"hors de l'emprise du Lambert-93", "outside the Lambert-93 range"},
	"units not an integer":               {"nombre de prises non entier", "units not an integer"},
	"units < 1":                          {"nombre de prises inférieur à 1", "units < 1"},
	"geo_shape is not a Point":           {"geo_shape n'est pas un point", "geo_shape is not a Point"},
	"wkt is not a POINT":                 {"le WKT n'est pas un POINT", "wkt is not a POINT"},
	"row left out by --zone-table-where": {"ligne écartée par --zone-table-where", "row left out by --zone-table-where"},
	"zone without a row in the zone table (no population)": {"zone absente de la table des zones (pas de population)",
		"zone without a row in the zone table (no population)"},
	"row without a zone (not used)":         {"ligne sans zone (non utilisée)", "row without a zone (not used)"},
	"unknown status (treated as active)":    {"état inconnu (considéré actif)", "unknown status (treated as active)"},
	"status not stated (treated as active)": {"état non renseigné (considéré actif)", "status not stated (treated as active)"},
	"empty id (replaced by line<N>)":        {"identifiant vide (remplacé par line<N>)", "empty id (replaced by line<N>)"},
	"unknown kind (other)":                  {"type de local inconnu (autre)", "unknown kind (other)"},
	"no id (feature number used)":           {"pas d'identifiant (numéro d'objet utilisé)", "no id (feature number used)"},
	"bad population (ignored)":              {"population invalide (ignorée)", "bad population (ignored)"},
	"bad households (ignored)":              {"nombre de ménages invalide (ignoré)", "bad households (ignored)"},
	"unclosed ring (closed)":                {"anneau non fermé (fermé)", "unclosed ring (closed)"},
	"ring orientation does not follow the specification (rings nested by containment)": {"orientation des anneaux non conforme (imbrication déduite de l'inclusion)",
		"ring orientation does not follow the specification (rings nested by containment)"},
}

// skipText translates a skip or repair reason; an unknown one is shown as
// given in both languages.
func skipText(reason string) bi {
	if b, ok := skipLabels[reason]; ok {
		return b
	}
	if col, ok := strings.CutPrefix(reason, "bad "); ok && col != "" {
		return bi{"valeur de " + col + " invalide", reason}
	}
	return same(reason)
}

// findingLabels say what each kind of finding about an input is
// (geodata's diagnostic codes, docs/inputs.md §7), and what it means.
var findingLabels = map[string]struct{ text, hint bi }{
	"unclosed-ring":   {bi{"anneaux non fermés, refermés (la première position répétée à la fin)", "unclosed ring(s) closed (the first position repeated at the end)"}, bi{}},
	"repeated-point":  {bi{"positions répétées consécutives supprimées", "repeated consecutive position(s) removed"}, bi{}},
	"degenerate-ring": {bi{"trous de surface nulle supprimés", "hole(s) of zero area dropped"}, bi{}},
	"degenerate-part": {bi{"parties de MultiPolygon de surface nulle supprimées", "MultiPolygon part(s) of zero area dropped"}, bi{}},
	"overlap": {bi{"paires de zones qui se chevauchent", "pair(s) of zones overlap"},
		bi{"un local dans un chevauchement appartient à la zone qui vient d'abord dans le fichier ; corrigez les limites ou retirez la zone en double",
			"a premise in an overlap belongs to the zone that comes first in the file (the lower index); fix the boundaries or remove the duplicate zone"}},
	"duplicate-id": {bi{"enregistrements répétant l'identifiant d'un précédent", "record(s) repeat the id of an earlier one"},
		bi{"les identifiants ne font qu'étiqueter les sorties, mais une ligne répétée compte ses locaux deux fois : retirez les lignes en double",
			"ids only label the outputs, but a repeated row counts its premises twice: remove duplicated rows"}},
	"far-feature": {bi{"objets loin de la zone d'étude, ignorés", "feature(s) far from the area, skipped"},
		bi{"des objets si loin ne peuvent pas desservir la zone (le repère est choisi d'après la zone ; --strict en fait une erreur)",
			"features this far cannot serve the area (the frame is chosen from the area; --strict makes this an error)"}},
	"not-validated": {bi{"géométries trop complexes pour vérifier leurs auto-intersections", "geometries with rings too convoluted to check for self-intersections"}, bi{}},
	// the command's findings about the zone table
	"zone-without-row": {bi{"zones sans ligne dans la table des zones", "zone(s) without a row in the zone table"},
		bi{"ces zones ne reçoivent ni population ni ménages de la table", "these zones get no population or households from the table"}},
	"row-without-zone": {bi{"lignes dont l'identifiant n'est celui d'aucune zone (non utilisées)", "row(s) whose id is no zone's (not used)"}, bi{}},
}

// findingSeverity names a finding's severity.
func findingSeverity(sev string) bi {
	switch sev {
	case "repaired":
		return bi{"corrigé", "repaired"}
	case "skipped":
		return bi{"ignoré", "skipped"}
	case "warning":
		return bi{"à vérifier", "warning"}
	}
	return same(sev)
}

// findingText says what a finding is: the report's own words for the
// codes it knows, the skip or caveat reason translated for records
// skipped or kept, the run's message otherwise.
func findingText(f Finding) bi {
	if b, ok := findingLabels[f.Code]; ok {
		return b.text
	}
	for _, p := range []struct {
		code, prefix string
		fr           string
	}{
		{"skipped", "record(s) skipped: ", "enregistrements ignorés : "},
		{"warning", "record(s) kept with a caveat: ", "enregistrements gardés avec une réserve : "},
	} {
		if reason, ok := strings.CutPrefix(f.Message, p.prefix); ok && f.Code == p.code {
			r := skipText(reason)
			return bi{p.fr + r.fr, p.prefix + r.en}
		}
	}
	return same(f.Message)
}

// findingHint is what a finding means or what to do: the report's own
// words for the codes it knows, the run's hint otherwise.
func findingHint(f Finding) bi {
	if b, ok := findingLabels[f.Code]; ok && b.hint.en != "" {
		return b.hint
	}
	return same(f.Hint)
}
