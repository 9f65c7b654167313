// Package binenc reads and writes the compact binary records chorus keeps
// beside its database (the block cache's index, the lean report rows):
// varints, fixed 64-bit words and length-prefixed strings.
//
// It owns only the encoding; what the records mean belongs to their
// callers. A Decoder never panics on damaged input: once a read runs past
// the end, Bad is set and every later read returns zero, so a caller checks
// Bad once per record.
//
// # What it owns, what it must not touch
//
// It takes and gives byte slices (AppendStr beside encoding/binary's Append
// functions for writing, a Decoder for reading)
// and must not import any chorus package, open files or know the records'
// meaning; pipeline and pipeline/store use it, so it sits below both.
package binenc
