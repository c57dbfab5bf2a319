package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Huge pages for the heap.
//
// A run allocates a few large arrays (premises, measures, sort orders, CSV
// buffers): at L scale about 250 MB, at XL about 2 GB, touched once each.
// With 4 KiB pages every first touch is a page fault (60,000 at L), and on a
// virtual machine each one is expensive: a third of the L run's CPU went to
// them. Linux's transparent huge pages remove almost all of them, but most
// distributions enable them only for memory that asks (mode "madvise"), and
// the Go runtime does not ask for its heap. So, like the JVM's
// -XX:+UseTransparentHugePages, covplan asks for it: before reading the
// inputs it reserves a region of the heap sized from the inputs, marks it
// MADV_HUGEPAGE and frees it; the run's large allocations then reuse those
// addresses and are backed by 2 MiB pages. Nothing is touched, so resident
// memory grows only as the run uses it.
//
// It is skipped for small inputs, where it would not pay, when the system's
// mode is "always" (nothing to do) or "never", under strict overcommit or
// an address-space limit (ulimit -v), where the reservation itself could
// fail the run, when GODEBUG has disablethp=1, and when
// COVPLAN_HUGEPAGES=off (or 0, false, no).

// hugeMinInput is the total input size below which the heap is left alone.
const hugeMinInput = 8 << 20

// hugePerInputByte is how many heap bytes a run needs per input byte, with
// margin: the peak resident memory is 6 to 7 times the input size from M to
// XL (docs/performance.md).
const hugePerInputByte = 12

var hugeOnce sync.Once

// adviseHeap prepares the heap for a run reading inputBytes of input (see
// above) and returns the bytes advised, 0 when skipped. Only the first call
// of a process does anything.
func adviseHeap(inputBytes int64) (advised int64) {
	hugeOnce.Do(func() {
		if !hugePagesWanted(os.Getenv("COVPLAN_HUGEPAGES"), os.Getenv("GODEBUG")) || inputBytes < hugeMinInput {
			return
		}
		advised = adviseHeapOS(inputBytes * hugePerInputByte)
	})
	return advised
}

// hugePagesWanted reads the environment: COVPLAN_HUGEPAGES=off (0, false,
// no) or GODEBUG disablethp=1 turn the advice off.
func hugePagesWanted(env, godebug string) bool {
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "off", "0", "false", "no":
		return false
	}
	for _, kv := range strings.Split(godebug, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "disablethp" && v != "0" {
			return false
		}
	}
	return true
}

// thpMode returns the selected mode of
// /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"
// gives "madvise"), or "" when it cannot be read.
func thpMode(s string) string {
	i := strings.IndexByte(s, '[')
	j := strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

// memAvailable returns MemAvailable of /proc/meminfo in bytes, or 0.
func memAvailable(meminfo string) int64 {
	for _, line := range strings.Split(meminfo, "\n") {
		rest, ok := strings.CutPrefix(line, "MemAvailable:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 {
			return 0
		}
		return kb << 10
	}
	return 0
}

// hugeRegion clamps the wanted region: at most half the available memory
// (so that even a system that does not overcommit can reserve it) and
// 16 GiB, in whole 2 MiB pages; 0 when it would be under 32 MiB.
func hugeRegion(want, available int64) int64 {
	const page = 2 << 20
	n := min(want, available/2, 16<<30)
	n &^= page - 1
	if n < 32<<20 {
		return 0
	}
	return n
}

// stageGC collects the garbage of the stage just ended (the CSV buffers of
// loading, the sort orders of measuring, the evaluation's scratch) before
// the next stage allocates, when the run is large enough for it to pay.
// Left to its pacing, the collector lets the heap grow to twice the live
// data before it runs, so every stage's temporaries took fresh memory; on
// a VM whose host reclaims freed memory, each fresh megabyte is a slow
// first touch. At XL (10M premises) a collection after loading, after
// measuring and after deciding took the peak RSS from 2.48–2.62 to
// 1.97–1.99 GB and a cold run from 15.2 to 14.3 s (medians of 4 A/B
// pairs, docs/performance.md); each collection costs 20–100 ms there
// (the live heap is mostly pointer-free arrays). At L (1M premises, 36 MB
// of input) it made runs slower (1.73 against 1.54 s, medians of 6 A/B
// pairs): below stageGCMinInput it does nothing.
func stageGC(inputBytes int64) {
	if inputBytes >= stageGCMinInput {
		runtime.GC()
	}
}

// stageGCMinInput is the total input size below which stageGC does
// nothing: a smaller run's heap (under about 1 GB) gains nothing from it,
// and a batch plans many small areas at once.
const stageGCMinInput = 128 << 20
