package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"
)

// reportMetaFlags are the flags of what the report says about its run:
// the sources it credits, its date and the calendar year of the rollout.
func reportMetaFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "source", Usage: "a data source and licence the report credits, one `LINE` (repeatable); \"FILE: text\" or \"ROLE: text\" goes with that input, e.g. --source \"communes.geojson: IGN Admin Express 2018, Licence Ouverte\""},
		&cli.StringFlag{Name: "date", Usage: "the run's date on the report's cover, `YYYY-MM-DD` (default: SOURCE_DATE_EPOCH when set, else today)"},
		&cli.IntFlag{Name: "start-year", Usage: "calendar `YEAR` of rollout year 1", DefaultText: "the year of --date"},
	}
}

// reportMetaFromCLI reads the reportMetaFlags into ro. The date is the
// only clock reading of a run: --date, else SOURCE_DATE_EPOCH (the
// reproducible-builds convention: a report written twice from the same
// inputs is then the same file), else today.
func reportMetaFromCLI(c *cli.Context, ro *ReportOptions) error {
	ro.Sources = c.StringSlice("source")
	date, err := runDate(c.String("date"), os.Getenv("SOURCE_DATE_EPOCH"), time.Now())
	if err != nil {
		return err
	}
	ro.Date = date.Format(time.DateOnly)
	ro.StartYear = date.Year()
	if c.IsSet("start-year") {
		y := c.Int("start-year")
		if y < 1900 || y > 2200 {
			return usagef("--start-year: want a calendar year from 1900 to 2200, got %d", y)
		}
		ro.StartYear = y
	}
	return nil
}

// runDate is the run's date: flag (YYYY-MM-DD) when given, else epoch
// (seconds since 1970, UTC) when set, else now.
func runDate(flag, epoch string, now time.Time) (time.Time, error) {
	switch {
	case flag != "":
		d, err := time.Parse(time.DateOnly, flag)
		if err != nil {
			return time.Time{}, usagef("--date %q: want YYYY-MM-DD", flag)
		}
		return d, nil
	case epoch != "":
		s, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", epoch)
		}
		return time.Unix(s, 0).UTC(), nil
	}
	return now, nil
}
