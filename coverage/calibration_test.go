package coverage

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// The calibration of the zone-level distribution length (docs/calibration.md).
//
// Every address set listed in testdata/calibration/sets.csv is measured as
// zones at several scales: the whole commune (area from its boundary) and
// the non-empty cells of square grids of calibGridsM metres aligned on
// Lambert-93 multiples (area = cell area, as covplan's --grid-m zones).
// For each zone the Euclidean minimum spanning tree over its distinct
// address locations is built with mstBuf; tree edges longer than
// calibGapM split the zone into settlements (INSEE's built-up continuity
// rule: no gap over 200 m between buildings).
//
// The test reproduces the documented fit and its residuals; a change of
// data, of mstBuf or of the estimator that moves them fails here.
const (
	calibGapM = 200.0 // settlement split, metres

	// Documented results (docs/calibration.md). The test recomputes them.
	calibCommuneExactM = 7668.0 // Mont-Bonvillers exact EMST (Prim), 501 addresses, 487 locations
	calibCommuneBuildM = 7845.0 // the same with mstBuf.build, covplan's premise-level tree
	calibSpacingM      = 15.08  // λ: tree metres per premise inside a settlement
	calibPowK          = 13.24  // power law L = k·n^α·A^β (not recommended)
	calibPowAlpha      = 1.1965
	calibPowBeta       = -0.0581
	calibLOOBound      = 1.5 // worst out-of-sample ratio, zones of ≥ 20 premises
)

var calibGridsM = []float64{250, 500, 1000}

// calibZone is one measured zone.
type calibZone struct {
	Set, Name   string
	ScaleM      float64 // 0 for the whole commune
	Premises    int     // addresses (zone-level n)
	Locations   int     // distinct points
	AreaM2      float64 // zone area A
	EMSTM       float64 // tree over the locations
	LocalM      float64 // tree edges ≤ calibGapM
	Settlements int     // 1 + edges > calibGapM
}

// calibEstimate is the recommended zone-level length: the clustered
// settlement form λ·(n−m) + c·√((m−1)·A), never above the even-spread
// c·√(n·A) (c = 0.65, the uniform constant).
func calibEstimate(spacingM float64, n, m int, areaM2 float64) float64 {
	const c = 0.65
	uniform := c * math.Sqrt(float64(n)*areaM2)
	if m < 1 {
		m = 1
	}
	if m > n {
		m = n
	}
	clustered := spacingM*float64(n-m) + c*math.Sqrt(float64(m-1)*areaM2)
	return math.Min(uniform, clustered)
}

func readCalibCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "calibration", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows = append(rows, rec)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: no data rows", name)
	}
	return rows
}

func calibInt(t *testing.T, file string, line int, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%s line %d: %v", file, line, err)
	}
	return v
}

// calibPoint is a distinct address location with its address count.
type calibPoint struct {
	pt    orb.Point
	count int
}

func loadCalibSet(t *testing.T, pointsFile, boundaryFile string) ([]calibPoint, float64) {
	t.Helper()
	var pts []calibPoint
	for i, rec := range readCalibCSV(t, pointsFile)[1:] {
		x := calibInt(t, pointsFile, i+2, rec[0])
		y := calibInt(t, pointsFile, i+2, rec[1])
		pts = append(pts, calibPoint{orb.Point{float64(x), float64(y)}, calibInt(t, pointsFile, i+2, rec[2])})
	}
	var ring orb.Ring
	for i, rec := range readCalibCSV(t, boundaryFile)[1:] {
		ring = append(ring, orb.Point{float64(calibInt(t, boundaryFile, i+2, rec[0])), float64(calibInt(t, boundaryFile, i+2, rec[1]))})
	}
	var a float64
	for i := 0; i+1 < len(ring); i++ {
		a += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
	}
	return pts, math.Abs(a) / 2
}

func measureCalibZone(b *mstBuf, z *calibZone, pts []calibPoint) {
	locs := make([]orb.Point, len(pts))
	for i, p := range pts {
		locs[i] = p.pt
		z.Premises += p.count
	}
	z.Locations = len(pts)
	z.EMSTM = b.build(locs)
	z.Settlements = 1
	for _, e := range b.Edges {
		if e.LenM > calibGapM {
			z.Settlements++
		} else {
			z.LocalM += e.LenM
		}
	}
}

