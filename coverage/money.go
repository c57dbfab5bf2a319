package coverage

import "math"

// reinvestment is equipment bought again every Years years at CostEUR
// (today's prices): electronics, terminals, radios.
type reinvestment struct {
	CostEUR float64
	Years   int
}

// discount is the present value of 1 € spent in year t at rate r.
func discount(r float64, t int) float64 { return math.Pow(1+r, -float64(t)) }

// annuity is Σ_{t=1..h} 1/(1+r)^t, the present value of 1 € a year for h years.
func annuity(r float64, h int) float64 {
	if r == 0 {
		return float64(h)
	}
	return (1 - math.Pow(1+r, -float64(h))) / r
}

// replacementFactor is Σ 1/(1+r)^t over the replacement years t = L, 2L, …
// strictly before the horizon h: equipment bought in the last year would
// serve only after the horizon. It also returns how many replacements fall
// in the horizon.
func replacementFactor(r float64, years, h int) (pv float64, count int) {
	if years <= 0 {
		return 0, 0
	}
	for t := years; t < h; t += years {
		pv += discount(r, t)
		count++
	}
	return pv, count
}

// NPV returns CAPEX + Σ_{t=1..H} (OPEX + reinvestment_t) / (1+r)^t for the
// scenario's rate r and horizon H (MODEL.md §4), and the undiscounted
// reinvestment over the horizon.
func (s *Scenario) NPV(capexEUR, opexEURPerYear float64, reinv ...reinvestment) (npvEUR, reinvestEUR float64) {
	npvEUR = capexEUR + opexEURPerYear*annuity(s.DiscountRate, s.HorizonYears)
	for _, ri := range reinv {
		pv, n := replacementFactor(s.DiscountRate, ri.Years, s.HorizonYears)
		npvEUR += ri.CostEUR * pv
		reinvestEUR += ri.CostEUR * float64(n)
	}
	return npvEUR, reinvestEUR
}
