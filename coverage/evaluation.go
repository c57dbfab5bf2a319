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

// Evaluation is every option of every zone, priced once by Evaluate.
// It holds no choice: Decide chooses among the options under a scenario's
// policy, budget and ranking, as many times as needed, without evaluating
// again. An Evaluation is read-only once made and safe for concurrent
// Decide calls.
type Evaluation struct {
	// Zones[z] is Input.Zones[z]'s evaluation.
	Zones []ZoneEval
	// Scenario is the scenario the options were priced under. Decide
	// accepts any scenario whose evaluation keys are the same
	// (Scenario.SameEvaluation).
	Scenario Scenario
	// ZoneLevel is true when figures come from zone counts (no premises).
	ZoneLevel bool
	// Mixed is true when every zone's mixed option was priced
	// (EvaluateOptions.Mixed).
	Mixed bool
	// Premises counts every premise of the input (premise level) and
	// PremisesByKind splits them by kind; Unzoned counts those in no zone.
	Premises       int
	PremisesByKind [NumKinds]int
	Unzoned        int

	// NewNodes and WirelessSites are where the area's new optical nodes and
	// new wireless sites stand (premise level; metres in the plan's frame).
	NewNodes      []Site
	WirelessSites []Site

	premises []Premise // the input's premises (kinds and units), nil at zone level
	// Premise level, in zone order: the premises of zone z are
	// order[start[z]:start[z+1]] (input indices, in input order within the
	// zone), and served and mixed are aligned with order.
	start  []int32
	order  []int32
	served []uint8 // bit t set when option t of its zone serves the premise
	mixed  []Tech  // the technology serving it under its zone's mixed option
}

// ZoneEval is one zone's evaluation.
type ZoneEval struct {
	Zone      int // index into Input.Zones
	Premises  int
	Units     int
	ByKind    [NumKinds]int // the zone's premises by kind
	ZoneLevel bool          // figures come from zone counts, not premises

	// Options[t] is technology t alone (Options[TechNone] is unused).
	Options [NumTechs]Option
	// Mixed is fibre for the dense part of the zone and its cheapest
	// feasible alternative for the rest (EvaluateOptions.Mixed; MODEL.md
	// §5 hybrid). Its Tech is the technology serving most premises; it is
	// the zero Option, not Feasible, when the zone has no such split.
	Mixed Option
	// MixedMix counts the zone's premises by the technology serving them
	// under Mixed.
	MixedMix [NumTechs]int

	// satCells[satIndex(t)] are the zone's subscribers of satellite t per
	// capacity cell or beam.
	satCells [2][]cellLoad
	// nodes and sites are the new optical nodes and wireless sites the
	// zone's fibre and wireless options use (indices into Evaluation.Sites).
	nodes, sites []int32
	// byMask counts the zone's premises by the set of options serving them
	// (served bits >> 1) and kind; mixedByKind by the technology serving them
	// under Mixed and kind. Decide counts the premises a choice reaches from
	// them without visiting premises.
	byMask      [1 << (NumTechs - 1)][NumKinds]int32
	mixedByKind [NumTechs][NumKinds]int32
}

// EvaluateOptions tunes what Evaluate prices.
type EvaluateOptions struct {
	// Mixed also prices each zone's mixed option (fibre for the dense part,
	// the best alternative for the rest), which the hybrid policy chooses
	// among. It costs a pass over each zone's fibre tree, and premise by
	// premise it needs the existing access points shared before the zones
	// are evaluated (no overlap of the two).
	Mixed bool
}

// EvaluateOptionsFor returns what Evaluate must price for decisions under
// every scenario of scs: mixed options when one uses the hybrid policy.
func EvaluateOptionsFor(scs ...Scenario) EvaluateOptions {
	var o EvaluateOptions
	for i := range scs {
		o.Mixed = o.Mixed || scs[i].Policy == PolicyHybrid
	}
	return o
}

// Evaluate prices fibre, Wi-Fi / fixed wireless, LEO and GEO satellite (and,
// with opt.Mixed, the mixed option) in every zone of in under the model
// parameters of sc. m are the premises' measures (Index.Measure), aligned
// with in.Premises; with no premises (zone-level mode) m is ignored and the
// figures come from zone counts and densities. ix may be nil, in which
// case one is built. The result is deterministic: it does not depend on
// sc.Workers or on scheduling.
func Evaluate(in *Input, ix *Index, m []PremiseMeasure, sc Scenario, opt EvaluateOptions) (*Evaluation, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if !in.ZoneLevel() && len(m) != len(in.Premises) {
		return nil, fmt.Errorf("%w: %d measures for %d premises", ErrMeasures, len(m), len(in.Premises))
	}
	if ix == nil {
		ix = NewIndex(in)
	}
	ev := newEvaluation(in, m, sc, opt)
	md := newModel(ix, &ev.Scenario)
	md.mixed = opt.Mixed
	e := &evaluator{ev: ev, md: md, in: in, m: m, workers: workersFor(sc.Workers, len(in.Zones))}
	switch {
	case ev.ZoneLevel:
		md.zl = md.zoneLevelNetwork()
		e.zfs = e.zoneLevelFigures()
		e.evaluateZones(stageAll)
	case opt.Mixed:
		md.apOf = md.shareExistingAPs(m)
		e.fa = e.fibreArea()
		e.wa = e.wifiArea()
		e.evaluateZones(stageAll)
		e.sites()
	default:
		// Sharing existing access points is sequential, and the wireless
		// area pass starts with a sequential sort: overlap both with the
		// fibre area pass and the fibre and satellite evaluation, which
		// need neither.
		done := make(chan struct{})
		go func() { md.apOf = md.shareExistingAPs(m); e.wa = e.wifiArea(); close(done) }()
		e.fa = e.fibreArea()
		e.evaluateZones(stageNoWifi)
		<-done
		e.evaluateZones(stageWifi)
		e.sites()
	}
	return ev, nil
}

