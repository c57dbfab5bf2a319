//go:build !unix && !windows

package main

import (
	"errors"
	"os"
)

// errLocked says another process holds the lock.
var errLocked = errors.New("locked")

// lockFile does nothing on systems without file locks: concurrent runs on
// one --out are not detected there.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) {}

func syncDir(string) error { return nil }
