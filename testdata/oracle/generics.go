//go:build go1.18
// +build go1.18

package main

// A generic function: each shape is one instantiation, main.Sum[go.shape.int_0]
// and main.Sum[go.shape.float64_0], with a hidden dictionary argument first.
//
//go:noinline
func Sum[T int | float64](xs []T, k int) T {
	emit("main.Sum", arg{"xs", xs}, arg{"k", k})
	var s T
	for _, x := range xs {
		s += x
	}
	emitReturn("main.Sum", arg{"~r0", s + T(k)})
	return s + T(k)
}

// Generic methods: named in the source as main.(*Gen).Get or
// main.(*Gen[int]).Get; the binary names them by shape.
type Gen[T any] struct {
	v T
	n int
}

//go:noinline
func (g *Gen[T]) Get(k int) T {
	emit("main.(*Gen).Get", arg{"g", g}, arg{"k", k})
	emitReturn("main.(*Gen).Get", arg{"~r0", g.v})
	return g.v
}

type Box[T any] struct {
	items []T
}

//go:noinline
func (b *Box[T]) Put(x T) int {
	emit("main.(*Box).Put", arg{"b", b}, arg{"x", x})
	b.items = append(b.items, x)
	emitReturn("main.(*Box).Put", arg{"~r0", len(b.items)})
	return len(b.items)
}

func callGenerics() {
	Sum([]int{1, 2, 3}, 4)
	Sum([]float64{0.5}, 1)
	(&Gen[int]{v: 41, n: 1}).Get(2)
	(&Gen[string]{v: "gen", n: 2}).Get(3)
	b := &Box[string]{items: []string{"a"}}
	b.Put("b")
	callMapValues()
}



// A generic function over floats: main.Scale[go.shape.float64], its
// arguments and result in X registers.
//
//go:noinline
func Scale[T float32 | float64](x, k T) T {
	emit("main.Scale", arg{"x", x}, arg{"k", k})
	emitReturn("main.Scale", arg{"~r0", x * k})
	return x * k
}

func ScaleFloat64() { Scale(2.5, -4.0) }

// A generic struct, as the elements of a slice a generic function takes.
type Entry[K comparable, V any] struct {
	Key K
	Val V
}

// A generic function's parameters: a map, a slice of generic structs and a
// string, followed as any function's are, named as the source names their
// types (map[int][]string, not the shape's).
//
//go:noinline
func MapValues[K comparable, V any](m map[K]V, items []Entry[K, V], tag string) int {
	emit("main.MapValues", arg{"m", m}, arg{"items", items}, arg{"tag", tag})
	emitReturn("main.MapValues", arg{"~r0", len(m) + len(items)})
	return len(m) + len(items)
}

func callMapValues() {
	MapValues(map[int][]string{1: {"one", "uno"}, 2: {"two"}, 3: nil},
		[]Entry[int, []string]{{1, []string{"a"}}, {2, nil}}, "ints")
	MapValues(map[string]interface{}{"x": "ex", "n": 42, "nil": nil},
		[]Entry[string, interface{}]{{"y", "why"}, {"z", -7}}, "anys")
	Keep(&Inner{A: 3, B: "kept"}, 1)
	c := make(chan string, 3)
	c <- "queued"
	Drain(c, []Entry[string, bool]{{"k", true}})
}

// A generic function's chan parameter.
//
//go:noinline
func Drain[T comparable](ch chan T, items []Entry[T, bool]) {
	emit("main.Drain", arg{"ch", ch}, arg{"items", items})
}

// A pointer type argument: every one shares the shape go.shape.*uint8, and
// only the dictionary names its pointee (tests/unit/test_versions.c). Not
// printed: gotrace shows the pointer by its address.
//
//go:noinline
func Keep[T any](p T, n int) int { return n }