func newEvaluation(in *Input, m []PremiseMeasure, sc Scenario, opt EvaluateOptions) *Evaluation {
	nz := len(in.Zones)
	ev := &Evaluation{Zones: make([]ZoneEval, nz), Scenario: sc, ZoneLevel: in.ZoneLevel(), Mixed: opt.Mixed}
	ev.Scenario.Priority = slices.Clone(sc.Priority)
	for z := range ev.Zones {
		zv := &ev.Zones[z]
		zv.Zone, zv.ZoneLevel = z, ev.ZoneLevel
		for _, t := range Techs {
			zv.Options[t].Tech = t
		}
	}
	if ev.ZoneLevel {
		return ev
	}
	ev.premises = in.Premises
	ev.Premises = len(in.Premises)
	for i := range in.Premises {
		ev.PremisesByKind[kindOf(&in.Premises[i])]++
	}
	// Group premises by zone (counting sort keeps premise order inside a zone).
	ev.start = make([]int32, nz+2)
	for i := range m {
		z := m[i].Zone
		if z < 0 || int(z) >= nz {
			ev.Unzoned++
			continue
		}
		ev.start[z+2]++
	}
	for z := 2; z < len(ev.start); z++ {
		ev.start[z] += ev.start[z-1]
	}
	ev.order = make([]int32, int(ev.start[nz+1]))
	for i := range m {
		z := m[i].Zone
		if z < 0 || int(z) >= nz {
			continue
		}
		ev.order[ev.start[z+1]] = int32(i)
		ev.start[z+1]++
	}
	ev.start = ev.start[:nz+1]
	ev.served = make([]uint8, len(ev.order))
	if opt.Mixed {
		ev.mixed = make([]Tech, len(ev.order))
	}
	return ev
}

// Site is a new optical node (NRO) or a new wireless site, placed once for
// the area: Pt in metres in the plan's frame; Count the nodes at a node
// site (a cluster with more units than a node serves gets several).
type Site struct {
	Pt    orb.Point
	Count int
}

// addSite adds s to ss once (ss is short).
func addSite(ss []int32, s int32) []int32 {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

// zoneSpan returns the range of zone z's premises in order, served and mixed.
func (ev *Evaluation) zoneSpan(z int) (lo, hi int32) { return ev.start[z], ev.start[z+1] }

// evaluator runs the models over the zones of one Evaluate call.
type evaluator struct {
	ev      *Evaluation
	md      *model
	in      *Input
	m       []PremiseMeasure
	workers int
	fa      *fibreArea    // premise level: the area's new nodes and feeders
	wa      *wifiArea     // premise level: the area's new wireless sites
	zfs     []zoneFigures // zone level: every zone's figures and feeder
}

// sites records where the area's new nodes and wireless sites stand.
func (e *evaluator) sites() {
	for _, c := range e.fa.clusters {
		e.ev.NewNodes = append(e.ev.NewNodes, Site{Pt: c.seed, Count: c.nodes})
	}
	for _, s := range e.wa.sites {
		e.ev.WirelessSites = append(e.ev.WirelessSites, Site{Pt: s.at, Count: 1})
	}
}

// Evaluation stages: everything at once, or all but Wi-Fi (which needs the
// existing access points shared first) then Wi-Fi and the feasibility checks.
const (
	stageAll = iota
	stageNoWifi
	stageWifi
)

// zoneWorker is one goroutine's scratch space, reused zone after zone.
type zoneWorker struct {
	zone  zoneIn
	fibre fibreBuf
	mixed mixedBuf
}

// evaluateZones evaluates every option of every zone, in parallel. Zones
// are handed out in chunks, largest first (by premises) so that one big
// zone does not finish alone at the end; each zone writes only its own
// ZoneEval and premises, so the result does not depend on scheduling.
func (e *evaluator) evaluateZones(stage int) {
	nz := len(e.in.Zones)
	order := make([]int32, nz)
	for z := range order {
		order[z] = int32(z)
	}
	if !e.ev.ZoneLevel {
		st := e.ev.start
		slices.SortStableFunc(order, func(a, b int32) int {
			return int(st[b+1]-st[b]) - int(st[a+1]-st[a])
		})
	}
	var next atomic.Int64
	const chunk = 4
	var wg sync.WaitGroup
	for range e.workers {
		wg.Go(func() {
			var w zoneWorker
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= nz {
					return
				}
				for _, z := range order[lo:min(lo+chunk, nz)] {
					e.evaluateZone(&w, int(z), stage)
				}
			}
		})
	}
	wg.Wait()
}