func calibZones(t *testing.T) []calibZone {
	t.Helper()
	var zones []calibZone
	var b mstBuf
	for _, set := range readCalibCSV(t, "sets.csv")[1:] {
		insee, name := set[0], set[1]
		pts, area := loadCalibSet(t, set[4], set[5])
		z := calibZone{Set: insee, Name: name, AreaM2: area}
		measureCalibZone(&b, &z, pts)
		if want := calibInt(t, "sets.csv", 0, set[6]); z.Premises != want || z.Locations != calibInt(t, "sets.csv", 0, set[7]) {
			t.Fatalf("%s: %s has %d addresses at %d locations, sets.csv says %s at %s", insee, set[4], z.Premises, z.Locations, set[6], set[7])
		}
		zones = append(zones, z)
		for _, s := range calibGridsM {
			cells := map[[2]int64][]calibPoint{}
			for _, p := range pts {
				k := [2]int64{int64(math.Floor(p.pt[0] / s)), int64(math.Floor(p.pt[1] / s))}
				cells[k] = append(cells[k], p)
			}
			keys := make([][2]int64, 0, len(cells))
			for k := range cells {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				if keys[i][0] != keys[j][0] {
					return keys[i][0] < keys[j][0]
				}
				return keys[i][1] < keys[j][1]
			})
			for _, k := range keys {
				z := calibZone{Set: insee, Name: fmt.Sprintf("%s %gm (%d,%d)", name, s, k[0], k[1]), ScaleM: s, AreaM2: s * s}
				measureCalibZone(&b, &z, cells[k])
				if z.Locations >= 2 {
					zones = append(zones, z)
				}
			}
		}
	}
	return zones
}

// fitSpacing is the ratio estimator λ = Σ local tree / Σ (n − m).
func fitSpacing(zones []calibZone, skip int) float64 {
	var num, den float64
	for i, z := range zones {
		if i == skip {
			continue
		}
		num += z.LocalM
		den += float64(z.Premises - z.Settlements)
	}
	return num / den
}

// fitPowerLaw fits ln L = ln k + α ln n + β ln A by least squares.
func fitPowerLaw(zones []calibZone, skip int) (k, alpha, beta float64) {
	var m [3][4]float64
	for i, z := range zones {
		if i == skip {
			continue
		}
		x := [3]float64{1, math.Log(float64(z.Premises)), math.Log(z.AreaM2)}
		y := math.Log(z.EMSTM)
		for r := range 3 {
			for c := range 3 {
				m[r][c] += x[r] * x[c]
			}
			m[r][3] += x[r] * y
		}
	}
	for i := range 3 { // Gauss-Jordan with partial pivoting
		p := i
		for r := i + 1; r < 3; r++ {
			if math.Abs(m[r][i]) > math.Abs(m[p][i]) {
				p = r
			}
		}
		m[i], m[p] = m[p], m[i]
		for r := range 3 {
			if r != i {
				f := m[r][i] / m[i][i]
				for c := i; c < 4; c++ {
					m[r][c] -= f * m[i][c]
				}
			}
		}
	}
	return math.Exp(m[0][3] / m[0][0]), m[1][3] / m[1][1], m[2][3] / m[2][2]
}

