package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// The scenario table shows every parameter of coverage.Scenario.Params in
// the page's language: what it means (paramDocsFR; the English text is the
// parameter's own Doc), its value and default localised with their unit,
// and its source (as cited, in a tooltip and in docs/model.md).

// paramDocsFR gives the French meaning of each parameter key. Keys of the
// wireless profiles, satellites and premise kinds are written once with a
// placeholder: {p} (fwa, public-wifi), {s} (leo, geo), {k} (a kind).
var paramDocsFR = map[string]string{
	"target":                             "préréglage d'objectif : fr-thd, fr-2025, eu-gigabit ou us-bead (fixe toutes les clés target.*)",
	"target.down_mbps":                   "débit descendant minimal par abonné en heure chargée",
	"target.up_mbps":                     "débit montant minimal par abonné en heure chargée (0 = aucun)",
	"target.latency_ms":                  "latence aller-retour maximale (0 = sans limite)",
	"target.fibre_grade":                 "objectif de niveau fibre : la fibre l'atteint ; une autre technologie seulement où la fibre est infaisable ou son investissement par local dépasse target.alt_over_eur (FIBRE_PREFERRED)",
	"target.alt_down_mbps":               "objectif de niveau fibre : débit descendant minimal des alternatives là où elles sont admises",
	"target.alt_over_eur":                "objectif de niveau fibre : investissement fibre par local au-delà duquel les alternatives sont admises",
	"policy":                             "règle de choix : least-cost, fibre-first, lowest-cost-band, budget ou hybrid",
	"policy.rank_by":                     "critère de classement des options, par local desservi : total (coût actualisé : ce que paient ensemble la collectivité et les abonnés), public (coût public) ou npv (VAN du programme, la plus élevée d'abord) ; vide : public pour lowest-cost-band (BEAD classe les offres sur la subvention), total sinon",
	"policy.threshold_eur":               "fibre d'abord : investissement fibre par local au-delà duquel une autre technologie est retenue",
	"policy.priority_tech":               "bande de priorité : technologie retenue quand elle reste dans la bande",
	"policy.band_share":                  "bande de priorité : écart admis au-dessus de l'option la moins chère (selon policy.rank_by)",
	"policy.min_served_share":            "une option doit desservir au moins cette part des locaux d'une zone pour être faisable",
	"priority":                           "types de locaux desservis en premier par la règle budget et le phasage, par exemple schools,public",
	"policy.budget_pick":                 "règle budget : option proposée par chaque zone : capex (plus faible investissement par local : le plus de locaux pour l'argent) ou rank (l'option que policy.rank_by classe en tête)",
	"budget_eur":                         "règle budget : investissement total disponible (0 = pas de plafond total)",
	"annual_budget_eur":                  "investissement disponible par année de déploiement (0 = pas de phasage)",
	"costs":                              "préréglage de coûts : fr (réseaux d'initiative publique français réutilisant fourreaux et poteaux, prix français) ou us (construction neuve, prix américains, subventions BEAD) ; fixe tous les coûts et prix, le taux d'actualisation et le chèque",
	"money.discount_rate":                "taux d'actualisation des valeurs présentes",
	"money.horizon_years":                "horizon des valeurs présentes",
	"money.voucher_eur":                  "aide publique au terminal de chaque abonné satellite ou radio (au plus son prix)",
	"money.network_public_share":         "part du coût d'un réseau construit (fibre, radio) supportée par la collectivité quand ses recettes ne sont pas modélisées (revenue_eur_month 0) ; avec recettes, la collectivité paie le besoin de financement",
	"fibre.route_factor":                 "longueur du tracé ÷ longueur à vol d'oiseau",
	"fibre.duct_share":                   "part des nouveaux mètres de tracé tirés dans des fourreaux existants (ceux de l'opérateur historique, aux tarifs d'accès régulés)",
	"fibre.aerial_share":                 "part des nouveaux mètres de tracé sur appuis existants (aérien, façades) ; le reste est du génie civil neuf",
	"fibre.duct_eur_per_m":               "câble tiré dans un fourreau existant : câble, main-d'œuvre, accès au fourreau",
	"fibre.aerial_eur_per_m":             "câble sur appuis ou façades existants, poteaux à remplacer compris",
	"fibre.underground_eur_per_m":        "génie civil souterrain neuf et câble (tranchée classique et micro-tranchée ; sol rocheux environ le double)",
	"fibre.passive_eur":                  "équipements passifs par local nouvellement raccordable : armoires PM, boîtiers PBO, soudures, études",
	"fibre.connection_eur":               "raccordement d'une prise abonnée : branchement, prise optique, ONT, études",
	"fibre.ont_eur":                      "part électronique du raccordement (ONT), renouvelée avec les ports OLT",
	"fibre.olt_port_eur":                 "port OLT avec sa part de châssis et d'optiques",
	"fibre.split":                        "couplage optique : prises abonnées par port OLT",
	"fibre.reach_m":                      "distance maximale de tracé depuis un nœud actif (portée GPON)",
	"fibre.opex_share":                   "exploitation et maintenance annuelles du réseau",
	"fibre.electronics_years":            "durée de vie des ports OLT et des ONT avant renouvellement",
	"fibre.down_mbps":                    "débit descendant du service",
	"fibre.up_mbps":                      "débit montant du service",
	"fibre.latency_ms":                   "latence aller-retour",
	"fibre.retail_eur_month":             "abonnement de détail payé par un abonné fibre (un coût des abonnés)",
	"fibre.revenue_eur_month":            "recette de l'exploitant du réseau par abonné (gros dans un réseau public ouvert) ; 0 : recettes non modélisées (pas de VAN ; la collectivité paie money.network_public_share du coût)",
	"fibre.allow_new_nodes":              "les locaux hors de portée du réseau existant (ou sans réseau) reçoivent de nouveaux nœuds optiques (NRO), placés une fois pour le territoire ; non : FIBRE_TOO_FAR",
	"fibre.new_node_eur":                 "un nouveau nœud optique : shelter, énergie, châssis OLT (ports comptés à part) ; partagé entre les zones qu'il dessert",
	"fibre.node_max_units":               "prises desservies par un nouveau nœud ; un groupe de locaux plus grand en reçoit plusieurs",
	"fibre.link_max_m":                   "la collecte d'un nouveau nœud est construite en fibre jusqu'au nœud actif le plus proche dans cette distance à vol d'oiseau ; au-delà, un lien est loué",
	"fibre.transit_eur":                  "lien de collecte loué (IRU) pour un nouveau nœud sans nœud actif à moins de link_max_m, ou pour un point de présence radio sans fibre à portée hertzienne",
	"wifi.profile":                       "profil radio utilisé : fwa (THD radio, boucle locale radio) ou public-wifi",
	"wifi.{p}.range_m":                   "{p} : portée d'un nouveau site",
	"wifi.{p}.capacity_mbps":             "{p} : capacité partagée d'un site en heure chargée (aussi pour les points d'accès existants sans capacité)",
	"wifi.{p}.oversubscription":          "{p} : abonnés par utilisateur simultané en heure chargée : un site accepte capacité × ce facteur ÷ débit cible abonnés",
	"wifi.{p}.down_mbps":                 "{p} : débit descendant crête par abonné",
	"wifi.{p}.up_mbps":                   "{p} : débit montant crête par abonné",
	"wifi.{p}.latency_ms":                "{p} : latence aller-retour",
	"wifi.{p}.site_eur":                  "{p} : génie civil, pylône et énergie d'un nouveau site sur un nouveau pylône",
	"wifi.{p}.tower_eur":                 "{p} : nouveau site sur un pylône ou point haut existant (installation, énergie, mise en service)",
	"wifi.{p}.tower_share":               "{p} : part des nouveaux sites pouvant utiliser un pylône existant",
	"wifi.{p}.radio_eur":                 "{p} : équipements radio d'un nouveau site, renouvelés tous les equipment_years",
	"wifi.{p}.cpe_eur":                   "{p} : terminal et installation chez l'abonné (un coût des abonnés ; le chèque s'y applique)",
	"wifi.{p}.site_opex_eur":             "{p} : loyer, énergie et maintenance d'un site",
	"wifi.{p}.equipment_years":           "{p} : durée de vie des radios et des terminaux",
	"wifi.{p}.fibre_backhaul_max_m":      "{p} : un site aussi proche du réseau fibre est collecté en fibre (au prix de la fibre au mètre), sinon par faisceau hertzien",
	"wifi.{p}.microwave_eur":             "{p} : lien de collecte par faisceau hertzien",
	"wifi.{p}.microwave_max_m":           "{p} : plus long bond hertzien jusqu'au réseau ; les sites plus loin n'ont pas de collecte (WIFI_NO_SITE)",
	"wifi.{p}.max_sites_per_tile":        "{p} : nombre maximal de nouveaux sites par maille de placement (carrés de 4 × range_m) ; les locaux restants sont WIFI_CAPACITY",
	"wifi.{p}.retail_eur_month":          "{p} : abonnement de détail payé par un abonné",
	"wifi.{p}.revenue_eur_month":         "{p} : recette de l'exploitant du réseau par abonné ; 0 : recettes non modélisées",
	"{s}.kit_eur":                        "{s} : kit terminal (un coût des abonnés ; le chèque s'y applique)",
	"{s}.monthly_eur":                    "{s} : abonnement de détail (un coût des abonnés)",
	"{s}.down_mbps":                      "{s} : débit descendant par abonné en heure chargée",
	"{s}.up_mbps":                        "{s} : débit montant par abonné en heure chargée",
	"{s}.latency_ms":                     "{s} : latence aller-retour",
	"{s}.terminal_years":                 "{s} : durée de vie d'un terminal avant renouvellement",
	"{s}.obstructed_share":               "{s} : part des locaux sans vue dégagée du ciel (non desservis, SAT_OBSTRUCTED)",
	"{s}.cell_width_m":                   "{s} : largeur d'une cellule ou d'un faisceau de capacité (hexagone, de plat à plat) ; 0 = pas de cellules",
	"{s}.cell_capacity_mbps":             "{s} : capacité d'une cellule ou d'un faisceau en heure chargée pour les abonnés du territoire (0 = illimitée) ; au-delà : SAT_CAPACITY",
	"{s}.subsidy_eur_per_premise":        "{s} : aide publique par local desservi, versée à l'opérateur (à la manière de BEAD), en plus du chèque",
	"demand.{k}.busy_hour_mbps":          "{k} : trafic moyen par abonné en heure chargée (dimensionne les sites radio et les cellules satellite)",
	"demand.{k}.take_up":                 "{k} : part des prises qui s'abonnent (raccordements, terminaux, abonnements, recettes)",
	"zone_level.premises_per_inhabitant": "niveau zone : locaux = population × ce ratio quand la zone ne donne pas de nombre de locaux",
	"zone_level.mst_constant":            "niveau zone : c dans c·√(n·A), l'arbre reliant n locaux (ou hameaux) répartis uniformément sur une surface A",
	"zone_level.tree_m_per_premise":      "niveau zone : longueur d'arbre de distribution par local dans un village ou hameau ; arbre = min(c·√(n·A), λ·(n − m) + c·√(m·A))",
	"zone_level.settlement_km2":          "niveau zone : surface par lieu habité : une zone de A km² en compte m = A ÷ ce ratio (au moins 1, au plus ses locaux)",
	"zone_level.settlement_min_premises": "niveau zone : nombre minimal de locaux d'un lieu habité (un hameau) : m est au plus locaux ÷ ce nombre",
	"zone_level.served_density_ratio":    "niveau zone : densité de locaux dans les zones déjà desservies ÷ densité dans le reste de la zone ; part raccordable = ρ·s ÷ (ρ·s + 1 − s) pour une part de surface s (1 = répartition uniforme)",
}

