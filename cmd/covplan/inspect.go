package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/covplan/covplan/geodata"
	"github.com/urfave/cli/v2"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "say what each file holds: kind, count, bounds, columns, CRS, problems",
		ArgsUsage: "FILE...",
		Description: "inspect reads each file as covplan would and reports what it found, without planning.\n" +
			"It exits non-zero when a file cannot be read at all.",
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("inspect: name at least one file")
			}
			var failed int
			for i, path := range c.Args().Slice() {
				if i > 0 {
					fmt.Fprintln(c.App.Writer)
				}
				if err := inspectFile(c, path); err != nil {
					fmt.Fprintf(c.App.ErrWriter, "covplan: %v\n", err)
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("inspect: %d of %d files could not be read", failed, c.NArg())
			}
			return nil
		},
	}
}

func inspectFile(c *cli.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	info, err := geodata.Inspect(f, filepath.Base(path))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "%s\n", path)
	return info.WriteText(c.App.Writer)
}

// unwrapPathError drops the path os.Open already put in its message, so
// errors read "file: no such file or directory" once.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
