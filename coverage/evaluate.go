package coverage

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// ErrMeasures is returned by Evaluate when the measures do not match the premises.
var ErrMeasures = errors.New("coverage: measures do not match premises")

// Evaluate evaluates fibre, Wi-Fi / fixed wireless, LEO and GEO satellite
// in every zone of in, decides per zone under sc's policy and returns the
// plan. m are the premises' measures (Index.Measure), aligned with
// in.Premises; with no premises (zone-level mode) m is ignored and the
// figures come from zone counts and densities. ix may be nil, in which case
// one is built. The result is deterministic: it does not depend on
// sc.Workers or on scheduling.
func Evaluate(in *Input, ix *Index, m []PremiseMeasure, sc Scenario) (*Plan, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if !in.ZoneLevel() && len(m) != len(in.Premises) {
		return nil, fmt.Errorf("%w: %d measures for %d premises", ErrMeasures, len(m), len(in.Premises))
	}
	if ix == nil {
		ix = NewIndex(in)
	}
	r := newRun(in, ix, m, &sc)
	switch {
	case r.zoneLevel:
		r.evaluateZones(stageAll)
	case sc.Policy == PolicyHybrid:
		r.assignExistingAPs()
		r.evaluateZones(stageAll)
	default:
		// Sharing existing access points is sequential: overlap it with the
		// fibre and satellite evaluation, which do not need it.
		done := make(chan struct{})
		go func() { r.assignExistingAPs(); close(done) }()
		r.evaluateZones(stageNoWifi)
		<-done
		r.evaluateZones(stageWifi)
	}
	r.decide()
	r.finish()
	return r.plan, nil
}

// run is the state of one Evaluate call.
type planRun struct {
	in   *Input
	ix   *Index
	m    []PremiseMeasure
	sc   *Scenario
	prof WifiProfile
	dem  kindDemand
	plan *Plan

	zoneLevel bool
	start     []int32 // premises of zone z are order[start[z]:start[z+1]]
	order     []int32
	apOf      []int32 // existing access point serving each premise, or -1
	apMbps    []float64
	served    []uint8 // per premise: bit t set when technology t serves it
	hybTech   []Tech  // per premise technology under the hybrid policy
	extra     []zoneExtra
	excluded  [][NumTechs]bool
	zl        *zoneLevelNet
	fullCells map[cellKey]bool // LEO cells that refused a zone in an earlier pass // per zone: options removed by a later pass (SAT_CAPACITY)
}

// zoneExtra is per-zone state the decision passes need.
type zoneExtra struct {
	cells        []cellLoad // LEO subscribers of the zone per capacity cell
	hybrid       Option     // fibre + alternative inside the zone (hybrid policy)
	hybridMix    [NumTechs]int
	hybridOK     bool
	hybridChosen bool // the decision took hybrid
	fallback     Tech // what serves the premises a chosen satellite cannot (obstructed sky)
	prio         int  // best priority rank of the zone's premises
}

func newRun(in *Input, ix *Index, m []PremiseMeasure, sc *Scenario) *planRun {
	r := &planRun{in: in, ix: ix, m: m, sc: sc, prof: sc.Wifi.Active()}
	r.dem = newKindDemand(sc, r.prof)
	r.zoneLevel = in.ZoneLevel()
	nz := len(in.Zones)
	r.plan = &Plan{Zones: make([]ZonePlan, nz), ZoneLevel: r.zoneLevel, Scenario: *sc}
	r.plan.Scenario.Priority = append([]Kind(nil), sc.Priority...)
	r.extra = make([]zoneExtra, nz)
	r.excluded = make([][NumTechs]bool, nz)
	if r.zoneLevel {
		r.zl = r.zoneLevelNetwork()
		return r
	}
	// Group premises by zone (counting sort keeps premise order inside a zone).
	r.start = make([]int32, nz+2)
	for i := range m {
		z := m[i].Zone
		if z < 0 || int(z) >= nz {
			r.plan.Unzoned++
			continue
		}
		r.start[z+2]++
	}
	for z := 2; z < len(r.start); z++ {
		r.start[z] += r.start[z-1]
	}
	r.order = make([]int32, int(r.start[nz+1]))
	for i := range m {
		z := m[i].Zone
		if z < 0 || int(z) >= nz {
			continue
		}
		r.order[r.start[z+1]] = int32(i)
		r.start[z+1]++
	}
	r.start = r.start[:nz+1]
	r.served = make([]uint8, len(in.Premises))
	if sc.Policy == PolicyHybrid {
		r.hybTech = make([]Tech, len(in.Premises))
	}
	return r
}

func (r *planRun) zonePremises(z int) []int32 {
	if r.zoneLevel {
		return nil
	}
	return r.order[r.start[z]:r.start[z+1]]
}

