package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes, documented in docs/cli.md.
const (
	exitOK      = 0
	exitError   = 1 // bad input data, or an input or output that cannot be read or written
	exitUsage   = 2 // bad flags or arguments, or a bad scenario
	exitPartial = 3 // reserved: some areas of a batch failed, the others were written
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// run is the whole program: it parses args, runs a subcommand and maps the
// outcome to an exit code. Ctrl-C (SIGINT) and SIGTERM cancel the run's
// context: the run stops, removes its temporary files and exits 130 or 143;
// a second signal ends the process at once (the next run into the same
// --out removes what it left). run never panics on user input and never
// calls os.Exit, so tests drive runContext on buffers.
func run(args []string, stdout, stderr io.Writer) int {
	// Two contexts, so that the exit code can tell which signal came.
	intCtx, stopInt := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopInt()
	ctx, stopTerm := signal.NotifyContext(intCtx, syscall.SIGTERM)
	defer stopTerm()
	go func() {
		<-ctx.Done()
		stopInt() // from now on, a signal has its default effect
		stopTerm()
	}()
	code := runContext(ctx, args, stdout, stderr)
	if code == exitInterrupted {
		if c := context.Cause(intCtx); c != nil && c != context.Canceled {
			return exitSIGINT
		}
		return exitSIGTERM
	}
	return code
}

// exitInterrupted is what runContext returns when its context was
// cancelled; run turns it into 130 or 143 after the signal.
const exitInterrupted = -1

// runContext runs the program under ctx (see run).
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "covplan: interrupted: the files of this run were removed, --out holds the previous outputs")
		return exitInterrupted
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
