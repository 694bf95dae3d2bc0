// oracle: every traced function prints its own arguments as one JSON line,
// in gotrace's value encoding (docs/json.md), so the end-to-end test can
// compare gotrace's events with the truth, value by value.
//
// The encoder below is written by hand, with reflect and unsafe, because
// encoding/json drops unexported fields and cannot show what gotrace shows
// (pointers as their pointee, interfaces as {"type","value"}, maps as len).
package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

type arg struct {
	name string
	v    interface{}
}

// emit prints {"func":F,"args":[{"name":…,"type":…,"value":…},…]}.
// A nil interface{} argument passes its static type through typeOf.
func emit(fn string, args ...arg) {
	emitValues(`{"func":`+strconv.Quote(fn)+`,"args":[`, args)
}

// emitReturn prints {"func":F,"event":"return","results":[…]}: what the
// function is about to return, named as gotrace names results (~r0, ~r1…
// by position when unnamed).
func emitReturn(fn string, results ...arg) {
	emitValues(`{"func":`+strconv.Quote(fn)+`,"event":"return","results":[`, results)
}

func emitValues(head string, args []arg) {
	var b strings.Builder
	b.WriteString(head)
	for i, a := range args {
		if i > 0 {
			b.WriteByte(',')
		}
		rv := reflect.ValueOf(a.v)
		if p, ok := a.v.(static); ok {
			rv = p.v
		}
		b.WriteString(`{"name":` + strconv.Quote(a.name) + `,"type":` + strconv.Quote(typeName(rv.Type())) + `,"value":`)
		encode(&b, rv, 0)
		b.WriteByte('}')
	}
	b.WriteString("]}\n")
	os.Stdout.WriteString(b.String())
}

// static carries a value with its static type (an interface type).
type static struct{ v reflect.Value }

func iface(p interface{}) static { return static{reflect.ValueOf(p).Elem()} }

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Interface:
		if t.Name() == "" && t.NumMethod() == 0 {
			return "interface {}"
		}
	}
	return t.String()
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString("\ufffd")
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

func jsonFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"+Inf"`
	case math.IsInf(f, -1):
		return `"-Inf"`
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// unexported fields cannot be read through reflect's normal path
func readable(v reflect.Value) reflect.Value {
	if v.CanInterface() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

func encode(b *strings.Builder, v reflect.Value, depth int) {
	if encodeWellKnown(b, v) {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32:
		b.WriteString(jsonFloat(v.Float(), 32))
	case reflect.Float64:
		b.WriteString(jsonFloat(v.Float(), 64))
	case reflect.Complex64, reflect.Complex128:
		bits := 64
		if v.Kind() == reflect.Complex64 {
			bits = 32
		}
		c := v.Complex()
		b.WriteString(`{"real":` + jsonFloat(real(c), bits) + `,"imag":` + jsonFloat(imag(c), bits) + `}`)
	case reflect.String:
		b.WriteString(jsonString(v.String()))
	case reflect.Ptr:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		encode(b, v.Elem(), depth+1)
	case reflect.Struct:
		b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonString(v.Type().Field(i).Name) + ":")
			encode(b, readable(v.Field(i)), depth)
		}
		b.WriteByte('}')
	case reflect.Array, reflect.Slice:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("null")
			return
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(b, readable(v.Index(i)), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		// entries sorted by their encoding: Go's map order is random
		var entries []string
		it := v.MapRange()
		for it.Next() {
			var e strings.Builder
			e.WriteByte('[')
			encode(&e, it.Key(), depth+1)
			e.WriteByte(',')
			encode(&e, it.Value(), depth+1)
			e.WriteByte(']')
			entries = append(entries, e.String())
		}
		sort.Strings(entries)
		fmt.Fprintf(b, `{"len":%d,"entries":[%s]}`, v.Len(), strings.Join(entries, ","))
	case reflect.Chan:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		fmt.Fprintf(b, `{"len":%d,"cap":%d}`, v.Len(), v.Cap())
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		e := v.Elem()
		b.WriteString(`{"type":` + strconv.Quote(e.Type().String()) + `,"value":`)
		encode(b, e, depth+1)
		b.WriteByte('}')
	case reflect.Func:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		b.WriteString(strconv.Quote(runtime.FuncForPC(v.Pointer()).Name()))
	case reflect.UnsafePointer:
		fmt.Fprintf(b, `{"addr":"0x%x"}`, v.Pointer())
	default:
		b.WriteString(`"?"`)
	}
}

// ---- the traced functions ----

type ID uint32
type Name string
type Flag bool

type Inner struct {
	A int16
	B string
}

type Base struct {
	Kind uint8
}

type Outer struct {
	Base
	ID     ID
	inner  Inner
	Tags   Name
	hidden bool
}

type Chain struct {
	Label string
	Next  *Inner
}

type Reading struct {
	Sensor string
	Temp   float64
	Ok     bool
	Phase  complex128
	Gain   complex64
}

// Four integer registers' worth: after six ints it no longer fits.
type Triple struct {
	Tag  int8
	Name string
	N    uint64
}

type Counter struct {
	n    int
	name string
}

//go:noinline
func Ints(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, h uint32) {
	emit("main.Ints", arg{"a", a}, arg{"b", b}, arg{"c", c}, arg{"d", d}, arg{"e", e},
		arg{"f", f}, arg{"g", g}, arg{"h", h})
}

//go:noinline
func Wide(u uint64, i uint, p uintptr, m int64) {
	emit("main.Wide", arg{"u", u}, arg{"i", i}, arg{"p", p}, arg{"m", m})
}

//go:noinline
func Bools(x bool, y bool) {
	emit("main.Bools", arg{"x", x}, arg{"y", y})
}

//go:noinline
func Strings(empty, ascii, unicode, long, invalid string) {
	emit("main.Strings", arg{"empty", empty}, arg{"ascii", ascii}, arg{"unicode", unicode},
		arg{"long", long}, arg{"invalid", invalid})
}

//go:noinline
func Named(id ID, n Name, f Flag) {
	emit("main.Named", arg{"id", id}, arg{"n", n}, arg{"f", f})
}

//go:noinline
func Structs(o Outer, p *Outer, nilp *Outer) {
	emit("main.Structs", arg{"o", o}, arg{"p", p}, arg{"nilp", nilp})
}

//go:noinline
func Chains(c *Chain, r *Reading) {
	emit("main.Chains", arg{"c", c}, arg{"r", r})
}

//go:noinline
func (c *Counter) Add(delta int) {
	emit("main.(*Counter).Add", arg{"c", c}, arg{"delta", delta})
	c.n += delta
}

//go:noinline
func (c Counter) Get(label string) {
	emit("main.Counter.Get", arg{"c", c}, arg{"label", label})
}

// Eleven ints: the tenth and eleventh go to the stack.
//
//go:noinline
func Many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 int) {
	emit("main.Many", arg{"a1", a1}, arg{"a2", a2}, arg{"a3", a3}, arg{"a4", a4},
		arg{"a5", a5}, arg{"a6", a6}, arg{"a7", a7}, arg{"a8", a8}, arg{"a9", a9},
		arg{"a10", a10}, arg{"a11", a11})
}

// After eight ints the string no longer fits in registers: all of it goes
// to the stack, and z still takes the ninth register.
//
//go:noinline
func Spill(a1, a2, a3, a4, a5, a6, a7, a8 int, s string, z int) {
	emit("main.Spill", arg{"a1", a1}, arg{"a2", a2}, arg{"a3", a3}, arg{"a4", a4},
		arg{"a5", a5}, arg{"a6", a6}, arg{"a7", a7}, arg{"a8", a8}, arg{"s", s}, arg{"z", z})
}

// After six ints the struct needs four registers but only three remain: all
// of it goes to the stack, while z, q and last still take the seventh to
// ninth registers. tail (an array) and w (no register left) follow t on the
// stack, each at its own alignment.
//
//go:noinline
func SpillStruct(a1, a2, a3, a4, a5, a6 int, t Triple, z int8, q *Triple, last bool,
	tail [2]uint16, w int32) {
	emit("main.SpillStruct", arg{"a1", a1}, arg{"a2", a2}, arg{"a3", a3}, arg{"a4", a4},
		arg{"a5", a5}, arg{"a6", a6}, arg{"t", t}, arg{"z", z}, arg{"q", q},
		arg{"last", last}, arg{"tail", tail}, arg{"w", w})
}

// Arrays longer than one element go to the stack; [1]int does not.
//
//go:noinline
func Arrays(pair [2]int, one [1]int, small [3]int8, after uint16) {
	emit("main.Arrays", arg{"pair", pair}, arg{"one", one}, arg{"small", small},
		arg{"after", after})
}

// The float is in X0, between ints in integer registers.
//
//go:noinline
func Mixed(a int, f float64, b int32, s string) {
	emit("main.Mixed", arg{"a", a}, arg{"f", f}, arg{"b", b}, arg{"s", s})
}

//go:noinline
func Slices(xs []int, b []byte, names []string, empty []int, nilslice []int) {
	emit("main.Slices", arg{"xs", xs}, arg{"b", b}, arg{"names", names}, arg{"empty", empty},
		arg{"nilslice", nilslice})
}

//go:noinline
func Others(m map[string]int, nilmap map[int]bool, ch chan int, fn func() int, up unsafe.Pointer,
	big map[int16]*Inner) {
	emit("main.Others", arg{"m", m}, arg{"nilmap", nilmap}, arg{"ch", ch}, arg{"fn", fn},
		arg{"up", up}, arg{"big", big})
}

//go:noinline
func Ifaces(err error, nilerr error, any interface{}, num interface{}) {
	emit("main.Ifaces", arg{"err", iface(&err)}, arg{"nilerr", iface(&nilerr)},
		arg{"any", iface(&any)}, arg{"num", iface(&num)})
}

// Fifteen floats fill X0-X14; the last two go to the stack.
//
//go:noinline
func Floats(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o float64, p float64, q float32) {
	emit("main.Floats", arg{"a", a}, arg{"b", b}, arg{"c", c}, arg{"d", d}, arg{"e", e},
		arg{"f", f}, arg{"g", g}, arg{"h", h}, arg{"i", i}, arg{"j", j}, arg{"k", k},
		arg{"l", l}, arg{"m", m}, arg{"n", n}, arg{"o", o}, arg{"p", p}, arg{"q", q})
}

// A value-receiver method called through an interface holding *Sig runs
// the compiler's (*Sig).Match wrapper first, whose receiver is a pointer.
type Matcher interface {
	Match(data []byte, n int) string
}

type Sig struct {
	pat string
	off int
}

// a package variable, so the compiler cannot devirtualize the call
var matcher Matcher = &Sig{pat: "ata", off: 1}

//go:noinline
func (s Sig) Match(data []byte, n int) string {
	emit("main.Sig.Match", arg{"s", s}, arg{"data", data}, arg{"n", n})
	found := ""
	if strings.Contains(string(data[s.off:]), s.pat) {
		found = s.pat
	}
	emitReturn("main.Sig.Match", arg{"~r0", found})
	return found
}

// Unnamed results in a function with a defer: DWARF has more than one entry
// for each result.
//
//go:noinline
func Get2(k string) (string, error) {
	emit("main.Get2", arg{"k", k})
	defer func() { helper() }()
	if k == "" {
		err := errors.New("empty key")
		emitReturn("main.Get2", arg{"~r0", ""}, arg{"~r1", iface(&err)})
		return "", err
	}
	var err error
	emitReturn("main.Get2", arg{"~r0", k + "!"}, arg{"~r1", iface(&err)})
	return k + "!", nil
}

//go:noinline
func Div(a, b int) (q, r int) {
	emit("main.Div", arg{"a", a}, arg{"b", b})
	q, r = a/b, a%b
	emitReturn("main.Div", arg{"q", q}, arg{"r", r})
	return
}

//go:noinline
func Pair(x int8, s string) (int8, string) {
	emit("main.Pair", arg{"x", x}, arg{"s", s})
	emitReturn("main.Pair", arg{"~r0", x * 2}, arg{"~r1", s + s})
	return x * 2, s + s
}

// Pointers to types only the linker makes (*int, **string): Go 1.15 gives
// their DWARF no kind.
//
//go:noinline
func Ptrs(p *int, pp **string, nilp *int) {
	emit("main.Ptrs", arg{"p", p}, arg{"pp", pp}, arg{"nilp", nilp})
}

// A variadic function: nums arrives as a []int.
//
//go:noinline
func Variadic(prefix string, nums ...int) {
	emit("main.Variadic", arg{"prefix", prefix}, arg{"nums", nums})
}

func helper() int { return 7 }

func main() {
	loop := flag.Int("loop", 1, "repeat the whole sequence")
	flag.Parse()
	fmt.Printf("{\"pid\":%d}\n", os.Getpid())
	time.Sleep(300 * time.Millisecond)
	long := strings.Repeat("0123456789", 20)
	m := map[string]int{"a": 1, "b": 2, "c": 3}
	ch := make(chan int, 4)
	ch <- 1
	ch <- 2
	big := map[int16]*Inner{}
	for i := int16(0); i < 20; i++ {
		big[i] = &Inner{i, "v"}
	}
	for i := 0; i < *loop; i++ {
		Ints(math.MinInt8, math.MinInt16, math.MinInt32, math.MinInt64, -1, math.MaxUint8, math.MaxUint16, math.MaxUint32)
		Ints(math.MaxInt8, math.MaxInt16, math.MaxInt32, math.MaxInt64, 42, 0, 1, 2)
		Wide(math.MaxUint64, 1<<63, 0xdeadbeef, -9)
		Bools(true, false)
		Strings("", "hello, gotrace", "héllo wörld ✓", long, "bad\xff\xfebytes")
		Named(4000000000, "alice", true)
		o := Outer{Base{7}, 12, Inner{-3, "in"}, "tagged", true}
		Structs(o, &o, nil)
		Chains(&Chain{"first", &Inner{99, "second"}}, &Reading{"kitchen", 21.5, true, complex(1.5, -2), complex(float32(0.25), float32(math.NaN()))})
		c := &Counter{n: 5, name: "hits"}
		c.Add(3)
		c.Get("now")
		Many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
		Spill(1, 2, 3, 4, 5, 6, 7, 8, "spilled", 99)
		SpillStruct(1, 2, 3, 4, 5, 6, Triple{-7, "stacked", math.MaxUint64}, -8,
			&Triple{9, "pointee", 10}, true, [2]uint16{65535, 1}, math.MinInt32)
		Arrays([2]int{-1, 1}, [1]int{5}, [3]int8{1, 2, 3}, 65535)
		Mixed(-5, 2.5, 77, "after float")
		Slices([]int{1, 2, 3}, []byte("hi\x00"), []string{"x", "yy"}, []int{}, nil)
		Others(m, nil, ch, helper, unsafe.Pointer(c), big)
		Ifaces(errors.New("boom"), nil, o.Base, 42)
		Floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, math.Inf(-1), 0.1)
		matcher.Match([]byte("data!"), 7)
		Get2("k")
		Get2("")
		Div(17, 5)
		Pair(-3, "pair")
		n, deep := 42, "deep"
		pdeep := &deep
		Ptrs(&n, &pdeep, nil)
		Variadic("sum", 1, 2, 3)
		Variadic("none")
		callGenerics()
		callFloats()
		callShapes()
		callMaps()
		callTimes()
	}
}
