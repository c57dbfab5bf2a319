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
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		return dashes(m[1]) + " needs a value"
	}
	if m := reInvalid.FindStringSubmatch(msg); m != nil {
		reason := m[3]
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

// suggest returns the candidate closest to the mistyped name, or "" when
// none is close: a candidate that starts with name and is the only one to,
// else the one at the smallest edit distance if that is at most a third of
// the name's length (at least 1, at most 3).
func suggest(name string, candidates []string) string {
	name = strings.ToLower(strings.TrimLeft(name, "-"))
	if name == "" {
		return ""
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(name, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	limit := min(max(len(name)/3, 1), 3)
	if bestD <= limit {
		return best
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
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// asUsage reports whether err is, or wraps, a usage error, and sets *ue.
func asUsage(err error, ue **usageError) bool { return errors.As(err, ue) }
