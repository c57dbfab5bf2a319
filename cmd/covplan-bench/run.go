package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type options struct {
	scales   []scale
	reps     int
	peerReps int
	covplan  string
	dataDir  string
	outDir   string
	seed     uint64
	gen      string // "covplan" or "peers"
	peersDir string
	noPeers  bool
	only     map[string]bool // -peer-names: the peers to run; nil means all installed
	genOnly  bool
	workers  int
	national bool // the national batch benchmark (national.go) instead of the scales
	jobs     int  // national: --jobs of covplan batch (0: its default)
}

// result is the timing of one tool on one scale.
type result struct {
	scale, tool string
	walls       []time.Duration
	rssKB       []int64         // peak RSS of the child process
	cpu         []time.Duration // user + system time of the child process
	computeS    []float64
	note        string
	failed      error
}

func (r *result) medianWall() time.Duration {
	if len(r.walls) == 0 {
		return 0
	}
	w := slices.Clone(r.walls)
	slices.Sort(w)
	return w[len(w)/2]
}

func (r *result) medianCPU() time.Duration {
	if len(r.cpu) == 0 {
		return 0
	}
	c := slices.Clone(r.cpu)
	slices.Sort(c)
	return c[len(c)/2]
}

func (r *result) maxRSSMB() float64 {
	var m int64
	for _, v := range r.rssKB {
		m = max(m, v)
	}
	return float64(m) / 1024
}

func (r *result) medianCompute() float64 {
	if len(r.computeS) == 0 {
		return 0
	}
	c := slices.Clone(r.computeS)
	slices.Sort(c)
	return c[len(c)/2]
}

func run(args []string, stdout, stderr io.Writer) int {
	opt, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "covplan-bench:", err)
		return 2
	}
	b := bench
	if opt.national {
		b = benchNational
	}
	if err := b(opt, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "covplan-bench:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("covplan-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scalesF := fs.String("scales", "S,M,L", "comma-separated scales: S (10k premises), M (100k), L (1M), XL (10M)")
	reps := fs.Int("reps", 3, "timed runs of covplan per scale (the median is reported)")
	peerReps := fs.Int("peer-reps", 0, "timed runs of each peer per scale (default: -reps)")
	covplan := fs.String("covplan", "", "covplan binary (default: go build ./cmd/covplan into a temporary directory)")
	data := fs.String("data", filepath.Join(os.TempDir(), "covplan-bench"), "data cache `DIR`: generated sets are kept and reused")
	out := fs.String("out", "", "output `DIR` for the runs (default: a temporary directory, removed)")
	seed := fs.Uint64("seed", 20240601, "generator seed")
	gen := fs.String("gen", "covplan", "generator: covplan (ours) or peers (the peers' gen, to check against their expected outputs)")
	peers := fs.String("peers", "", "peer baselines `DIR` (pg_peer.py, gpd_peer.py, gen/); default ../shared/peers when present")
	noPeers := fs.Bool("no-peers", false, "do not run the peers")
	peerNames := fs.String("peer-names", "geopandas,postgis", "comma-separated `PEERS` to run when installed: geopandas, postgis (e.g. postgis alone at XL, where GeoPandas does not finish)")
	genOnly := fs.Bool("gen-only", false, "only generate the data sets")
	workers := fs.Int("workers", 0, "pass --workers to covplan (0: its default, one per CPU)")
	national := fs.Bool("national", false, "time `covplan batch` on every metropolitan département filled with synthetic communes (zone level), then its rerun")
	jobs := fs.Int("jobs", 0, "with -national: --jobs of covplan batch (0: its default, one per CPU)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: covplan-bench [flags]\n\nTimes `covplan plan --no-report` end to end on synthetic data, and the peers on the same files.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	opt := &options{reps: *reps, peerReps: *peerReps, covplan: *covplan, dataDir: *data, outDir: *out,
		seed: *seed, gen: *gen, peersDir: *peers, noPeers: *noPeers, genOnly: *genOnly, workers: *workers, national: *national, jobs: *jobs}
	opt.only = map[string]bool{}
	for _, name := range strings.Split(*peerNames, ",") {
		switch name = strings.TrimSpace(strings.ToLower(name)); name {
		case "geopandas", "postgis":
			opt.only[name] = true
		case "":
		default:
			return nil, fmt.Errorf("-peer-names: unknown peer %q (want geopandas, postgis)", name)
		}
	}
	for _, s := range strings.Split(*scalesF, ",") {
		sc, ok := scaleByName(strings.TrimSpace(strings.ToUpper(s)))
		if !ok {
			return nil, fmt.Errorf("-scales: unknown scale %q (want S, M, L or XL)", s)
		}
		opt.scales = append(opt.scales, sc)
	}
	if opt.reps < 1 {
		return nil, fmt.Errorf("-reps: want at least 1, got %d", opt.reps)
	}
	if opt.peerReps <= 0 {
		opt.peerReps = opt.reps
	}
	if opt.gen != "covplan" && opt.gen != "peers" {
		return nil, fmt.Errorf("-gen: want covplan or peers, got %q", opt.gen)
	}
	if opt.peersDir == "" {
		if _, err := os.Stat(filepath.Join("..", "shared", "peers", "pg_peer.py")); err == nil {
			opt.peersDir, _ = filepath.Abs(filepath.Join("..", "shared", "peers"))
		}
	}
	if opt.gen == "peers" && opt.peersDir == "" {
		return nil, errors.New("-gen peers needs -peers DIR")
	}
	return opt, nil
}

