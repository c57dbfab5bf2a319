package main

import (
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// adviseHeapOS reserves a heap region of about want bytes, marks its
// whole 2 MiB pages MADV_HUGEPAGE and frees it (see hugepages.go). It
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
	const page = 2 << 20
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
