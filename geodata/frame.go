package geodata

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/paulmach/orb"
)

// Ellipsoid constants. GRS80 and WGS84 differ only in the inverse flattening
// (by 1e-10): each frame uses the ellipsoid its EPSG definition names.
const (
	semiMajorM     = 6378137.0
	invFlatGRS80   = 298.257222101
	invFlatWGS84   = 298.257223563
	deg2rad        = math.Pi / 180
	rad2deg        = 180 / math.Pi
	utmScale       = 0.9996
	utmFalseEastM  = 500000.0
	utmFalseNorthS = 10000000.0
)

// Frame is a planar metric frame: a map projection from WGS84 lon/lat
// (degrees) to x/y (metres). covplan projects every input once into one
// Frame, computes in metres, and maps results back with Inverse.
//
// Frames are immutable values, safe for concurrent use. The zero Frame is
// the identity ("lon/lat degrees"): Forward and Inverse return their
// argument unchanged, and IsZero reports true. Use Lambert93, UTM or
// ChooseFrame to get a metric one.
type Frame struct {
	name string
	epsg int
	lcc  *lccParams
	tm   *tmParams
}

// Name is the frame's EPSG code and name, e.g. "EPSG:2154 Lambert-93" or
// "EPSG:32631 UTM 31N"; "lon/lat (no projection)" for the zero Frame.
func (f Frame) Name() string {
	if f.name == "" {
		return "lon/lat (no projection)"
	}
	return f.name
}

// EPSG is the frame's EPSG code, 0 for the zero Frame.
func (f Frame) EPSG() int { return f.epsg }

// IsZero reports whether f is the zero (identity) Frame.
func (f Frame) IsZero() bool { return f.lcc == nil && f.tm == nil }

// String is Name.
func (f Frame) String() string { return f.Name() }

// Forward projects a WGS84 lon/lat point (degrees) to x/y metres.
// Latitudes must be inside (-90, 90); results at the poles are not finite.
func (f Frame) Forward(ll orb.Point) orb.Point {
	switch {
	case f.lcc != nil:
		return f.lcc.forward(ll)
	case f.tm != nil:
		return f.tm.forward(ll)
	}
	return ll
}

// Inverse maps x/y metres back to WGS84 lon/lat degrees.
func (f Frame) Inverse(xy orb.Point) orb.Point {
	switch {
	case f.lcc != nil:
		return f.lcc.inverse(xy)
	case f.tm != nil:
		return f.tm.inverse(xy)
	}
	return xy
}

// ForwardAll projects pts in place.
func (f Frame) ForwardAll(pts []orb.Point) {
	for i := range pts {
		pts[i] = f.Forward(pts[i])
	}
}

// Lambert-93 bounds of metropolitan France plus a margin, in degrees: a
// bbox inside them gets Lambert-93, anything else UTM.
const (
	franceMinLon, franceMaxLon = -6.0, 10.0
	franceMinLat, franceMaxLat = 41.0, 52.0
)

// ChooseFrame picks the metric frame for data whose lon/lat bounding box is
// bbox: Lambert-93 (EPSG:2154) when bbox lies within metropolitan France
// plus a margin (lon -6..10, lat 41..52, boundaries included), otherwise the
// WGS84 UTM zone of the bbox centre (north or south by the centre's
// latitude). A bbox with NaN coordinates gets UTM 31N.
func ChooseFrame(bbox orb.Bound) Frame {
	if bbox.Min[0] >= franceMinLon && bbox.Max[0] <= franceMaxLon &&
		bbox.Min[1] >= franceMinLat && bbox.Max[1] <= franceMaxLat {
		return Lambert93()
	}
	c := bbox.Center()
	lon, lat := c[0], c[1]
	if math.IsNaN(lon) || math.IsNaN(lat) {
		lon, lat = 3, 0
	}
	return UTM(UTMZone(lon), lat < 0)
}

// UTMZone is the standard 6° UTM zone number (1..60) of a longitude in
// degrees. The Norway and Svalbard exceptions are not applied: a planning
// frame only needs to be close to the data, not the official grid.
func UTMZone(lon float64) int {
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	z := int(lon/6) + 1
	if z > 60 {
		z = 60
	}
	return z
}

// ---------------------------------------------------------------------------
// Lambert Conformal Conic, two standard parallels (EPSG method 9802), from
// IOGP Guidance Note 7-2 §3.2.1.1. The isometric latitude form is used:
// t = exp(-ψ), so t^n = exp(-nψ), which costs one Exp instead of a Pow.

type lccParams struct {
	e      float64 // eccentricity
	n      float64 // cone constant
	aF     float64 // a·F
	rF     float64 // radius at the latitude of origin
	lon0   float64 // radians
	x0, y0 float64
}