func bench(opt *options, stdout, stderr io.Writer) error {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	var sets []string
	for _, sc := range opt.scales {
		dir, err := ensureData(opt, sc, logf)
		if err != nil {
			return err
		}
		sets = append(sets, dir)
	}
	if opt.genOnly {
		for _, d := range sets {
			fmt.Fprintln(stdout, d)
		}
		return nil
	}
	outRoot, cleanup, err := benchOutRoot(opt)
	if err != nil {
		return err
	}
	defer cleanup()
	bin := opt.covplan
	if bin == "" {
		if bin, err = buildCovplan(outRoot, logf); err != nil {
			return err
		}
	}
	peers := availablePeers(opt, logf)

	logf("load before: %s", loadavg())
	var results []*result
	for k, sc := range opt.scales {
		data := sets[k]
		r := timeCovplan(opt, bin, sc, data, outRoot, logf)
		results = append(results, r)
		measureDir := filepath.Join(outRoot, "covplan-measure-"+sc.Name)
		measured := runMeasure(bin, data, measureDir, logf)
		var peerOuts []string
		for _, p := range peers {
			pr, pout := runPeer(opt, p, sc, data, outRoot, logf)
			results = append(results, pr)
			if pr.failed == nil {
				peerOuts = append(peerOuts, pout)
			}
		}
		if measured {
			checkMeasures(opt, r, sc, data, measureDir, peerOuts)
		}
	}
	logf("load after: %s", loadavg())
	printTable(stdout, opt, results)
	return nil
}