// paramGroups orders the scenario table in sections, by key prefix.
var paramGroups = []struct {
	prefix []string
	name   bi
}{
	{[]string{"target"}, bi{"Objectif", "Target"}},
	{[]string{"policy", "priority", "budget_eur", "annual_budget_eur"}, bi{"Règle de choix et budget", "Policy and budget"}},
	{[]string{"costs", "money."}, bi{"Argent", "Money"}},
	{[]string{"fibre."}, bi{"Fibre (FTTH)", "Fibre (FTTH)"}},
	{[]string{"wifi."}, bi{"THD radio / Wi-Fi", "Fixed wireless / Wi-Fi"}},
	{[]string{"leo.", "geo."}, bi{"Satellites", "Satellites"}},
	{[]string{"demand."}, bi{"Demande par type de local", "Demand by premise kind"}},
	{[]string{"zone_level."}, bi{"Niveau zone (estimations)", "Zone level (estimates)"}},
}

// paramGroup is the index in paramGroups of key's section.
func paramGroup(key string) int {
	for i, g := range paramGroups {
		for _, p := range g.prefix {
			if key == p || strings.HasPrefix(key, p+".") || (strings.HasSuffix(p, ".") && strings.HasPrefix(key, p)) {
				return i
			}
		}
	}
	return len(paramGroups) - 1
}