var lambert93 = Frame{
	name: "EPSG:2154 Lambert-93",
	epsg: 2154,
	lcc:  newLCC(invFlatGRS80, 46.5, 3, 49, 44, 700000, 6600000),
}

// Lambert93 is the French official projection EPSG:2154 (RGF93 / Lambert-93:
// LCC 2SP on GRS80, lat_0 46.5, lon_0 3, standard parallels 49 and 44,
// false easting 700 000 m, false northing 6 600 000 m). RGF93 and WGS84 are
// treated as the same datum (they differ by a few centimetres).
func Lambert93() Frame { return lambert93 }

func newLCC(invF, lat0, lon0, lat1, lat2, x0, y0 float64) *lccParams {
	f := 1 / invF
	e := math.Sqrt(2*f - f*f)
	m := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Cos(phi) / math.Sqrt(1-e*e*s*s)
	}
	p1, p2 := lat1*deg2rad, lat2*deg2rad
	psi1, psi2 := isoLat(p1, e), isoLat(p2, e)
	// ln t = -ψ, so n = (ln m1 - ln m2) / (ln t1 - ln t2) = (ln m1 - ln m2) / (ψ2 - ψ1).
	n := (math.Log(m(p1)) - math.Log(m(p2))) / (psi2 - psi1)
	F := m(p1) / (n * math.Exp(-n*psi1))
	aF := semiMajorM * F
	return &lccParams{
		e:    e,
		n:    n,
		aF:   aF,
		rF:   aF * math.Exp(-n*isoLat(lat0*deg2rad, e)),
		lon0: lon0 * deg2rad,
		x0:   x0,
		y0:   y0,
	}
}

// isoLat is the isometric latitude ψ = atanh(sin φ) − e·atanh(e·sin φ).
func isoLat(phi, e float64) float64 {
	s := math.Sin(phi)
	return 0.5*math.Log((1+s)/(1-s)) - e*atanhSmall(e*s)
}

// atanhSmall is atanh(x) for |x| ≤ 0.1 (here x = e·sin φ, |x| < 0.082) by
// its Taylor series, exact to the last bit there and much cheaper than a Log.
func atanhSmall(x float64) float64 {
	x2 := x * x
	return x * (1 + x2*(1./3+x2*(1./5+x2*(1./7+x2*(1./9+x2*(1./11+x2*(1./13+x2*(1./15+x2/17))))))))
}

func (p *lccParams) forward(ll orb.Point) orb.Point {
	r := p.aF * math.Exp(-p.n*isoLat(ll[1]*deg2rad, p.e))
	sinT, cosT := math.Sincos(p.n * (ll[0]*deg2rad - p.lon0))
	return orb.Point{p.x0 + r*sinT, p.y0 + p.rF - r*cosT}
}

func (p *lccParams) inverse(xy orb.Point) orb.Point {
	dx := xy[0] - p.x0
	dy := p.rF - (xy[1] - p.y0)
	r := math.Hypot(dx, dy)
	theta := math.Atan2(dx, dy)
	if p.n < 0 {
		r, theta = -r, math.Atan2(-dx, -dy)
	}
	psi := -math.Log(r/p.aF) / p.n
	return orb.Point{(theta/p.n + p.lon0) * rad2deg, invIsoLat(psi, p.e) * rad2deg}
}

// invIsoLat solves ψ = isoLat(φ) for φ: a first guess from the conformal
// latitude series, then Newton steps on dψ/dφ = (1−e²)/((1−e² sin²φ)·cos φ),
// which converge quadratically (two steps reach 1e-16 rad).
func invIsoLat(psi, e float64) float64 {
	chi := 2*math.Atan(math.Exp(psi)) - math.Pi/2
	e2 := e * e
	phi := chi + (e2/2+5*e2*e2/24)*math.Sin(2*chi)
	for range 4 {
		s, c := math.Sincos(phi)
		d := (isoLat(phi, e) - psi) * (1 - e2*s*s) * c / (1 - e2)
		phi -= d
		if math.Abs(d) < 1e-15 {
			break
		}
	}
	return phi
}

// ---------------------------------------------------------------------------
// Transverse Mercator by Krüger's series in n to order n⁶, in the form given
// by Karney, "Transverse Mercator with an accuracy of a few nanometers"
// (J. Geodesy 85, 2011), eqs. (7)–(11) and (35)–(36). Within a UTM zone
// (|λ−λ0| ≤ 3°) the error is a few nanometres; it stays below a millimetre
// out to about 30° from the central meridian.

type tmParams struct {
	e        float64
	k0A      float64 // k0 · rectifying radius A
	lon0     float64 // radians
	x0, y0   float64
	alpha    [7]float64 // forward coefficients α1..α6 (index 0 unused)
	beta     [7]float64 // inverse coefficients β1..β6
	oneMinE2 float64
}