// benchOutRoot is the folder the runs write into: opt.outDir, or a
// temporary one that cleanup removes.
func benchOutRoot(opt *options) (dir string, cleanup func(), err error) {
	if opt.outDir != "" {
		return opt.outDir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "covplan-bench-out-")
	if err != nil {
		return "", nil, err
	}
	// The PostGIS peer's server (user postgres) writes its CSV files under
	// this directory.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// timeCovplan runs covplan plan opt.reps times on one data set.
func timeCovplan(opt *options, bin string, sc scale, data, outRoot string, logf func(string, ...any)) *result {
	r := &result{scale: sc.Name, tool: "covplan"}
	for rep := range opt.reps {
		out := filepath.Join(outRoot, "covplan-"+sc.Name)
		args := []string{"plan", "--no-report", "--quiet",
			"--zones", filepath.Join(data, "zones.geojson"),
			"--premises", filepath.Join(data, "premises.csv"),
			"--fibre", filepath.Join(data, "fibre_nodes.csv"),
			"--aps", filepath.Join(data, "wifi_aps.csv"),
			"--out", out}
		if opt.workers > 0 {
			args = append(args, "--workers", fmt.Sprint(opt.workers))
		}
		wall, rss, _, err := timeRun(exec.Command(bin, args...))
		if err != nil {
			r.failed = err
			logf("covplan %s: %v", sc.Name, err)
			break
		}
		r.walls, r.rssKB, r.cpu = append(r.walls, wall), append(r.rssKB, rss), append(r.cpu, lastCPU)
		logf("covplan %s run %d/%d: %.3f s wall, %.3f s CPU, %.0f MB", sc.Name, rep+1, opt.reps, wall.Seconds(), lastCPU.Seconds(), float64(rss)/1024)
	}
	return r
}

// checkMeasures compares covplan's measure outputs with the peers' of this
// run, or with the recorded reference for the peers' own data, and notes
// the outcome on r.
func checkMeasures(opt *options, r *result, sc scale, data, measureDir string, peerOuts []string) {
	refs := peerOuts
	if exp := filepath.Join(opt.peersDir, "expected", sc.Name); opt.gen == "peers" && fileExists(filepath.Join(exp, "zone_counts.csv")) {
		// The recorded reference is for one seed's inputs only.
		switch ok, err := sameInputs(filepath.Join(exp, "SHA256SUMS.inputs"), data); {
		case err != nil:
			r.note += fmt.Sprintf(" expected/%s not checked: %v;", sc.Name, err)
		case ok:
			refs = append(refs, exp)
		default:
			r.note += fmt.Sprintf(" expected/%s is for other inputs (seed);", sc.Name)
		}
	}
	for _, ref := range refs {
		bad, err := compareOutputs(ref, measureDir, 0.01)
		switch {
		case err != nil:
			r.note += fmt.Sprintf(" check vs %s: %v;", filepath.Base(ref), err)
		case bad == 0:
			r.note += fmt.Sprintf(" equal to %s;", refName(ref))
		default:
			r.note += fmt.Sprintf(" %d fields differ from %s;", bad, refName(ref))
		}
	}
}

func refName(dir string) string {
	if strings.Contains(dir, string(filepath.Separator)+"expected"+string(filepath.Separator)) {
		return "expected/" + filepath.Base(dir)
	}
	return filepath.Base(dir)
}

// ensureData returns the directory of sc's data set, generating it when it
// is not cached yet.
func ensureData(opt *options, sc scale, logf func(string, ...any)) (string, error) {
	name := fmt.Sprintf("%s-%s-%d", opt.gen, sc.Name, opt.seed)
	if opt.gen == "covplan" {
		name = fmt.Sprintf("%s-%s-%d", genVersion, sc.Name, opt.seed)
	}
	dir := filepath.Join(opt.dataDir, name)
	if fileExists(filepath.Join(dir, "meta.json")) {
		logf("data %s: cached in %s", sc.Name, dir)
		return dir, nil
	}
	t0 := time.Now()
	var err error
	if opt.gen == "peers" {
		err = runPeersGen(opt, sc, dir)
	} else {
		err = generate(dir, sc, opt.seed)
	}
	if err != nil {
		return "", fmt.Errorf("generate %s: %w", sc.Name, err)
	}
	logf("data %s: generated in %s (%.1f s)", sc.Name, dir, time.Since(t0).Seconds())
	return dir, nil
}

func runPeersGen(opt *options, sc scale, dir string) error {
	bin := filepath.Join(opt.dataDir, "peergen")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(opt.peersDir, "gen")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the peers' generator: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-scale", sc.Name, "-seed", fmt.Sprint(opt.seed), "-out", dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}

func buildCovplan(dir string, logf func(string, ...any)) (string, error) {
	bin := filepath.Join(dir, "covplan")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/covplan")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build covplan (run from the repository root or pass -covplan): %v\n%s", err, out)
	}
	logf("built %s", bin)
	return bin, nil
}

