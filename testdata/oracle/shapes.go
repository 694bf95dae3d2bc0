package main

import (
	"fmt"
	"strconv"
)

// Values whose shape only the run decides: what an interface holds, how
// many entries a map has, how long a chain of pointers or errors is. The
// plan cannot size them; gotrace must still show each of them whole with
// its default options. Built by every Go of the matrix: no generics, no
// `any`, nothing newer than Go 1.15.

// A custom error: its string Msg sits at offset 8 of the pointee.
type MyErr struct {
	Code int
	Msg  string
}

func (e *MyErr) Error() string { return "code " + strconv.Itoa(e.Code) + ": " + e.Msg }

// 112 bytes: strings at offsets 8 and 88, slices at 24 and 64, a pointer
// at 48, so that most of it lies past the first 64 bytes.
type Record struct {
	ID     int64
	Name   string
	Tags   []string
	Owner  *Inner
	Count  int32
	Scores []int
	Note   string
	Flags  uint16
}

// A non-empty interface: its type word is an itab.
type Describer interface {
	Describe() string
}

func (r Record) Describe() string { return r.Name + ": " + r.Note }

type Config struct {
	Name   string
	Labels map[string]string
	Limit  int
}

type Node struct {
	V    int
	Next *Node
}

// An error wrapped twice around a custom one (a 3-deep %w chain), and the
// custom one alone.
//
//go:noinline
func Errors(wrapped error, direct error) {
	emit("main.Errors", arg{"wrapped", iface(&wrapped)}, arg{"direct", iface(&direct)})
}

// Interfaces holding a large struct by value: the data word points to a
// heap copy of it.
//
//go:noinline
func Boxed(a interface{}, d Describer) {
	emit("main.Boxed", arg{"a", iface(&a)}, arg{"d", iface(&d)})
}

// Maps past one bucket (big: 40 entries), with slices for values, and one
// inside a struct behind a pointer.
//
//go:noinline
func Maps(small map[string]int, big map[int]string, multi map[string][]string, cfg *Config) {
	emit("main.Maps", arg{"small", small}, arg{"big", big}, arg{"multi", multi},
		arg{"cfg", cfg})
}

// Four nodes, four pointer hops; the last Next is nil.
//
//go:noinline
func Linked(head *Node) {
	emit("main.Linked", arg{"head", head})
}

func callShapes() {
	inner := &MyErr{Code: 7, Msg: "boom"}
	Errors(fmt.Errorf("outer: %w", fmt.Errorf("middle: %w", inner)), &MyErr{Code: 7, Msg: "boom"})

	Boxed(Record{ID: 1 << 40, Name: "boxed record", Tags: []string{"red", "green", "blue"},
		Owner: &Inner{A: -12, B: "owner"}, Count: -3, Scores: []int{10, 20, 30, 40},
		Note: "past the first 64 bytes", Flags: 0xbeef},
		Record{ID: -2, Name: "described", Tags: []string{"solo"},
			Owner: &Inner{A: 5, B: "second owner"}, Count: 2147483647, Scores: []int{-1},
			Note: "via an itab", Flags: 1})

	big := make(map[int]string, 40)
	for i := 0; i < 40; i++ {
		big[i*3] = "item-" + strconv.Itoa(i)
	}
	Maps(map[string]int{"a": 1, "b": 2, "c": 3}, big,
		map[string][]string{"Accept": {"text/html", "application/json"}, "X-Id": {"42"},
			"Empty": {}, "Nil": nil},
		&Config{Name: "cfg", Labels: map[string]string{"env": "prod", "team": "tracing",
			"zone": "eu-west-1"}, Limit: 99})

	Linked(&Node{1, &Node{2, &Node{3, &Node{4, nil}}}})
}

// 80 bytes: a map of these has buckets (hmap: 784 bytes) or groups (Swiss:
// 776) of which five fill one 4 KB read.
type Wide80 struct {
	ID    int64
	Name  string
	Tags  []string
	A     int64
	B     int64
	C     int64
	Count int32
	Code  uint16
	Flag  bool
}

// 30 entries of 80-byte values: 8 buckets or groups, past one read.
//
//go:noinline
func WideMap(m map[string]Wide80) {
	emit("main.WideMap", arg{"m", m})
}

// Maps whose buckets outnumber what their entries need. sparse: 300
// entries inserted, all but 40 deleted: a map never shrinks, so its 40
// entries are spread over 64 buckets (hmap) or groups (Swiss), more than
// --max-elems / 2; small: the same with 40-byte buckets, 64 of them within
// one 4 KB read (gotrace once read 32 of them and cut the map by
// --max-elems, though it has 40 entries of 64 allowed).
//
//go:noinline
func SparseMaps(sparse map[int]string, small map[int16]bool) {
	emit("main.SparseMaps", arg{"sparse", sparse}, arg{"small", small})
}

// A struct embedding an interface: its String is promoted from the
// interface's dynamic value.
type Tag struct {
	K string
	V string
}

func (t Tag) String() string { return t.K + "=" + t.V }

type Named2 struct {
	fmt.Stringer
	N int
}

//go:noinline
func Promoted(n Named2, p *Named2) string {
	emit("main.Promoted", arg{"n", n}, arg{"p", p})
	emitReturn("main.Promoted", arg{"~r0", n.String() + p.String()})
	return n.String() + p.String()
}

func callMaps() {
	wide := map[string]Wide80{}
	for i := 0; i < 30; i++ {
		wide["key-"+strconv.Itoa(i)] = Wide80{ID: int64(i) << 33, Name: "wide-" + strconv.Itoa(i),
			Tags: []string{"t" + strconv.Itoa(i)}, A: int64(-i), B: 1 << 40, C: int64(i * i),
			Count: int32(i), Code: uint16(65000 + i), Flag: i%2 == 0}
	}
	WideMap(wide)

	sparse := map[int]string{}
	for i := 0; i < 300; i++ {
		sparse[i*7] = "s" + strconv.Itoa(i)
	}
	for i := 40; i < 300; i++ {
		delete(sparse, i*7)
	}
	small := map[int16]bool{}
	for i := 0; i < 300; i++ {
		small[int16(i*3)] = i%3 == 0
	}
	for i := 40; i < 300; i++ {
		delete(small, int16(i*3))
	}
	SparseMaps(sparse, small)

	Promoted(Named2{Tag{"env", "prod"}, 7}, &Named2{Tag{"zone", "eu"}, -1})
}
