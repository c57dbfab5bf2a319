package geodata_test

import (
	"fmt"
	"strings"

	"github.com/covplan/covplan/geodata"
)

// Build projects every layer once into the metric frame the planner uses;
// without zone polygons, GridZones makes square cells over the premises.
func ExampleBuild() {
	premises, err := geodata.ReadPoints(strings.NewReader(
		"id,lon,lat,units\nA,2.4446,44.9264,3\nB,2.4460,44.9270,1\nC,2.5100,44.9500,2\n"),
		"premises.csv", geodata.PointOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	aps, err := geodata.ReadPoints(strings.NewReader("id;lon;lat;status\nW1;2,445;44,927;Opérationnel\n"),
		"aps.csv", geodata.PointOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	frame := geodata.ChooseFrame(premises.Bound())
	grid, err := geodata.GridZones(premises, frame, 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := geodata.Build(grid, premises, nil, []*geodata.PointLayer{aps}, geodata.BuildOptions{Frame: frame})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Frame.Name())
	for _, z := range ds.Input.Zones {
		fmt.Println("zone", z.ID)
	}
	for _, p := range ds.Input.Premises {
		fmt.Printf("premise %s x=%.1f y=%.1f units=%d\n", p.ID, p.Pt[0], p.Pt[1], p.Units)
	}
	ap := ds.Input.APs[0]
	fmt.Printf("ap %s range %.0f m operational %v\n", ap.ID, ap.RangeM, ap.Operational)
	// Output:
	// EPSG:2154 Lambert-93
	// zone G656_6425
	// zone G661_6427
	// premise A x=656177.7 y=6425398.6 units=3
	// premise B x=656288.6 y=6425464.5 units=1
	// premise C x=661354.1 y=6427985.6 units=2
	// ap W1 range 200 m operational true
}