// timeRun runs cmd and returns its wall time, its peak RSS (KiB, from the
// child's rusage) and its standard output. lastCPU receives the child's user
// plus system time.
func timeRun(cmd *exec.Cmd) (time.Duration, int64, []byte, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Flush dirty pages first (generated data, the previous run's outputs,
	// a peer's database): their write-back would otherwise run beside the
	// timed process. On this VM 1.5 GB of dirty pages took an XL run from
	// 10 to 13 s. Not timed.
	syscall.Sync()
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(errb.String(), 1500))
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	lastCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return wall, rss, out.Bytes(), nil
}

// lastCPU is the CPU time of the last command timeRun ran (the runner is
// sequential).
var lastCPU time.Duration

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// runMeasure runs `covplan measure` (the peers' outputs: zone_counts.csv and
// premise_out.csv) when the binary has that subcommand.
func runMeasure(bin, data, out string, logf func(string, ...any)) bool {
	if err := exec.Command(bin, "measure", "--help").Run(); err != nil {
		logf("covplan measure: not available (%v); correctness not checked", err)
		return false
	}
	_, _, _, err := timeRun(exec.Command(bin, "measure", "--quiet",
		"--zones", filepath.Join(data, "zones.geojson"),
		"--premises", filepath.Join(data, "premises.csv"),
		"--fibre", filepath.Join(data, "fibre_nodes.csv"),
		"--aps", filepath.Join(data, "wifi_aps.csv"),
		"--out", out))
	if err != nil {
		logf("covplan measure: %v", err)
		return false
	}
	return true
}