// UTM is the WGS84 UTM zone (1..60) in the north or south hemisphere:
// EPSG:326zz (north) or EPSG:327zz (south). An out-of-range zone is clamped.
func UTM(zone int, south bool) Frame {
	zone = min(max(zone, 1), 60)
	lon0 := float64(zone)*6 - 183
	y0, code, hemi := 0.0, 32600+zone, "N"
	if south {
		y0, code, hemi = utmFalseNorthS, 32700+zone, "S"
	}
	return Frame{
		name: fmt.Sprintf("EPSG:%d UTM %d%s", code, zone, hemi),
		epsg: code,
		tm:   newTM(invFlatWGS84, lon0, utmScale, utmFalseEastM, y0),
	}
}

func newTM(invF, lon0, k0, x0, y0 float64) *tmParams {
	f := 1 / invF
	n := f / (2 - f)
	n2 := n * n
	n3, n4, n5, n6 := n2*n, n2*n2, n2*n2*n, n2*n2*n2
	A := semiMajorM / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	p := &tmParams{
		e:        math.Sqrt(f * (2 - f)),
		k0A:      k0 * A,
		lon0:     lon0 * deg2rad,
		x0:       x0,
		y0:       y0,
		oneMinE2: 1 - f*(2-f),
	}
	p.alpha = [7]float64{0,
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	p.beta = [7]float64{0,
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return p
}

// clenshawSin returns Σ_{j=1..6} c[j]·sin(2jζ) for complex ζ, given
// s = sin 2ζ and c2 = cos 2ζ, by Clenshaw's recurrence.
func clenshawSin(c *[7]float64, s, c2 complex128) complex128 {
	var b1, b2 complex128
	two := 2 * c2
	for j := 6; j >= 1; j-- {
		b1, b2 = complex(c[j], 0)+two*b1-b2, b1
	}
	return b1 * s
}

func (p *tmParams) forward(ll orb.Point) orb.Point {
	sinP, cosP := math.Sincos(ll[1] * deg2rad)
	sinL, cosL := math.Sincos(ll[0]*deg2rad - p.lon0)
	// Conformal latitude (Karney eqs. 7-9) multiplied through by cos φ so no
	// Tan is needed: P = τ'·cos φ = sin φ·√(1+σ²) − σ, σ = sinh(e·atanh(e sin φ)).
	a := p.e * atanhSmall(p.e*sinP)
	sig := a * (1 + a*a*(1./6+a*a/120))
	P := sinP*math.Sqrt(1+sig*sig) - sig
	c := cosL * cosP
	r := math.Sqrt(P*P + c*c)
	xip := math.Atan2(P, c)
	// η' = asinh(sin λ cos φ / r) = ln q with q = x + √(x²+1); e^{2η'} = q².
	x := sinL * cosP / r
	q := x + math.Sqrt(x*x+1)
	etap := math.Log(q)
	// sin/cos of the complex 2ζ' from sin ξ' = P/r, cos ξ' = c/r.
	sx, cx := P/r, c/r
	s2x, c2x := 2*sx*cx, cx*cx-sx*sx
	ex := q * q
	sh, ch := (ex-1/ex)/2, (ex+1/ex)/2
	z := complex(xip, etap) + clenshawSin(&p.alpha, complex(s2x*ch, c2x*sh), complex(c2x*ch, -s2x*sh))
	return orb.Point{p.x0 + p.k0A*imag(z), p.y0 + p.k0A*real(z)}
}

func (p *tmParams) inverse(xy orb.Point) orb.Point {
	z := complex((xy[1]-p.y0)/p.k0A, (xy[0]-p.x0)/p.k0A)
	zp := z - clenshawSin(&p.beta, cmplx.Sin(2*z), cmplx.Cos(2*z))
	xip, etap := real(zp), imag(zp)
	sinXi, cosXi := math.Sincos(xip)
	sinhEta := math.Sinh(etap)
	taup := sinXi / math.Hypot(sinhEta, cosXi)
	lam := math.Atan2(sinhEta, cosXi)
	// Solve τ from τ' by Newton's method (Karney eqs. 19-21).
	tau := taup
	for range 8 {
		sig := math.Sinh(p.e * atanhSmall(p.e*tau/math.Hypot(1, tau)))
		taui := tau*math.Hypot(1, sig) - sig*math.Hypot(1, tau)
		d := (taup - taui) / math.Hypot(1, taui) *
			(1 + p.oneMinE2*tau*tau) / (p.oneMinE2 * math.Hypot(1, tau))
		tau += d
		if math.Abs(d) < 1e-14*math.Max(1, math.Abs(tau)) {
			break
		}
	}
	return orb.Point{(lam + p.lon0) * rad2deg, math.Atan(tau) * rad2deg}
}
