// Command covplan plans connectivity coverage: which technology (fibre,
// Wi-Fi / fixed wireless, LEO or GEO satellite) brings good service to every
// premise of every zone, at what cost and when.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }
