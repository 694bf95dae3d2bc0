#include "textflag.h"

// func Mix(a int64, b int32, s string, c uint8) int64
// ABI0 frame: a+0(FP) b+8(FP) s+16(FP) (ptr, len) c+32(FP) ret+40(FP)
TEXT ·Mix(SB), NOSPLIT, $0-48
	MOVQ a+0(FP), AX
	MOVLQSX b+8(FP), BX
	ADDQ BX, AX
	MOVQ s_len+24(FP), BX
	ADDQ BX, AX
	MOVBQZX c+32(FP), BX
	ADDQ BX, AX
	MOVQ AX, ret+40(FP)
	RET
