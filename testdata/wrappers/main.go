// Compiler-generated wrappers of every kind, for tests that compare what a
// glob matches on a stripped build and on its unstripped twin: pointer
// wrappers of value methods, promoted methods of embedded structs and
// interfaces (tail calls from Go 1.24), method values (-fm), closures,
// defer wrappers, generic instantiations, and equality functions.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"gotrace/testdata/service/pb"
	wpb "gotrace/testdata/wrappers/pb"
)

type Named struct{ N int }

//go:noinline
func (n Named) String() string { return fmt.Sprint("named ", n.N) }

//go:noinline
func (n *Named) Bump(by int) int { n.N += by; return n.N }

// embeds an interface: (*Named2).String and Named2.String are promoted
type Named2 struct {
	fmt.Stringer
	N int
}

// embeds a struct by pointer and by value
type Outer struct {
	*Named
	Inner Named
}

type Key struct {
	S string
	I int
}

//go:noinline
func Deferred(n int) (out int) {
	defer func() { out++ }()
	defer fmt.Fprint(os.Stderr, "")
	return n * 2
}

//go:noinline
func show(s fmt.Stringer) string { return s.String() }

//go:noinline
func bump(b interface{ Bump(int) int }, by int) int { return b.Bump(by) }

// Its types in two packages named pb.
//
//go:noinline
func Handle(r *wpb.Request, put *pb.PutRequest, n int) (*wpb.Reply, int) {
	lastRequest, lastPut = r, put
	return &wpb.Reply{OK: r.ID > 0 && put.Key != ""}, n + len(r.Name)
}

//go:noinline
func Apply(f func(int) int, x int) int { return f(x) }

// set by generic.go, on Go versions that have generics
var generic func(int) string

// on the heap, behind interfaces: their types have descriptors
var (
	replies     []interface{}
	lastRequest *wpb.Request
	lastPut     *pb.PutRequest
)

func main() {
	var sink []string
	for i := 0; ; i++ {
		n := &Named{i}
		// through interfaces the compiler cannot see through: the
		// wrappers are called, not devirtualized
		for _, s := range []fmt.Stringer{n, &Named2{Stringer: Named{i}, N: i}, Named2{Stringer: n}, Outer{Named: n}} {
			sink = append(sink, show(s))
		}
		bump(&Outer{Named: n}, 1)
		bump := n.Bump // a method value: (*Named).Bump-fm
		Apply(bump, 2)
		Apply(func(x int) int { return x + i }, 3)
		if generic != nil {
			sink = append(sink, generic(i))
		}
		m := map[Key]int{{"k", i}: i}
		sink = append(sink, fmt.Sprint(m[Key{"k", i}], Key{"k", i} == Key{strings.Repeat("k", 1), i}))
		Deferred(i)
		reply, _ := Handle(&wpb.Request{ID: int64(i), Name: "req"}, &pb.PutRequest{Key: "k"}, i)
		replies = append(replies, reply)
		if len(sink) > 64 {
			sink = sink[:0]
			replies = replies[:0]
		}
		time.Sleep(50 * time.Millisecond)
	}
}
