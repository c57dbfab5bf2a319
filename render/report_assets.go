package render

import (
	"embed"
	"errors"
	"io/fs"
)

// assets holds render/assets/: README.md always, echarts.min.js when
// `make assets` fetched it before the build.
//
//go:embed assets
var assets embed.FS

// ErrNoEcharts is returned by WriteReport with ReportOptions.RequireAssets
// when covplan was built without render/assets/echarts.min.js.
var ErrNoEcharts = errors.New("render: echarts.min.js is not embedded in this build (run `make assets` and rebuild)")

// echartsJS is the embedded echarts library, nil when absent. Tests swap it.
var echartsJS = loadEcharts()

func loadEcharts() []byte {
	b, err := fs.ReadFile(assets, "assets/echarts.min.js")
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}

// HasEcharts reports whether this build embeds echarts, i.e. whether
// reports get their charts and map.
func HasEcharts() bool { return len(echartsJS) > 0 }