// planWorker is one goroutine's scratch space, reused zone after zone.
type planWorker struct {
	// The zone's premises and measures, copied once per zone in zone
	// order (gather): the models then read them sequentially instead of
	// at random in the whole input, several times over.
	prem []Premise
	ms   []PremiseMeasure

	mst  mstBuf
	pts  []orb.Point
	idx  []int32    // fibre: position in the zone of each of pts
	clus []int32    // fibre: new-node cluster of each of pts, -1 when reached from the network
	node []nodeClus // fibre: the new-node clusters
	wifi wifiBuf
	hyb  hybridBuf
}

func (r *planRun) workers() int {
	w := r.sc.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, len(r.in.Zones)))
}

// evaluateZones evaluates every option of every zone, in parallel. Zones
// are handed out in chunks; each zone writes only its own ZonePlan, extras
// and premises, so the result does not depend on scheduling.
// Evaluation stages: everything at once, or all but Wi-Fi (which needs the
// existing access points shared first) then Wi-Fi and the feasibility checks.
const (
	stageAll = iota
	stageNoWifi
	stageWifi
)

func (r *planRun) evaluateZones(stage int) {
	nz := len(r.in.Zones)
	// Largest zones first (by premises, or households in zone-level mode),
	// so that one big zone does not finish alone at the end.
	order := make([]int32, nz)
	for z := range order {
		order[z] = int32(z)
	}
	if !r.zoneLevel {
		slices.SortStableFunc(order, func(a, b int32) int {
			return int(r.start[b+1]-r.start[b]) - int(r.start[a+1]-r.start[a])
		})
	}
	var next atomic.Int64
	const chunk = 4
	var wg sync.WaitGroup
	for range r.workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w planWorker
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= nz {
					return
				}
				for _, z := range order[lo:min(lo+chunk, nz)] {
					r.evaluateZone(&w, int(z), stage)
				}
			}
		}()
	}
	wg.Wait()
}

func (r *planRun) evaluateZone(w *planWorker, z int, stage int) {
	zp := &r.plan.Zones[z]
	if r.zoneLevel {
		zp.Zone = z
		zp.ZoneLevel = true
		r.evaluateZoneLevel(w, z)
		return
	}
	prem := r.zonePremises(z)
	r.gather(w, prem)
	if stage != stageWifi {
		zp.Zone = z
		zp.Premises = len(prem)
		best := len(r.sc.Priority)
		rank := r.dem.prio
		for q := range prem {
			p := &w.prem[q]
			zp.Units += int(max(p.Units, 1))
			k := kindOf(p)
			zp.ByKind[k]++
			best = min(best, rank[k])
		}
		r.extra[z].prio = best
		for _, t := range Techs {
			zp.Options[t].Tech = t
		}
		if len(prem) == 0 {
			return
		}
		zp.Options[TechFibre] = r.fibre(w, prem)
		zp.Options[TechLEO] = r.satellite(w, TechLEO, prem, &r.extra[z])
		zp.Options[TechGEO] = r.satellite(w, TechGEO, prem, nil)
	}
	if stage == stageNoWifi || len(prem) == 0 {
		return
	}
	zp.Options[TechWifi] = r.wifi(w, prem)
	for _, t := range Techs {
		r.judge(zp, &zp.Options[t])
	}
	if r.sc.Policy == PolicyHybrid {
		r.hybrid(w, z, prem)
	}
}

// gather copies the premises prem and their measures into w.prem and w.ms
// (aligned with prem).
func (r *planRun) gather(w *planWorker, prem []int32) {
	w.prem = slices.Grow(w.prem[:0], len(prem))[:len(prem)]
	w.ms = slices.Grow(w.ms[:0], len(prem))[:len(prem)]
	for q, i := range prem {
		w.prem[q] = r.in.Premises[i]
		w.ms[q] = r.m[i]
	}
}

// judge checks an option against the target and the minimum served share
// and sets Feasible.
func (r *planRun) judge(zp *ZonePlan, o *Option) {
	ok, why := r.sc.Target.Meets(o.Tech, o.DownMbps, o.UpMbps, o.LatencyMs)
	if !ok {
		o.Reasons = addReason(o.Reasons, why)
	}
	if o.PremisesServed == 0 || float64(o.PremisesServed) < r.sc.MinServedShare*float64(zp.Premises)-1e-9 {
		ok = false
	}
	o.Feasible = ok
	if o.PremisesServed > 0 {
		o.NPVPerPremiseEUR = o.NPVEUR / float64(o.PremisesServed)
	} else {
		o.NPVPerPremiseEUR = 0
	}
}

// reasonOrder is the fixed order reasons are reported in.
var reasonOrder = []Reason{FibreTooFar, FibreOverThreshold, WifiNoSite, WifiCapacity, SatLatency,
	SatCapacity, SatObstructed, BelowTarget, OverBudget}

