//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignals sends the process a real SIGINT or SIGTERM while it writes
// premises.csv: it exits 130 or 143 and --out holds the previous set. The
// run happens in a child process (this test binary, run again), so that
// the signal reaches run's handlers and nothing else.
func TestSignals(t *testing.T) {
	if sig := os.Getenv("COVPLAN_TEST_SIGNAL"); sig != "" {
		s := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM}[sig]
		beforeOutput = func(name string) {
			if name == "premises.csv" {
				syscall.Kill(os.Getpid(), s)
				time.Sleep(time.Second) // the signal cancels the run's context meanwhile
			}
		}
		os.Exit(run(append([]string{"covplan"}, mbArgs(os.Getenv("COVPLAN_TEST_OUT"))...), os.Stdout, os.Stderr))
	}
	out := t.TempDir()
	if code, _, stderr := covplan(t, mbArgs(out)...); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := snapshot(t, out)
	for sig, want := range map[string]int{"INT": exitSIGINT, "TERM": exitSIGTERM} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSignals$")
		cmd.Env = append(os.Environ(), "COVPLAN_TEST_SIGNAL="+sig, "COVPLAN_TEST_OUT="+out)
		b, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != want {
			t.Errorf("SIG%s: %v, want exit %d\n%s", sig, err, want, b)
		}
		if !strings.Contains(string(b), "interrupted") {
			t.Errorf("SIG%s: the interrupt is not said:\n%s", sig, b)
		}
		sameFiles(t, "after SIG"+sig, before, snapshot(t, out))
	}
}

func TestInterruptCode(t *testing.T) {
	intCtx, cancelInt := context.WithCancelCause(context.Background())
	termCtx, cancelTerm := context.WithCancelCause(intCtx)
	ctx := context.WithValue(termCtx, sigintKey{}, context.Context(intCtx))
	cancelTerm(errors.New("terminated signal received"))
	if got := interruptCode(ctx); got != exitSIGTERM {
		t.Errorf("after SIGTERM: %d", got)
	}
	cancelInt(errors.New("interrupt signal received"))
	if got := interruptCode(ctx); got != exitSIGINT {
		t.Errorf("after SIGINT: %d", got)
	}
	if got := interruptCode(context.Background()); got != exitSIGINT {
		t.Errorf("a cancelled context without signals: %d", got)
	}
}
