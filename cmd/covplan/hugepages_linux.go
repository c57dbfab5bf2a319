package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugePageSize is the size of a transparent huge page (2 MiB on x86-64,
// more on some arm64 kernels), from sysfs.
func hugePageSize() int64 {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 2 << 20
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n < 4096 || n&(n-1) != 0 {
		return 2 << 20
	}
	return n
}

// adviseHeapOS reserves a heap region of about want bytes, marks its
// whole huge pages MADV_HUGEPAGE and frees it (see hugepages.go). It
// returns the bytes marked, 0 when it did nothing.
func adviseHeapOS(want int64) int64 {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || thpMode(string(mode)) != "madvise" {
		return 0
	}
	if oc, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil && strings.TrimSpace(string(oc)) == "2" {
		return 0 // strict accounting: a large reservation could fail the run
	}
	var as syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &as); err != nil || as.Cur != ^uint64(0) {
		return 0 // an address-space limit (ulimit -v): reserving could fail the run
	}
	meminfo, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	n := hugeRegion(want, memAvailable(string(meminfo)))
	if n == 0 {
		return 0
	}
	// A fresh large allocation is mapped but not touched (the runtime
	// knows new memory is zero), so marking it costs no resident memory.
	b := make([]byte, n)
	page := uintptr(hugePageSize())
	// unsafe: the slice's address is read as an integer, only to find the
	// first and last huge-page boundaries inside it; the integer is never
	// turned back into a pointer, and b is kept alive until madvise has
	// run (KeepAlive below), so the collector cannot free or move it under
	// us (Go's heap does not move objects). What it buys: madvise needs
	// page-aligned bounds, and only the aligned part can be huge pages;
	// advising the heap this way took the L run from 1.55 to 1.11 s wall
	// and 60,044 page faults to 2,363 (docs/performance.md, "Huge pages").
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p + page - 1) &^ (page - 1)
	end := (p + uintptr(n)) &^ (page - 1)
	advised := int64(0)
	if beg < end && syscall.Madvise(b[beg-p:end-p], syscall.MADV_HUGEPAGE) == nil {
		advised = int64(end - beg)
	}
	runtime.KeepAlive(b)
	// Free it now, so that the run's allocations reuse the region and the
	// collector's pacing starts from the real heap.
	runtime.GC()
	return advised
}
