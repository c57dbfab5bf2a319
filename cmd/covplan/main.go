// Command covplan plans connectivity coverage: which technology (fibre,
// Wi-Fi / fixed wireless, LEO or GEO satellite) brings good service to every
// premise of every zone, at what cost and when.
//
// Its reference is docs/cli.md. How the code is laid out:
//
//   - app.go, usage.go: the commands, exit codes, signals (run, runContext)
//     and one-line usage errors with suggestions.
//   - options.go: the option structs each command fills from its flags once
//     (InputOptions, RunOptions, ReportOptions, PlanOptions,
//     MeasureOptions); plan.go and measure.go: runPlan and runMeasure, the
//     pipeline without the command line, and evaluate, the one call into
//     the planning core.
//   - load.go, input.go, formats.go, zonetable.go: reading the inputs,
//     and saying once each what the readers found about them (findings);
//     limits.go: --strict and the flags of geodata.Limits; inspect.go:
//     covplan inspect.
//   - zonesgpkg.go: zones.gpkg, render's typed zone table written with
//     geodata's GeoPackage writer.
//   - outset.go, lock_*.go: the output folder, written as one set under a
//     lock, with a manifest.
//   - console.go, progress.go: messages on stderr (text or JSON through
//     log/slog), the summary, progress bars and --timings.
//   - scenario.go, scenariofile.go, scenariocmd.go: building a scenario
//     from the defaults, a strict YAML file, the flags and --set, with the
//     origin of every value; scenario init, show and diff.
//   - completion.go, version.go: shell completion, the man page, version.
//   - hugepages*.go: transparent huge pages for the heap on Linux.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }
