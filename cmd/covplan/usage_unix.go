//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// selfUsage returns the process's CPU time (user + system) and peak
// resident memory in bytes.
func selfUsage() (cpu time.Duration, peakBytes int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	peakBytes = int64(ru.Maxrss)
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		peakBytes <<= 10 // kilobytes elsewhere, bytes on Darwin
	}
	return cpu, peakBytes, true
}