// paramDoc is the meaning of parameter p in both languages.
func paramDoc(p coverage.Param) bi {
	fr, ok := paramDocsFR[p.Key]
	if !ok {
		fr, ok = paramDocTemplate(p.Key)
	}
	if !ok {
		fr = p.Doc // a parameter added to coverage since: its English text (the tests list it)
	}
	return bi{fr, p.Doc}
}

// paramDocTemplate finds the French doc of a profile, satellite or kind
// parameter through its placeholder entry.
func paramDocTemplate(key string) (string, bool) {
	parts := strings.Split(key, ".")
	try := func(tmpl, ph, name string) (string, bool) {
		s, ok := paramDocsFR[tmpl]
		if !ok {
			return "", false
		}
		return strings.ReplaceAll(s, ph, name), true
	}
	switch {
	case len(parts) == 3 && parts[0] == "wifi":
		return try("wifi.{p}."+parts[2], "{p}", parts[1])
	case len(parts) == 2 && (parts[0] == "leo" || parts[0] == "geo"):
		return try("{s}."+parts[1], "{s}", strings.ToUpper(parts[0]))
	case len(parts) == 3 && parts[0] == "demand":
		k, ok := coverage.ParseKind(parts[1])
		if !ok {
			return "", false
		}
		return try("demand.{k}."+parts[2], "{k}", strings.ToLower(kindLabels[k].fr))
	}
	return "", false
}

