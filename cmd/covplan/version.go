package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print covplan's version, the source revision and the Go version it was built with",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("version: unexpected argument %q", c.Args().First())
			}
			fmt.Fprintln(c.App.Writer, versionLine())
			return nil
		},
	}
}

// versionLine is what "covplan version" and "covplan --version" print:
// "covplan 0.1.0-dev (rev 1a2b3c4d5e6f, go1.26.8 linux/amd64)".
func versionLine() string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" && modified {
			rev += "+changes"
		}
	}
	if rev != "" {
		rev = "rev " + rev + ", "
	}
	return fmt.Sprintf("covplan %s (%s%s %s/%s)", version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