func (e *evaluator) evaluateZone(w *zoneWorker, z int, stage int) {
	zv := &e.ev.Zones[z]
	md := e.md
	if e.ev.ZoneLevel {
		md.evaluateZoneLevel(zv, &e.zfs[z])
		return
	}
	zi := &w.zone
	lo, hi := e.ev.zoneSpan(z)
	zi.zone, zi.pos = z, lo
	if stage != stageWifi {
		zi.nodes = zi.nodes[:0]
	}
	zi.sites = zi.sites[:0]
	// Before the Wi-Fi stage the existing access points are still being
	// shared (Evaluate overlaps it with this stage): md.apOf must not be
	// read then, and nothing of this stage needs it.
	var apOf []int32
	if stage != stageNoWifi {
		apOf = md.apOf
	}
	zi.gather(e.in, e.m, apOf, e.ev.order[lo:hi], e.ev.served[lo:hi])
	if stage != stageWifi {
		zv.Premises = len(zi.idx)
		for q := range zi.prem {
			p := &zi.prem[q]
			zv.Units += int(max(p.Units, 1))
			zv.ByKind[kindOf(p)]++
		}
		if len(zi.idx) == 0 {
			return
		}
		zv.Options[TechFibre] = md.fibrePremises(zi, e.fa, &w.fibre)
		zv.nodes = slices.Clone(zi.nodes)
		zv.Options[TechLEO], zv.satCells[0] = md.satPremises(zi, TechLEO)
		zv.Options[TechGEO], zv.satCells[1] = md.satPremises(zi, TechGEO)
	}
	if stage != stageNoWifi && len(zi.idx) > 0 {
		zv.Options[TechWifi] = md.wifiPremises(zi, e.wa)
		zv.sites = slices.Clone(zi.sites)
		md.judgeOptions(zv.Premises, &zv.Options)
		if e.ev.Mixed {
			w.mixed.tech = e.ev.mixed[lo:hi]
			zv.Mixed, zv.MixedMix = md.mixedPremises(zi, &zv.Options, &w.fibre, e.fa.feederM[z], &w.mixed)
			for q, t := range w.mixed.tech {
				zv.mixedByKind[t][kindOf(&zi.prem[q])]++
			}
		}
		for q, sv := range zi.served {
			zv.byMask[sv>>1][kindOf(&zi.prem[q])]++
		}
	}
}

// zoneIn is one zone's premises as the models read them: copied once in
// zone order (gather), so that the models read them sequentially instead
// of at random in the whole input, several times over.
type zoneIn struct {
	zone int              // the zone's index
	pos  int32            // position of its first premise in Evaluation.order
	idx  []int32          // input index of each premise
	prem []Premise        // the premises
	ms   []PremiseMeasure // their measures
	apOf []int32          // the existing access point each one shares, -1 (nil before sharing)
	// served has bit t set when option t serves the premise; the models
	// set it. It is the zone's part of Evaluation.served.
	served []uint8
	// nodes and sites are the new optical nodes (area clusters) and new
	// wireless sites the zone's fibre and wireless options use.
	nodes, sites []int32
}

// gather copies the premises idx of the input, their measures and access
// points (apOf may be nil); served is the zone's part of the served bits.
func (zi *zoneIn) gather(in *Input, m []PremiseMeasure, apOf []int32, idx []int32, served []uint8) {
	n := len(idx)
	zi.idx, zi.served = idx, served
	zi.prem = slices.Grow(zi.prem[:0], n)[:n]
	zi.ms = slices.Grow(zi.ms[:0], n)[:n]
	zi.apOf = zi.apOf[:0]
	if apOf != nil {
		zi.apOf = slices.Grow(zi.apOf, n)[:n]
	}
	for q, i := range idx {
		zi.prem[q] = in.Premises[i]
		zi.ms[q] = m[i]
		if apOf != nil {
			zi.apOf[q] = apOf[i]
		}
	}
}

// serve records that option t serves the zone's premise q.
func (zi *zoneIn) serve(q int, t Tech) { zi.served[q] |= 1 << t }

// workersFor is the goroutines to use for n items: w, or one per CPU when
// w <= 0, at least 1 and at most n.
func workersFor(w, n int) int {
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, n))
}

// forEach calls fn(z) for every z in [0, n) on workers goroutines, claimed
// in chunks through an atomic counter. fn must write only state of its z.
func forEach(n, workers int, fn func(z int)) {
	const chunk = 16
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workersFor(workers, n) {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for z := lo; z < min(lo+chunk, n); z++ {
					fn(z)
				}
			}
		})
	}
	wg.Wait()
}
