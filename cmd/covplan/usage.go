package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// usageError marks errors in how the command was called (exit 2). Its
// message is one line; runContext adds a pointer to the command's --help.
type usageError struct {
	err error
	cmd string // the command's help name, e.g. "covplan plan"; "" until known
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// line is the message printed on stderr: the error, then where to read more.
func (e *usageError) line() string {
	cmd := e.cmd
	if cmd == "" {
		cmd = "covplan"
	}
	return fmt.Sprintf("%v (run '%s --help' for usage)", e.err, cmd)
}

func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// isCLIUsage recognises the usage errors urfave/cli returns as plain errors
// outside of flag parsing (which onUsageError handles).
func isCLIUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"Required flag", "flag provided but not defined", "invalid value", "flag needs an argument", "No help topic"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// cliUsageLine formats such an error as onUsageError would.
func cliUsageLine(err error, cmd string) string {
	return (&usageError{err: errors.New(flagErrorLine(err, nil)), cmd: cmd}).line()
}

var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	reNoHelp    = regexp.MustCompile(`^No help topic for '(.*)'$`)
	reInvalid   = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]+): (.*)$`)
)

// flagErrorLine rewrites an error of Go's flag package (as urfave/cli
// passes them on) in covplan's words, with a suggestion for an unknown flag
// taken from flags.
func flagErrorLine(err error, flags []cli.Flag) string {
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		name := m[1]
		out := "unknown flag " + dashes(name)
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		if s := suggest(name, names); s != "" {
			out += "; did you mean " + dashes(s) + "?"
		}
		return out
	}
	if m := reNoHelp.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown command %q", m[1])
	}
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		return dashes(m[1]) + " needs a value"
	}
	if m := reInvalid.FindStringSubmatch(msg); m != nil {
		reason := m[3]
		if strings.HasPrefix(reason, "given twice") { // onceValue
			return dashes(m[2]) + " " + reason
		}
		switch {
		case strings.Contains(reason, "parse error"), strings.Contains(reason, "invalid syntax"):
			reason = "not a number"
		case strings.Contains(reason, "value out of range"):
			reason = "out of range"
		}
		return fmt.Sprintf("%s %s: %s", dashes(m[2]), m[1], reason)
	}
	return msg
}

// dashes writes a flag name as the help shows it: -q, --zones.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// suggest returns the candidate the mistyped name most likely meant, or ""
// when none is close: the only candidate that starts with name (of two
// letters or more), else the one at the smallest edit distance if that is
// at most a third of the name's length (at least 1, at most 3).
func suggest(name string, candidates []string) string {
	name = strings.ToLower(strings.TrimLeft(name, "-"))
	if name == "" {
		return ""
	}
	var prefixed []string
	for _, c := range candidates {
		if len(name) >= 2 && strings.HasPrefix(strings.ToLower(c), name) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(name, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= min(max(len(name)/3, 1), 3) {
		return best
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b,
// in bytes: insertions, deletions, substitutions and transpositions of two
// neighbours ("fiber" is one edit from "fibre").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
