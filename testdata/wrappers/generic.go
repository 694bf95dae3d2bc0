//go:build go1.18
// +build go1.18

package main

import "fmt"

type Pair[T any] struct{ A, B T }

//go:noinline
func (p Pair[T]) First() T { return p.A }

//go:noinline
func Swap[T any](p Pair[T]) Pair[T] { return Pair[T]{p.B, p.A} }

func init() {
	generic = func(i int) string {
		return fmt.Sprint(Swap(Pair[int]{i, 1}).First(), Swap(Pair[string]{"a", "b"}).First())
	}
}