// unitLabels translates the parameters' units; a unit of "" shows none.
var unitLabels = map[string]bi{
	"preset": {"", ""}, "name": {"", ""}, "technology": {"", ""}, "kinds": {"", ""}, "true/false": {"", ""},
	"Mbit/s": same("Mbit/s"), "ms": same("ms"), "m": same("m"), "×": same("×"), "€": same("€"), "€/m": same("€/m"),
	"share": {"%", "%"}, "share/year": {"%/an", "%/year"}, "share of CAPEX/year": {"% du CAPEX/an", "% of CAPEX/year"},
	"€/premise": {"€/local", "€/premise"}, "€/premise passed": {"€/local raccordable", "€/premise passed"},
	"€/year": {"€/an", "€/year"}, "years": {"ans", "years"}, "€/subscriber": {"€/abonné", "€/subscriber"},
	"€/unit": {"€/prise", "€/unit"}, "€/port": same("€/port"), "units/port": {"prises/port", "units/port"},
	"€/month": {"€/mois", "€/month"}, "€/node": {"€/NRO", "€/node"}, "units/node": {"prises/NRO", "units/node"},
	"€/link": {"€/lien", "€/link"}, "€/site": same("€/site"), "€/site/year": {"€/site/an", "€/site/year"},
	"sites": same("sites"), "premises": {"locaux", "premises"}, "m/premise": {"m/local", "m/premise"},
	"km²/settlement": {"km²/lieu habité", "km²/settlement"},
}

// unitText translates a unit; an unknown unit is shown as given.
func unitText(u string) bi {
	if b, ok := unitLabels[u]; ok {
		return b
	}
	return same(u)
}

// paramValue formats a parameter value (as coverage formats it for --set)
// in language l with its unit: numbers localised, shares as percentages,
// booleans, technologies, policies and kinds as words.
func paramValue(p coverage.Param, v string, sc *coverage.Scenario, l lang) string {
	u := unitText(p.Unit).in(l)
	switch p.Unit {
	case "true/false":
		if v == "true" {
			return label("yes").in(l)
		}
		return label("no").in(l)
	case "technology":
		if t, ok := coverage.ParseTech(v); ok {
			return techLabels[t].in(l)
		}
	case "kinds":
		if v == "" {
			return label("none.kinds").in(l)
		}
		var out []string
		for _, s := range strings.Split(v, ",") {
			if k, ok := coverage.ParseKind(strings.TrimSpace(s)); ok {
				out = append(out, strings.ToLower(kindLabels[k].in(l)))
			} else {
				out = append(out, s)
			}
		}
		return strings.Join(out, ", ")
	case "name", "preset":
		switch p.Key {
		case "policy":
			return policyText(coverage.Policy(v)).in(l)
		case "policy.rank_by":
			if v == "" {
				return fmt.Sprintf(label("rank.default").in(l), rankText(sc.Rank()).in(l))
			}
			return rankText(coverage.RankBy(v)).in(l)
		case "target":
			return v + " — " + targetName(coverage.Target{Name: v}).in(l)
		}
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return v
	}
	if strings.HasPrefix(p.Unit, "share") {
		f *= 100
	}
	s := fmtNum(f, decimalsOf(f), l)
	if u == "" {
		return s
	}
	return s + narrowNBSP + u
}
