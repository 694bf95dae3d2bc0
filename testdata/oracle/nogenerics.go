//go:build !go1.18
// +build !go1.18

package main

// Go before 1.18 has no generics: the oracle runs without them.
func callGenerics() {}

func ScaleFloat64() {}
