//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// errLocked says another process holds the lock.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock on f without waiting. The lock is the
// kernel's (flock): it goes with the process, so a killed run never leaves
// a stale lock behind.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLocked
		case errors.Is(err, syscall.EINTR):
			continue
		}
		return err
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// syncDir flushes a folder's entries (new names, renames) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
