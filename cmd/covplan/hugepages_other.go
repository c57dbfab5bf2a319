//go:build !linux

package main

// adviseHeapOS does nothing outside Linux (see hugepages.go).
func adviseHeapOS(int64) int64 { return 0 }
