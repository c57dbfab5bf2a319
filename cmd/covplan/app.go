package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
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
	exitPartial = 3 // some areas of a batch failed, the others were written
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
	intCtx, stopInt := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopInt()
	ctx, stopTerm := signal.NotifyContext(intCtx, syscall.SIGTERM)
	defer stopTerm()
	go func() {
		<-ctx.Done()
		stopInt() // from now on, a signal has its default effect
		stopTerm()
	}()
	return runContext(context.WithValue(ctx, sigintKey{}, intCtx), args, stdout, stderr)
}

// sigintKey keys the context that SIGINT alone cancels, so that
// interruptCode can tell SIGINT from SIGTERM.
type sigintKey struct{}

// interruptCode is the exit code of a run whose context was cancelled:
// 143 after SIGTERM, 130 after SIGINT or any other cancellation.
func interruptCode(ctx context.Context) int {
	intCtx, ok := ctx.Value(sigintKey{}).(context.Context)
	if !ok {
		return exitSIGINT
	}
	if c := context.Cause(intCtx); c == nil || c == context.Canceled {
		return exitSIGTERM // intCtx not cancelled by its signal: SIGTERM was
	}
	return exitSIGINT
}

// runContext runs the program under ctx (see run).
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	if len(args) > 2 && args[1] == "batch" {
		args = append(args[:2:2], flagsFirst(args[2:], batchCommand().Flags)...)
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	con := newConsole(stdout, stderr, logFormatOfArgs(args[min(1, len(args)):]), false)
	if ctx.Err() != nil {
		// Whatever the error says (a reader may not wrap the context's),
		// it comes of the interrupt.
		code := interruptCode(ctx)
		con.failure("interrupted: nothing of this run was written; --out holds the files it held before", code)
		return code
	}
	code, msg := exitError, err.Error()
	var ue *usageError
	var se *scenarioError
	var pe *partialError
	if errors.As(err, &pe) {
		code = pe.code()
	} else if errors.As(err, &se) {
		code, msg = exitUsage, se.Error()
	} else if errors.As(err, &ue) {
		code, msg = exitUsage, ue.line()
	} else if isCLIUsage(err) {
		code, msg = exitUsage, cliUsageLine(err, "covplan")
	}
	con.failure(msg, code)
	return code
}

func init() {
	cli.VersionPrinter = func(c *cli.Context) { fmt.Fprintln(c.App.Writer, versionLine()) }
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "covplan",
		Usage:   "plan fibre, Wi-Fi / fixed wireless and satellite coverage, zone by zone",
		Version: version,
		Description: "covplan loads zones, premises, the existing fibre network and access points,\n" +
			"measures what each premise can get, evaluates fibre, Wi-Fi/FWA, LEO and GEO per zone\n" +
			"(cost, speed, latency, feasibility) and decides per zone under a scenario.\n\n" +
			"Exit codes: 0 ok, 1 input data error, 2 usage or scenario error,\n" +
			"3 partial batch failure, 130/143 interrupted (SIGINT/SIGTERM). See docs/cli.md.",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: false,
		ExitErrHandler:  func(*cli.Context, error) {}, // runContext maps errors to exit codes
		// A repeated flag's value is taken whole: --set priority=schools,public,
		// --vary k=1,2,3 and --variant n:a=1,b=2 hold commas, and so may a
		// file name. Repeat the flag to give several values.
		DisableSliceFlagSeparator: true,
		Commands: []*cli.Command{
			planCommand(),
			compareCommand(),
			sweepCommand(),
			batchCommand(),
			inspectCommand(),
			measureCommand(),
			paramsCommand(),
			scenarioCommand(),
			versionCommand(),
			completionCommand(),
			manCommand(),
		},
		Action: rootAction,
	}
	setUsageErrors(app.Commands)
	app.OnUsageError = onUsageError
	return app
}

// rootAction runs for "covplan" alone (help) and for an unknown command.
func rootAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowAppHelp(c)
	}
	return unknownCommand(c.Args().First(), c.App.VisibleCommands(), "covplan")
}

// groupAction runs for a command that only groups subcommands (scenario):
// alone it shows its help, with an unknown subcommand it says so.
func groupAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowSubcommandHelp(c)
	}
	return unknownCommand(c.Args().First(), c.Command.VisibleCommands(), c.Command.HelpName)
}

// unknownCommand is the usage error for a command name not among cmds.
func unknownCommand(name string, cmds []*cli.Command, parent string) error {
	var names []string
	for _, cmd := range cmds {
		names = append(names, cmd.Names()...)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if sub, ok := strings.CutPrefix(parent, "covplan "); ok {
		msg = fmt.Sprintf("%s: unknown command %q", sub, name)
	}
	if s := suggest(name, names); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return &usageError{err: errors.New(msg), cmd: parent}
}

// setUsageErrors makes every command report flag errors as one-line usage
// errors, hides the "help" subcommand of commands that have none and the
// "(default: false)" of boolean flags.
func setUsageErrors(cmds []*cli.Command) {
	for _, cmd := range cmds {
		cmd.OnUsageError = onUsageError
		for _, f := range cmd.Flags {
			if b, ok := f.(*cli.BoolFlag); ok {
				b.DisableDefaultText = true // "(default: false)" says nothing
			}
		}
		if len(cmd.Subcommands) == 0 {
			cmd.HideHelpCommand = true
		}
		if cmd.Action == nil && len(cmd.Subcommands) > 0 {
			cmd.Action = groupAction
		}
		if cmd.Action != nil {
			cmd.Action = withCommandName(cmd.Action)
		}
		setUsageErrors(cmd.Subcommands)
	}
}

// withCommandName names the command in the usage errors its action returns,
// so that the error points at the right --help.
func withCommandName(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		err := action(c)
		var ue *usageError
		if errors.As(err, &ue) && ue.cmd == "" {
			ue.cmd = c.Command.HelpName
		}
		return err
	}
}

// onUsageError turns urfave/cli's flag errors (unknown flag, missing or
// invalid value) into one-line usage errors with a suggestion.
func onUsageError(c *cli.Context, err error, _ bool) error {
	cmd := "covplan"
	var flags []cli.Flag
	if c.Command != nil && c.Command.Name != "" {
		cmd = c.Command.HelpName
		flags = c.Command.Flags
	} else {
		flags = c.App.Flags
	}
	return &usageError{err: errors.New(flagErrorLine(err, flags)), cmd: cmd}
}
