// Package sharedtest locates the project's shared evaluation data for tests.
//
// The data (real blog dumps, hand labels, the VADER reference sets) lives in
// a folder named shared beside the repository clone, never in the repository.
// A user who cloned chorus alone does not have it, so every test that needs it
// skips with a message saying what was not checked.
//
// It owns locating the data and skipping; it must not be imported by
// non-test code, and nothing it finds may be copied into the repository.
package sharedtest
