package coverage

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The exactness test against the peers (PostGIS and GeoPandas) on their S
// data: testdata/peers/S (see its README). Loading and projecting are
// geodata's job; coverage cannot import geodata, so this file has a minimal
// test-only loader and Lambert-93 forward projection.

// lambert93 projects WGS84 lon/lat (degrees) to EPSG:2154 metres with the
// Lambert conformal conic 2SP formulas on GRS80 (as PROJ's lcc):
// +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000.
func lambert93(lon, lat float64) orb.Point {
	const (
		a    = 6378137.0
		invF = 298.257222101
		d2r  = math.Pi / 180
	)
	f := 1 / invF
	e := math.Sqrt(2*f - f*f)
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-e*e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	}
	p1, p2, p0 := 49*d2r, 44*d2r, 46.5*d2r
	n := (math.Log(m(p1)) - math.Log(m(p2))) / (math.Log(t(p1)) - math.Log(t(p2)))
	F := m(p1) / (n * math.Pow(t(p1), n))
	rho0 := a * F * math.Pow(t(p0), n)
	rho := a * F * math.Pow(t(lat*d2r), n)
	th := n * (lon - 3) * d2r
	return orb.Point{700000 + rho*math.Sin(th), 6600000 + rho0 - rho*math.Cos(th)}
}

func TestLambert93(t *testing.T) {
	// Reference values from PROJ 9.1.1 (cs2cs -f %.4f EPSG:4326 EPSG:2154).
	for _, tc := range []struct {
		lon, lat, x, y float64
	}{
		{3, 46.5, 700000, 6600000},
		{2.3522219, 48.856614, 652470.6423, 6862036.8029}, // Paris
		{2.6, 45.0, 668480.3849, 6433498.8200},            // the peers' centre
		{2.441, 44.888, 655863.4553, 6421135.7451},
	} {
		p := lambert93(tc.lon, tc.lat)
		if math.Abs(p[0]-tc.x) > 0.0005 || math.Abs(p[1]-tc.y) > 0.0005 {
			t.Errorf("lambert93(%v, %v) = %.4f, %.4f, want %.4f, %.4f", tc.lon, tc.lat, p[0], p[1], tc.x, tc.y)
		}
	}
}

