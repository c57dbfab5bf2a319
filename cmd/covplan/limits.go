package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/covplan/covplan/geodata"
	"github.com/urfave/cli/v2"
)

// The flags of geodata.Limits and --strict: how much one input file may
// make covplan hold, inflate or echo, and whether any finding about the
// inputs stops the run (docs/inputs.md §5 and §6). geodata's limit errors
// name these flags.

// checkFlags are the flags that say how strictly inputs are read: --strict
// and the limits. plan and measure take them all, inspect the limits.
func checkFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.BoolFlag{Name: "strict", Usage: "stop on any finding about the inputs (a repair, a skipped record, a caveat, a duplicate id, an overlap, a far feature, a premise outside every zone) instead of reporting it"},
	}, limitFlags()...)
}

// limitFlags are the flags of geodata.Limits. Unset, each is the geodata
// default its help shows.
func limitFlags() []cli.Flag {
	size := formatBytes
	return []cli.Flag{
		&cli.GenericFlag{Name: "max-record-bytes", Value: &bytesValue{max: math.MaxInt32},
			DefaultText: size(geodata.DefaultMaxRecordBytes) + "; " + size(geodata.DefaultMaxZoneRecordBytes) + " for a zones CSV",
			Usage:       "longest CSV record or header, in `BYTES` (suffixes KiB, MiB, GiB)"},
		&cli.GenericFlag{Name: "max-text-bytes", Value: &bytesValue{max: math.MaxInt32},
			DefaultText: size(geodata.DefaultMaxTextBytes),
			Usage:       "longest KML text, tag or comment (a name, a description; not coordinates), in `BYTES`"},
		&cli.GenericFlag{Name: "max-inflated-bytes", Value: &bytesValue{max: math.MaxInt64},
			DefaultText: size(geodata.DefaultMaxInflatedBytes),
			Usage:       "largest inflated member of a zip or KMZ, counted while inflating, in `BYTES`"},
		&cli.Int64Flag{Name: "max-inflate-ratio", Value: geodata.DefaultMaxInflateRatio,
			Usage: "largest inflated/compressed size `RATIO` of a zip or KMZ member past " + size(geodata.InflateRatioFloor) + " (zip bombs inflate a thousand times)"},
		&cli.GenericFlag{Name: "max-sidecar-bytes", Value: &bytesValue{max: math.MaxInt64},
			DefaultText: size(geodata.DefaultMaxSidecarBytes),
			Usage:       "largest shapefile .prj or .cpg, in `BYTES`"},
		&cli.IntFlag{Name: "max-echo-bytes", Value: geodata.DefaultMaxEchoBytes,
			Usage: "how much of one input value (a header, an id, a CRS name) an error message quotes, in `BYTES`"},
	}
}

// limitsFromCLI reads the limitFlags of c (those c's command has); unset
// flags are left zero, geodata's default.
func limitsFromCLI(c *cli.Context) (geodata.Limits, error) {
	var lim geodata.Limits
	bytesOf := func(name string) int64 {
		if v, ok := c.Generic(name).(*bytesValue); ok {
			return v.n
		}
		return 0
	}
	lim.MaxRecordBytes = int(bytesOf("max-record-bytes"))
	lim.MaxTextBytes = int(bytesOf("max-text-bytes"))
	lim.MaxInflatedBytes = bytesOf("max-inflated-bytes")
	lim.MaxSidecarBytes = bytesOf("max-sidecar-bytes")
	if c.IsSet("max-inflate-ratio") {
		if lim.MaxInflateRatio = c.Int64("max-inflate-ratio"); lim.MaxInflateRatio < 1 {
			return lim, usagef("--max-inflate-ratio: want 1 or more, got %d", lim.MaxInflateRatio)
		}
	}
	if c.IsSet("max-echo-bytes") {
		if lim.MaxEchoBytes = c.Int("max-echo-bytes"); lim.MaxEchoBytes < 1 {
			return lim, usagef("--max-echo-bytes: want 1 or more, got %d", lim.MaxEchoBytes)
		}
	}
	return lim, nil
}

// bytesValue is a size in bytes given as a whole number with an optional
// binary suffix: 1048576, 1024K, 1MiB, 2G. The zero value is unset.
type bytesValue struct {
	n   int64
	max int64 // largest size accepted
}

func (v *bytesValue) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	if n > v.max {
		return fmt.Errorf("%s is more than the largest size, %d bytes", s, v.max)
	}
	v.n = n
	return nil
}

func (v *bytesValue) String() string {
	if v == nil || v.n == 0 {
		return ""
	}
	return formatBytes(v.n)
}

// parseBytes reads a positive size: digits, then optionally "bytes" or K,
// M or G (alone, or followed by B or iB, any case), binary multiples all:
// it reads what formatBytes writes.
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	digits, suffix := t, ""
	if i >= 0 {
		digits, suffix = t[:i], strings.TrimSpace(t[i:])
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("want a positive whole number of bytes, optionally with K, M or G (KiB, MiB, GiB), got %q", s)
	}
	var shift uint
	switch strings.ToLower(suffix) {
	case "", "b", "byte", "bytes":
	case "k", "kb", "kib":
		shift = 10
	case "m", "mb", "mib":
		shift = 20
	case "g", "gb", "gib":
		shift = 30
	default:
		return 0, fmt.Errorf("unknown unit %q in %q: want K, M or G (KiB, MiB, GiB)", suffix, s)
	}
	if n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n << shift, nil
}

// formatBytes writes n as geodata's messages do: "64 MiB", "80 bytes".
func formatBytes(n int64) string {
	for _, u := range []struct {
		shift uint
		unit  string
	}{{30, " GiB"}, {20, " MiB"}, {10, " KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.unit
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
