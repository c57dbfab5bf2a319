// Command covplan-bench is covplan's end-to-end benchmark: it generates
// synthetic data sets (or the peers' own), times `covplan plan --no-report`
// on them, and, when the peer baselines (PostGIS, GeoPandas) and their
// dependencies are installed, runs them on the same files in the same run and
// prints the ratios. See docs/performance.md.
//
//	go run ./cmd/covplan-bench -scales S,M,L -reps 3
//	go run ./cmd/covplan-bench -gen peers -scales L -peers ../shared/peers
//	go run ./cmd/covplan-bench -gen-only -scales XL -data /tmp/covplan-bench
package main

import (
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
