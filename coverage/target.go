package coverage

import (
	"fmt"
	"sort"
	"strings"
)

// Target is the service level a zone must reach. DownMbps and UpMbps are
// minimum busy-hour speeds per subscriber (0 = no minimum); LatencyMs is
// the maximum round-trip latency (0 = no limit).
//
// A fibre-grade target (FibreGrade) is met by FTTH; another technology
// meets it only in a zone where fibre is infeasible or its CAPEX per
// premise exceeds AltOverEUR, and then at AltDownMbps
// (FIBRE_PREFERRED otherwise).
type Target struct {
	Name        string  `json:"name"`
	DownMbps    float64 `json:"down_mbps"`
	UpMbps      float64 `json:"up_mbps"`
	LatencyMs   float64 `json:"latency_ms"`
	FibreGrade  bool    `json:"fibre_grade"`
	AltDownMbps float64 `json:"alt_down_mbps"`
	AltOverEUR  float64 `json:"alt_over_eur"`
}

// Target presets (MODEL.md §5; docs/model.md cites each text).
var targetPresets = map[string]Target{
	// Plan France Très Haut Débit (2013): « très haut débit » is 30 Mbit/s or more.
	"fr-thd": {Name: "fr-thd", DownMbps: 30},
	// Plan France THD: « la généralisation de la fibre optique en 2025 »:
	// fibre-grade service; alternatives at THD (30 Mbit/s) only where fibre
	// is infeasible or costs over €6,000 per premise (the top of the French
	// range of cost per prise).
	"fr-2025": {Name: "fr-2025", DownMbps: 100, FibreGrade: true, AltDownMbps: 30, AltOverEUR: 6000},
	// EU Digital Decade 2030 (Decision (EU) 2022/2481): gigabit for every household.
	"eu-gigabit": {Name: "eu-gigabit", DownMbps: 1000},
	// US BEAD (IIJA §60102; NTIA 2025 notice): 100/20 Mbit/s, 100 ms or less.
	"us-bead": {Name: "us-bead", DownMbps: 100, UpMbps: 20, LatencyMs: 100},
}

// TargetNames lists the preset names in sorted order.
func TargetNames() []string {
	names := make([]string, 0, len(targetPresets))
	for n := range targetPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseTarget returns the preset target called name (case-insensitive):
// fr-thd, fr-2025, eu-gigabit or us-bead.
func ParseTarget(name string) (Target, error) {
	t, ok := targetPresets[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Target{}, fmt.Errorf("coverage: unknown target %q (want one of %s)", name, strings.Join(TargetNames(), ", "))
	}
	return t, nil
}

// Meets reports whether a service of down/up Mbps and latencyMs meets t
// (at AltDownMbps for a technology other than fibre under a fibre-grade
// target; the fibre rule itself is applied by the evaluation), and if
// not, the reason: SatLatency when only the latency fails for a satellite
// option, BelowTarget otherwise.
func (t Target) Meets(tech Tech, down, up, latencyMs float64) (bool, Reason) {
	minDown := t.DownMbps
	if t.FibreGrade && tech != TechFibre {
		minDown = t.AltDownMbps
	}
	speedOK := down >= minDown && up >= t.UpMbps
	latOK := t.LatencyMs <= 0 || latencyMs <= t.LatencyMs
	switch {
	case speedOK && latOK:
		return true, ""
	case !latOK && (tech == TechLEO || tech == TechGEO):
		return false, SatLatency
	}
	return false, BelowTarget
}

func (t Target) String() string {
	s := fmt.Sprintf("%s (≥%g Mbps down", t.Name, t.DownMbps)
	if t.UpMbps > 0 {
		s += fmt.Sprintf(", ≥%g up", t.UpMbps)
	}
	if t.LatencyMs > 0 {
		s += fmt.Sprintf(", ≤%g ms", t.LatencyMs)
	}
	if t.FibreGrade {
		s += fmt.Sprintf(", fibre-grade; others ≥%g Mbps where fibre is infeasible or over %g €/premise", t.AltDownMbps, t.AltOverEUR)
	}
	return s + ")"
}
