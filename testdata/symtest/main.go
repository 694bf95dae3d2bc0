// symtest: functions whose parameters cover the types symbols/ must describe
// from DWARF. Every function is kept (noinline, called from main) so its
// DW_TAG_subprogram and symbol survive; the program prints a checksum and
// exits 0.
package main

import "fmt"

type Celsius float64

type ID uint32

type Point struct {
	X, Y int32
}

type Meta struct {
	Tag   string
	Count uint16
}

// Item has a nested struct, an embedded field and a pointer.
type Item struct {
	ID
	Name  string
	Where Point
	Meta  Meta
	Next  *Item
}

// Node refers to itself: type construction must terminate.
type Node struct {
	Value int
	Next  *Node
}

// Tree points to itself before many more fields: the type must be complete
// wherever the recursion closes.
type Tree struct {
	Left, Right               *Tree
	A, B, C, D, E, F, G, H, I int8
}

// Ring is no parameter's type, nor comparable (no generated type..eq
// function takes a *Ring): only the runtime type walk and find_type meet
// it, struct first.
type Ring struct {
	Prev, Next                *Ring
	A, B, C, D, E, F, G, H, I int8
	Tags                      []string
}

type Server struct {
	Name  string
	Calls int
}

//go:noinline
func Ints(a int, b int8, c int16, d int32, e int64) int64 {
	return int64(a) + int64(b) + int64(c) + int64(d) + e
}

//go:noinline
func Uints(a uint, b uint8, c uint16, d uint32, e uint64, f uintptr) uint64 {
	return uint64(a) + uint64(b) + uint64(c) + uint64(d) + e + uint64(f)
}

//go:noinline
func Flags(on bool, s string) (n int, ok bool) {
	if on {
		return len(s), true
	}
	return 0, false
}

//go:noinline
func Convert(c Celsius, id ID) float64 {
	return float64(c)*1.8 + 32 + float64(id)
}

//go:noinline
func Describe(it *Item, p Point) string {
	return fmt.Sprintf("%d:%s@%d,%d/%d", it.ID, it.Name, p.X, it.Where.Y, it.Meta.Count)
}

//go:noinline
func Length(n *Node) int {
	c := 0
	for ; n != nil; n = n.Next {
		c++
	}
	return c
}

//go:noinline
func Depth(t *Tree) int {
	if t == nil {
		return 0
	}
	l, r := Depth(t.Left), Depth(t.Right)
	if l > r {
		return l + 1 + int(t.I)
	}
	return r + 1 + int(t.I)
}

//go:noinline
func (s Server) Name2() string {
	return s.Name + s.Name
}

//go:noinline
func (s *Server) Handle(path string, code int) error {
	s.Calls++
	if code >= 400 {
		return fmt.Errorf("%s: %d", path, code)
	}
	return nil
}

//go:noinline
func Collect(xs []uint8, m map[string]int, arr [3]int16, v interface{}) int {
	return len(xs) + len(m) + int(arr[2]) + len(fmt.Sprint(v))
}

// Twice is inlined into main and kept out of line for the func value: DWARF
// has an abstract Twice, and a concrete copy whose parameters only refer to
// the abstract ones (and which alone lists the result).
func Twice(x int) int {
	return 2 * x
}

var twice = Twice

func main() {
	n := Ints(-1, -2, -3, -4, -5)
	u := Uints(1, 2, 3, 4, 5, 6)
	l, ok := Flags(true, "hello")
	f := Convert(100, 7)
	it := &Item{ID: 9, Name: "widget", Where: Point{3, 4}, Meta: Meta{"m", 2}}
	d := Describe(it, Point{X: 1, Y: 2})
	list := &Node{1, &Node{2, &Node{3, nil}}}
	srv := &Server{Name: "s"}
	err := srv.Handle("/x", 404)
	c := Collect([]uint8{1, 2}, map[string]int{"a": 1}, [3]int16{1, 2, 3}, 42)
	tree := &Tree{Left: &Tree{}, I: 1}
	ring := &Ring{I: 2}
	ring.Prev, ring.Next = ring, ring
	fmt.Println(n, u, l, ok, f, d, Length(list), Depth(tree), srv.Name2(), err, c, ring.Next.I,
		Twice(c), twice(3))
}
