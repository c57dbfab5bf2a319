package coverage

import (
	"fmt"
	"sort"
	"strings"
)

// Target is the service level a zone must reach. DownMbps and UpMbps are
// minimum per-subscriber speeds (0 = no minimum); LatencyMs is the maximum
// round-trip latency (0 = no limit).
type Target struct {
	Name      string  `json:"name"`
	DownMbps  float64 `json:"down_mbps"`
	UpMbps    float64 `json:"up_mbps"`
	LatencyMs float64 `json:"latency_ms"`
}

// Target presets (MODEL.md §5).
var targetPresets = map[string]Target{
	// France's plan Très Haut Débit: "très haut débit" is 30 Mbit/s or more.
	"fr-thd": {Name: "fr-thd", DownMbps: 30},
	// France's 2025 goal of fibre-grade service for all: 100 Mbit/s or more down.
	"fr-2025": {Name: "fr-2025", DownMbps: 100},
	// EU Digital Decade 2030: gigabit for every household.
	"eu-gigabit": {Name: "eu-gigabit", DownMbps: 1000},
	// US BEAD "reliable broadband": 100/20 Mbit/s, 100 ms or less.
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

// Meets reports whether a service of down/up Mbps and latencyMs meets t,
// and if not, the reason: SatLatency when only the latency fails for a
// satellite option, BelowTarget otherwise.
func (t Target) Meets(tech Tech, down, up, latencyMs float64) (bool, Reason) {
	speedOK := down >= t.DownMbps && up >= t.UpMbps
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
	return s + ")"
}
