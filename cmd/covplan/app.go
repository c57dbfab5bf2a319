package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // bad input, failed run
	exitUsage = 2 // bad flags or arguments
)

// run is the whole program: it parses args, runs a subcommand and maps the
// outcome to an exit code. It never panics on user input and never calls
// os.Exit, so tests drive it on buffers.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) || isCLIUsage(err) {
		fmt.Fprintf(stderr, "covplan: %v\n", err)
		fmt.Fprintln(stderr, "Run 'covplan help' for usage.")
		return exitUsage
	}
	fmt.Fprintf(stderr, "covplan: %v\n", err)
	return exitError
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:    "covplan",
		Usage:   "plan fibre, Wi-Fi / fixed wireless and satellite coverage, zone by zone",
		Version: version,
		Description: "covplan loads zones, premises, the existing fibre network and access points,\n" +
			"measures what each premise can get, evaluates fibre, Wi-Fi/FWA, LEO and GEO per zone\n" +
			"(cost, speed, latency, feasibility) and decides per zone under a scenario.",
		Writer:                 stdout,
		ErrWriter:              stderr,
		HideHelpCommand:        false,
		UseShortOptionHandling: false,
		ExitErrHandler:         func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &usageError{err: err}
		},
		Commands: []*cli.Command{
			planCommand(),
			inspectCommand(),
			measureCommand(),
			paramsCommand(),
			scenarioCommand(),
		},
	}
}
