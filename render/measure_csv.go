package render

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/covplan/covplan/coverage"
)

// The peer-comparison outputs: the same files, columns, order and number
// formatting as the PostGIS and GeoPandas baselines of docs/performance.md,
// so that their compare.py can diff covplan's output against theirs.

// ZoneCountsHeader is the header of zone_counts.csv.
const ZoneCountsHeader = "zone_id,premises,units,fibre_dist_mean_m,fibre_dist_max_m,wifi_covered_premises,wifi_covered_units,wifi_links,premises_fibre,premises_wifi,premises_sat,units_fibre,units_wifi,units_sat,decision"

// PremiseOutHeader is the header of premise_out.csv.
const PremiseOutHeader = "id,zone_id,fibre_id,fibre_dist_m,wifi_n,class"

// WriteZoneCounts writes zone_counts.csv: one row per zone of in, counts
// aligned with in.Zones (coverage.PeerCounts), sorted by zone id (numerically
// when both ids are integers), metres with 3 decimals. A zone without a
// measured distance leaves mean and max empty.
func WriteZoneCounts(w io.Writer, in *coverage.Input, counts []coverage.PeerZoneCounts) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(ZoneCountsHeader + "\n")
	order := sortedBy(len(in.Zones), func(i int) string { return in.Zones[i].ID })
	var b []byte
	for _, z := range order {
		c := counts[z]
		b = appendField(b[:0], in.Zones[z].ID)
		b = appendInts(b, int64(c.Premises), c.Units)
		b = append(b, ',')
		if c.NodeDistN > 0 {
			b = strconv.AppendFloat(b, c.NodeDistMeanM, 'f', 3, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, c.NodeDistMaxM, 'f', 3, 64)
		} else {
			b = append(b, ',')
		}
		b = appendInts(b, int64(c.WifiPremises), c.WifiUnits, c.WifiLinks,
			int64(c.PremisesBy[coverage.PeerFibre]), int64(c.PremisesBy[coverage.PeerWifi]), int64(c.PremisesBy[coverage.PeerSatellite]),
			c.UnitsBy[coverage.PeerFibre], c.UnitsBy[coverage.PeerWifi], c.UnitsBy[coverage.PeerSatellite])
		b = append(b, ',')
		b = append(b, c.Decision...)
		b = append(b, '\n')
		bw.Write(b)
	}
	return bw.Flush()
}

// WritePremiseOut writes premise_out.csv: one row per premise of in, m
// aligned with in.Premises, sorted by premise id (numerically when both ids
// are integers). zone_id is empty for a premise in no zone; fibre_id and
// fibre_dist_m (nearest active node, metres, 3 decimals) are empty without
// nodes; class is coverage.PeerClassify.
func WritePremiseOut(w io.Writer, in *coverage.Input, m []coverage.PremiseMeasure) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(PremiseOutHeader + "\n")
	order := sortedBy(len(in.Premises), func(i int) string { return in.Premises[i].ID })
	var b []byte
	for _, i := range order {
		pm := m[i]
		b = appendField(b[:0], in.Premises[i].ID)
		b = append(b, ',')
		if pm.Zone >= 0 && int(pm.Zone) < len(in.Zones) {
			b = appendField(b, in.Zones[pm.Zone].ID)
		}
		b = append(b, ',')
		if pm.FibreNode >= 0 && int(pm.FibreNode) < len(in.Nodes) && !math.IsInf(pm.NodeDistM, 0) {
			b = appendField(b, in.Nodes[pm.FibreNode].ID)
			b = append(b, ',')
			b = strconv.AppendFloat(b, pm.NodeDistM, 'f', 3, 64)
		} else {
			b = append(b, ',')
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(pm.APs), 10)
		b = append(b, ',')
		b = append(b, coverage.PeerClassify(pm).String()...)
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func appendInts(b []byte, vs ...int64) []byte {
	for _, v := range vs {
		b = append(b, ',')
		b = strconv.AppendInt(b, v, 10)
	}
	return b
}

// appendField appends s as a CSV field, quoted only when it must be
// (RFC 4180: comma, quote, CR or LF).
func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// sortedBy returns 0..n-1 ordered by idOf: ids that are plain non-negative
// integers first, by value, then the others as strings; ties keep the input
// order.
func sortedBy(n int, idOf func(int) string) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareIDs(idOf(a), idOf(b)) })
	return order
}

// compareIDs orders ids numerically when both are digit strings (leading
// zeros ignored, then the shorter spelling first), numbers before other
// ids, and others as strings.
func compareIDs(a, b string) int {
	na, nb := isDigits(a), isDigits(b)
	switch {
	case na && nb:
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(ta) != len(tb) {
			return len(ta) - len(tb)
		}
		if c := strings.Compare(ta, tb); c != 0 {
			return c
		}
		return len(a) - len(b)
	case na:
		return -1
	case nb:
		return 1
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