// readCSV reads a CSV file with a header into rows of named fields.
func readCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		row := make(map[string]string, len(r))
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loadPeers loads a peers' data directory, projected to Lambert-93.
func loadPeers(t testing.TB, dir string) *Input {
	t.Helper()
	in := &Input{}
	raw, err := os.ReadFile(filepath.Join(dir, "zones.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		pg := f.Geometry.(orb.Polygon)
		var out orb.Polygon
		for _, r := range pg {
			var rr orb.Ring
			for _, p := range r {
				rr = append(rr, lambert93(p[0], p[1]))
			}
			out = append(out, rr)
		}
		id, _ := json.Marshal(f.Properties["zone_id"])
		in.Zones = append(in.Zones, Zone{ID: string(id), Geom: out})
	}
	for _, r := range readCSV(t, filepath.Join(dir, "premises.csv")) {
		in.Premises = append(in.Premises, Premise{ID: r["id"], Pt: lambert93(num(t, r["lon"]), num(t, r["lat"])), Units: int32(num(t, r["units"]))})
	}
	for _, r := range readCSV(t, filepath.Join(dir, "fibre_nodes.csv")) {
		in.Nodes = append(in.Nodes, FibreNode{ID: r["id"], Pt: lambert93(num(t, r["lon"]), num(t, r["lat"])), Active: true})
	}
	for _, r := range readCSV(t, filepath.Join(dir, "wifi_aps.csv")) {
		in.APs = append(in.APs, AccessPoint{ID: r["id"], Pt: lambert93(num(t, r["lon"]), num(t, r["lat"])), RangeM: num(t, r["range_m"]), Operational: true})
	}
	return in
}

// TestPeersExactS checks covplan's measures against the peers' outputs on
// their S data: the same zone for every premise, the same nearest node and
// wifi_n, the fibre distance within 0.5 % (in practice within a millimetre,
// as both sides use Lambert-93), and the same zone counts.
func TestPeersExactS(t *testing.T) {
	dir := filepath.Join("testdata", "peers", "S")
	in := loadPeers(t, dir)
	m := NewIndex(in).Measure(in.Premises, 0)

	byID := make(map[string]int, len(in.Premises))
	for i, p := range in.Premises {
		byID[p.ID] = i
	}
	want := readCSV(t, filepath.Join(dir, "premise_out.csv"))
	if len(want) != len(in.Premises) {
		t.Fatalf("%d expected premises, %d loaded", len(want), len(in.Premises))
	}
	var maxAbs, maxRel float64
	bad := 0
	for _, w := range want {
		i, ok := byID[w["id"]]
		if !ok {
			t.Fatalf("premise %s missing", w["id"])
		}
		pm := m[i]
		zone := ""
		if pm.Zone >= 0 {
			zone = in.Zones[pm.Zone].ID
		}
		d := pm.NodeDistM
		wd := num(t, w["fibre_dist_m"])
		abs := math.Abs(d - wd)
		rel := abs / math.Max(wd, 1)
		maxAbs, maxRel = math.Max(maxAbs, abs), math.Max(maxRel, rel)
		if zone != w["zone_id"] || in.Nodes[pm.FibreNode].ID != w["fibre_id"] ||
			strconv.Itoa(int(pm.APs)) != w["wifi_n"] || PeerClassify(pm).String() != w["class"] || rel > 0.005 {
			bad++
			if bad <= 10 {
				t.Errorf("premise %s: got zone %s node %s %.3f m wifi_n %d %v; peers %v",
					w["id"], zone, in.Nodes[pm.FibreNode].ID, d, pm.APs, PeerClassify(pm), w)
			}
		}
	}
	t.Logf("%d premises: %d mismatches; fibre distance max error %.4f m (%.2g relative)", len(want), bad, maxAbs, maxRel)

	counts := PeerCounts(in, m)
	zoneByID := make(map[string]int, len(in.Zones))
	for i, z := range in.Zones {
		zoneByID[z.ID] = i
	}
	for _, w := range readCSV(t, filepath.Join(dir, "zone_counts.csv")) {
		c := counts[zoneByID[w["zone_id"]]]
		got := map[string]string{
			"premises": strconv.Itoa(c.Premises), "units": strconv.FormatInt(c.Units, 10),
			"wifi_covered_premises": strconv.Itoa(c.WifiPremises), "wifi_covered_units": strconv.FormatInt(c.WifiUnits, 10),
			"wifi_links":     strconv.FormatInt(c.WifiLinks, 10),
			"premises_fibre": strconv.Itoa(c.PremisesBy[PeerFibre]), "premises_wifi": strconv.Itoa(c.PremisesBy[PeerWifi]), "premises_sat": strconv.Itoa(c.PremisesBy[PeerSatellite]),
			"units_fibre": strconv.FormatInt(c.UnitsBy[PeerFibre], 10), "units_wifi": strconv.FormatInt(c.UnitsBy[PeerWifi], 10), "units_sat": strconv.FormatInt(c.UnitsBy[PeerSatellite], 10),
			"decision": c.Decision,
		}
		for k, v := range got {
			if w[k] != v {
				t.Errorf("zone %s %s: got %s, peers %s", w["zone_id"], k, v, w[k])
			}
		}
		if w["fibre_dist_mean_m"] == "" {
			if c.NodeDistN != 0 {
				t.Errorf("zone %s: mean %.3f, peers empty", w["zone_id"], c.NodeDistMeanM)
			}
			continue
		}
		for k, v := range map[string]float64{"fibre_dist_mean_m": c.NodeDistMeanM, "fibre_dist_max_m": c.NodeDistMaxM} {
			if wv := num(t, w[k]); math.Abs(v-wv) > 0.01 {
				t.Errorf("zone %s %s: got %.3f, peers %.3f", w["zone_id"], k, v, wv)
			}
		}
	}
}

// BenchmarkPeersData measures index build and Measure on a peers' data set
// (for instance L: `/tmp/peergen -scale L -out /tmp/peerdata/L`), named by
// COVPLAN_PEERS_DATA; skipped without it.
func BenchmarkPeersData(b *testing.B) {
	dir := os.Getenv("COVPLAN_PEERS_DATA")
	if dir == "" {
		b.Skip("COVPLAN_PEERS_DATA not set")
	}
	in := loadPeers(b, dir)
	b.Run(fmt.Sprintf("NewIndex/zones=%d", len(in.Zones)), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewIndex(in)
		}
	})
	ix := NewIndex(in)
	for _, w := range []int{1, 0} {
		b.Run(fmt.Sprintf("Measure/n=%d/workers=%d", len(in.Premises), w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Measure(in.Premises, w)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in.Premises)), "ns/premise")
		})
	}
}