func TestCalibrationZoneLength(t *testing.T) {
	zones := calibZones(t)
	if len(zones) < 10 {
		t.Fatalf("only %d calibration zones", len(zones))
	}
	commune := zones[0]

	// 1. The measured trees are the documented ones. mstBuf.build is
	// approximate above primMax points; on this clustered village it is
	// 2.3 % above the exact tree (Prim), more than on the spread test sets
	// of mst_test.go. The fit uses build, as premise-level plans do.
	pts, _ := loadCalibSet(t, "54084-mont-bonvillers.csv", "54084-mont-bonvillers-boundary.csv")
	locs := make([]orb.Point, len(pts))
	for i, p := range pts {
		locs[i] = p.pt
	}
	var exact mstBuf
	ex := exact.prim(locs)
	t.Logf("%s: exact tree %.0f m, mstBuf.build %.0f m (%+.2f%%)", commune.Name, ex, commune.EMSTM, 100*(commune.EMSTM/ex-1))
	if math.Abs(ex/calibCommuneExactM-1) > 0.001 {
		t.Errorf("exact tree %.1f m, documented %.0f m", ex, calibCommuneExactM)
	}
	if math.Abs(commune.EMSTM/calibCommuneBuildM-1) > 0.002 {
		t.Errorf("mstBuf tree %.1f m, documented %.0f m", commune.EMSTM, calibCommuneBuildM)
	}
	// 2. The even-spread formula overstates the village several-fold.
	if u := 0.65 * math.Sqrt(float64(commune.Premises)*commune.AreaM2); u < 4*commune.EMSTM {
		t.Errorf("even spread %.0f m is not ≥ 4× the tree %.0f m", u, commune.EMSTM)
	}

	// 3. The settlement spacing λ reproduces.
	lambda := fitSpacing(zones, -1)
	if math.Abs(lambda-calibSpacingM) > 0.1 {
		t.Errorf("fitted spacing λ = %.2f m, documented %.2f m", lambda, calibSpacingM)
	}

	// 4. The power law reproduces (documented, not recommended).
	k, alpha, beta := fitPowerLaw(zones, -1)
	if math.Abs(k/calibPowK-1) > 0.02 || math.Abs(alpha-calibPowAlpha) > 0.005 || math.Abs(beta-calibPowBeta) > 0.005 {
		t.Errorf("power law k=%.3f α=%.4f β=%.4f, documented k=%.3f α=%.4f β=%.4f", k, alpha, beta, calibPowK, calibPowAlpha, calibPowBeta)
	}
	var ssRes, ssTot, meanY float64
	for _, z := range zones {
		meanY += math.Log(z.EMSTM)
	}
	meanY /= float64(len(zones))
	for _, z := range zones {
		y := math.Log(z.EMSTM)
		p := math.Log(k) + alpha*math.Log(float64(z.Premises)) + beta*math.Log(z.AreaM2)
		ssRes += (y - p) * (y - p)
		ssTot += (y - meanY) * (y - meanY)
	}
	r2 := 1 - ssRes/ssTot

	// 5. Residuals, in sample and leave one zone out, printed as a table.
	t.Logf("%d zones; λ = %.2f m/premise; power law k=%.3f α=%.3f β=%.3f R²=%.3f", len(zones), lambda, k, alpha, beta, r2)
	t.Logf("%-34s %5s %5s %9s %9s %4s %8s %6s %6s %6s %6s", "zone", "n", "loc", "A km²", "EMST m", "m", "0.65√nA", "ratio", "est", "ratio", "loo")
	var worstLOO, worstPowLOO float64
	for i, z := range zones {
		u := 0.65 * math.Sqrt(float64(z.Premises)*z.AreaM2)
		est := calibEstimate(lambda, z.Premises, z.Settlements, z.AreaM2)
		loo := calibEstimate(fitSpacing(zones, i), z.Premises, z.Settlements, z.AreaM2) / z.EMSTM
		kk, aa, bb := fitPowerLaw(zones, i)
		ploo := kk * math.Pow(float64(z.Premises), aa) * math.Pow(z.AreaM2, bb) / z.EMSTM
		t.Logf("%-34s %5d %5d %9.4f %9.0f %4d %8.0f %6.2f %6.0f %6.2f %6.2f", z.Name, z.Premises, z.Locations, z.AreaM2/1e6, z.EMSTM, z.Settlements, u, u/z.EMSTM, est, est/z.EMSTM, loo)
		if z.Premises >= 20 {
			worstLOO = math.Max(worstLOO, math.Abs(math.Log(loo)))
			worstPowLOO = math.Max(worstPowLOO, math.Abs(math.Log(ploo)))
		}
	}
	t.Logf("worst leave-one-out |ln ratio| over zones of ≥ 20 premises: settlement form %.3f (×%.2f), power law %.3f (×%.2f)",
		worstLOO, math.Exp(worstLOO), worstPowLOO, math.Exp(worstPowLOO))

	// The issue-9 target on the one commune: zone level within ±30 % of
	// the premise-level tree, with the settlements measured and with the
	// default of one settlement.
	for _, m := range []int{commune.Settlements, 1} {
		if r := calibEstimate(lambda, commune.Premises, m, commune.AreaM2) / commune.EMSTM; r < 0.7 || r > 1.3 {
			t.Errorf("%s with %d settlement(s): estimate/tree = %.2f, outside ±30 %%", commune.Name, m, r)
		}
	}
	// Every zone of ≥ 20 premises within the documented factor out of sample.
	if worstLOO > math.Log(calibLOOBound) {
		t.Errorf("worst leave-one-out ratio ×%.2f, documented bound ×%.1f", math.Exp(worstLOO), calibLOOBound)
	}
	// Fully dispersed (one premise per settlement) is the even spread.
	if got, want := calibEstimate(lambda, 500, 500, 1e7), 0.65*math.Sqrt(500*1e7); math.Abs(got/want-1) > 0.01 {
		t.Errorf("m = n: %.0f m, want the even spread %.0f m", got, want)
	}
}