// addReason adds r to rs once, keeping reasonOrder.
func addReason(rs []Reason, r Reason) []Reason {
	if r == "" {
		return rs
	}
	for _, x := range rs {
		if x == r {
			return rs
		}
	}
	rs = append(rs, r)
	// insertion into order
	rank := func(x Reason) int {
		for i, o := range reasonOrder {
			if o == x {
				return i
			}
		}
		return len(reasonOrder)
	}
	for i := len(rs) - 1; i > 0 && rank(rs[i]) < rank(rs[i-1]); i-- {
		rs[i], rs[i-1] = rs[i-1], rs[i]
	}
	return rs
}

// finishOption fills NPV, public cost from CAPEX, OPEX and replacements.
// subscriberEUR is the present value of what subscribers pay themselves
// (kits, CPE, subscriptions); publicSubsidyEUR what the public adds to it
// (vouchers).
func (r *planRun) finishOption(o *Option, reinv []reinvestment, subscriberEUR, publicSubsidyEUR float64) {
	o.NPVEUR, o.ReinvestEUR = r.sc.NPV(o.CapexEUR, o.OpexEURPerYear, reinv...)
	if o.Tech == TechFibre {
		o.PublicCostEUR = o.NPVEUR * r.sc.FibrePublicShare
		return
	}
	o.PublicCostEUR = max(0, o.NPVEUR-subscriberEUR) + publicSubsidyEUR
}

// finish fills per-premise technologies, reached counts and totals. The
// premises of each zone are visited in parallel (each zone writes only its
// own premises and counts); the sums run serially in zone order, so the
// totals do not depend on scheduling.
func (r *planRun) finish() {
	p := r.plan
	if !r.zoneLevel {
		p.Premises = len(r.in.Premises)
		p.PremiseTech = make([]Tech, len(r.in.Premises))
		for i := range r.in.Premises {
			p.PremisesByKind[kindOf(&r.in.Premises[i])]++
		}
		r.forZones(r.reachZone)
	}
	for z := range p.Zones {
		zp := &p.Zones[z]
		if r.zoneLevel {
			p.Premises += zp.Premises
			p.PremisesByKind[KindHousehold] += zp.Premises
			zp.Reached = [NumKinds]int{}
			if zp.Chosen != TechNone {
				zp.Reached[KindHousehold] = zp.ChosenOption().PremisesServed
			}
		}
		o := zp.ChosenOption()
		tt := &p.ByTech[zp.Chosen]
		tt.Zones++
		tt.Premises += zp.Premises
		tt.Units += zp.Units
		tt.CapexEUR += o.CapexEUR
		tt.OpexEURPerYear += o.OpexEURPerYear
		tt.NPVEUR += o.NPVEUR
		tt.PublicCostEUR += o.PublicCostEUR
		tt.Subscribers += o.Subscribers
		for k := range NumKinds {
			tt.Reached += zp.Reached[k]
			p.ReachedByKind[k] += zp.Reached[k]
		}
	}
	for t := range NumTechs {
		b := p.ByTech[t]
		p.Total.Zones += b.Zones
		p.Total.Premises += b.Premises
		p.Total.Units += b.Units
		p.Total.CapexEUR += b.CapexEUR
		p.Total.OpexEURPerYear += b.OpexEURPerYear
		p.Total.NPVEUR += b.NPVEUR
		p.Total.PublicCostEUR += b.PublicCostEUR
		p.Total.Subscribers += b.Subscribers
		p.Total.Reached += b.Reached
	}
	p.MeetTarget = p.Total.Reached
	p.Rollout = r.rolloutYears()
}

// reachZone sets the technology of every premise of zone z under the
// decision and counts the premises reached, by kind.
func (r *planRun) reachZone(z int) {
	zp := &r.plan.Zones[z]
	zp.Reached = [NumKinds]int{}
	if zp.Chosen == TechNone {
		return
	}
	hybrid := r.extra[z].hybridChosen
	fb := r.extra[z].fallback
	for _, i := range r.zonePremises(z) {
		t := TechNone
		switch {
		case hybrid:
			t = r.hybTech[i]
		case r.served[i]&(1<<zp.Chosen) != 0:
			t = zp.Chosen
		case fb != TechNone && r.served[i]&(1<<fb) != 0:
			t = fb
		}
		r.plan.PremiseTech[i] = t
		if t != TechNone {
			zp.Reached[kindOf(&r.in.Premises[i])]++
		}
	}
}

// forZones calls fn for every zone on r.workers() goroutines, zones
// claimed in chunks through an atomic counter. fn must write only state of
// its zone.
func (r *planRun) forZones(fn func(z int)) {
	nz := len(r.in.Zones)
	const chunk = 16
	var next atomic.Int64
	var wg sync.WaitGroup
	for range r.workers() {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= nz {
					return
				}
				for z := lo; z < min(lo+chunk, nz); z++ {
					fn(z)
				}
			}
		})
	}
	wg.Wait()
}
