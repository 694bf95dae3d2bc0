package main

import "math"

// Floats in X registers under the register ABI (Go 1.17 on): arguments and
// results, alone, among integers, complex, named, in structs. gotrace reads
// them from the signal frame of a SIGURG it sends the thread.

type Celsius float64
type Ratio float32

type Vec struct {
	X, Y float64
}

type Spin struct {
	A float32
	B float64
}

// Embedded Vec, nested Spin: five floats and an int, all in registers.
type Particle struct {
	Vec
	Mass float32
	Tag  int
	Spin Spin
}

// Fifteen float32s fill X0-X14; the sixteenth goes to the stack.
//
//go:noinline
func Floats32(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p float32) (float32, float64) {
	emit("main.Floats32", arg{"a", a}, arg{"b", b}, arg{"c", c}, arg{"d", d}, arg{"e", e},
		arg{"f", f}, arg{"g", g}, arg{"h", h}, arg{"i", i}, arg{"j", j}, arg{"k", k},
		arg{"l", l}, arg{"m", m}, arg{"n", n}, arg{"o", o}, arg{"p", p})
	s := a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p
	emitReturn("main.Floats32", arg{"~r0", s}, arg{"~r1", float64(s) / 3})
	return s, float64(s) / 3
}

//go:noinline
func Interleaved(a int, x float32, b int8, y float64, s string, z float32) (float64, int, float32) {
	emit("main.Interleaved", arg{"a", a}, arg{"x", x}, arg{"b", b}, arg{"y", y}, arg{"s", s},
		arg{"z", z})
	emitReturn("main.Interleaved", arg{"~r0", y * 2}, arg{"~r1", a + int(b)}, arg{"~r2", x - z})
	return y * 2, a + int(b), x - z
}

//go:noinline
func Complex(c64 complex64, n int, c128 complex128) (complex128, complex64) {
	emit("main.Complex", arg{"c64", c64}, arg{"n", n}, arg{"c128", c128})
	r := c128 * complex(float64(n), 0)
	emitReturn("main.Complex", arg{"~r0", r}, arg{"~r1", c64 + 1})
	return r, c64 + 1
}

//go:noinline
func NamedFloats(t Celsius, r Ratio) (f Celsius) {
	emit("main.NamedFloats", arg{"t", t}, arg{"r", r})
	f = t*9/5 + 32
	emitReturn("main.NamedFloats", arg{"f", f})
	return f
}

//go:noinline
func FloatStructs(p Particle, v Vec) (Vec, Particle) {
	emit("main.FloatStructs", arg{"p", p}, arg{"v", v})
	w := Vec{p.X + v.X, p.Y - v.Y}
	p.Mass *= 2
	p.Spin.B = -p.Spin.B
	emitReturn("main.FloatStructs", arg{"~r0", w}, arg{"~r1", p})
	return w, p
}

func callFloats() {
	Floats32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1e6, 100, 0.5, -0.25)
	Interleaved(-7, 1.25, 3, math.Pi, "between", float32(math.Inf(1)))
	Complex(complex(float32(0.5), -1), 3, complex(-2.25, math.MaxFloat64))
	NamedFloats(-40, 0.75)
	FloatStructs(Particle{Vec{1.5, -2.5}, 0.125, 42, Spin{3.5, math.SmallestNonzeroFloat64}},
		Vec{-0.0, 1e300})
	ScaleFloat64()
}