// sameInputs reports whether every file listed in sums (sha256sum format)
// has that digest in dir.
func sameInputs(sums, dir string) (bool, error) {
	b, err := os.ReadFile(sums)
	if err != nil {
		return false, err
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		want, name, ok := strings.Cut(line, "  ")
		if !ok {
			return false, fmt.Errorf("%s: bad line %q", sums, line)
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return false, err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return false, err
		}
		if hex.EncodeToString(h.Sum(nil)) != want {
			return false, nil
		}
		n++
	}
	return n > 0, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// peer is one baseline script.
type peer struct {
	name   string // geopandas or postgis
	script string
}

// availablePeers returns the peers whose dependencies are installed.
func availablePeers(opt *options, logf func(string, ...any)) []peer {
	if opt.noPeers || opt.peersDir == "" {
		return nil
	}
	var ps []peer
	py := "/usr/bin/python3"
	if !opt.only["geopandas"] {
		logf("peer geopandas: not in -peer-names")
	} else if exec.Command(py, "-c", "import geopandas, scipy, rtree").Run() == nil {
		ps = append(ps, peer{"geopandas", filepath.Join(opt.peersDir, "gpd_peer.py")})
	} else {
		logf("peer geopandas: skipped (Debian python3-geopandas, python3-scipy, python3-rtree not installed; see docs/performance.md)")
	}
	if !opt.only["postgis"] {
		logf("peer postgis: not in -peer-names")
	} else if exec.Command(py, "-c", "import psycopg2").Run() == nil && fileExists("/usr/share/postgresql/15/extension/postgis.control") {
		ps = append(ps, peer{"postgis", filepath.Join(opt.peersDir, "pg_peer.py")})
	} else {
		logf("peer postgis: skipped (postgresql-15-postgis-3 and python3-psycopg2 not installed)")
	}
	return ps
}

// runPeer times one peer on the data set dir. The peers read
// /tmp/peerdata/<name>, so the data set is linked there under a name of its
// own. It returns the result and the peer's output directory.
func runPeer(opt *options, p peer, sc scale, dir, outRoot string, logf func(string, ...any)) (*result, string) {
	r := &result{scale: sc.Name, tool: p.name}
	tag := strings.ToLower(fmt.Sprintf("cpb_%s_%s", strings.ReplaceAll(opt.gen, "-", "_"), sc.Name))
	link := filepath.Join("/tmp/peerdata", tag)
	if err := os.MkdirAll("/tmp/peerdata", 0o755); err != nil {
		r.failed = err
		return r, ""
	}
	if fi, err := os.Lstat(link); err == nil && fi.Mode()&os.ModeSymlink == 0 {
		r.failed = fmt.Errorf("%s exists and is not a link", link)
		return r, ""
	}
	os.Remove(link)
	if err := os.Symlink(dir, link); err != nil {
		r.failed = err
		return r, ""
	}
	defer os.Remove(link)
	out := filepath.Join(outRoot, p.name+"-"+sc.Name)
	for rep := range opt.peerReps {
		if p.name == "postgis" {
			if o, err := exec.Command(filepath.Join(opt.peersDir, "pg_cluster.sh"), "start").CombinedOutput(); err != nil {
				r.failed = fmt.Errorf("pg_cluster.sh start: %v\n%s", err, o)
				break
			}
		}
		wall, rss, stdout, err := timeRun(exec.Command("/usr/bin/python3", p.script, tag, out))
		if err != nil {
			r.failed = err
			logf("%s %s: %v", p.name, sc.Name, err)
			break
		}
		r.walls, r.rssKB, r.cpu = append(r.walls, wall), append(r.rssKB, rss), append(r.cpu, lastCPU)
		var rpt struct {
			Steps     map[string]float64 `json:"steps"`
			PeakPSSMB float64            `json:"peak_pss_mb"`
		}
		lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
		if json.Unmarshal([]byte(lines[len(lines)-1]), &rpt) == nil {
			r.computeS = append(r.computeS, rpt.Steps["total_compute"])
			if rpt.PeakPSSMB > 0 {
				r.rssKB[len(r.rssKB)-1] = int64(rpt.PeakPSSMB * 1024)
				r.note = " memory: PSS of the PostgreSQL server;"
			}
		}
		logf("%s %s run %d/%d: %.3f s", p.name, sc.Name, rep+1, opt.peerReps, wall.Seconds())
	}
	return r, out
}

func printTable(w io.Writer, opt *options, results []*result) {
	fmt.Fprintf(w, "\n| scale | tool | runs | median wall (s) | median CPU (s) | peak memory (MB) | peer compute (s) | wall vs covplan | notes |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|\n")
	base := map[string]time.Duration{}
	for _, r := range results {
		if r.tool == "covplan" && r.failed == nil {
			base[r.scale] = r.medianWall()
		}
	}
	for _, r := range results {
		if r.failed != nil {
			fmt.Fprintf(w, "| %s | %s | 0 | failed | | | | | %s |\n", r.scale, r.tool, firstLine(r.failed.Error()))
			continue
		}
		ratio, compute := "", ""
		if b := base[r.scale]; b > 0 && r.tool != "covplan" {
			ratio = fmt.Sprintf("%.1f×", r.medianWall().Seconds()/b.Seconds())
		}
		if len(r.computeS) > 0 {
			compute = fmt.Sprintf("%.2f", r.medianCompute())
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.3f | %.3f | %.0f | %s | %s | %s |\n", r.scale, r.tool, len(r.walls),
			r.medianWall().Seconds(), r.medianCPU().Seconds(), r.maxRSSMB(), compute, ratio, strings.TrimSpace(r.note))
	}
	fmt.Fprintf(w, "\ndata: generator %s, seed %d; wall = whole process (for the peers: Python start-up and, for PostGIS, database create/drop included); CPU = user + system time of the process (for PostGIS the client only: the server's time is not counted); memory = peak RSS of the process (rusage), PostGIS: peak PSS of the server; every timed run starts after sync (dirty pages flushed).\n", opt.gen, opt.seed)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
