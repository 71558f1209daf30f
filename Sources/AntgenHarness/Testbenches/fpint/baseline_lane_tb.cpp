// Drives the generated MixedPrecisionBaselineLane (built with --prefix Vdut), one dot
// product per input line: "mode K a_0 b_0 … a_{K-1} b_{K-1}" (16-bit codes in hex, mode
// 0 INT4, 1 INT8, 2 FP16, 3 BF16). The products are fed one per clock, `first` on the
// first; between products a cycle with valid low must leave the accumulators alone.
// Prints one line per dot product: "int4_acc int8_acc fp_acc" in hex (the integer
// accumulators as their 32-bit two's-complement patterns).
// The Swift test computes every expectation; this file checks nothing.
#include <cstdio>
#include "Vdut.h"

static void tick(Vdut &dut) {
    dut.clock = 0; dut.eval();
    dut.clock = 1; dut.eval();
}

int main() {
    Vdut dut;
    dut.reset = 1; dut.valid = 0; dut.first = 0; dut.mode = 0; dut.a = 0; dut.b = 0;
    for (int i = 0; i < 3; ++i) tick(dut);
    dut.reset = 0;
    unsigned mode = 0, count = 0;
    while (std::scanf("%u %u", &mode, &count) == 2) {
        dut.mode = mode;
        for (unsigned k = 0; k < count; ++k) {
            unsigned a = 0, b = 0;
            if (std::scanf("%x %x", &a, &b) != 2) return 2;
            dut.valid = 1; dut.first = k == 0; dut.a = a; dut.b = b;
            tick(dut);
            // An idle cycle with garbage operands: nothing may change.
            dut.valid = 0; dut.first = 1; dut.a = a ^ 0xFFFF; dut.b = b ^ 0x5A5A;
            tick(dut);
        }
        std::printf("%08x %08x %08x\n", (unsigned)dut.int4_acc, (unsigned)dut.int8_acc, (unsigned)dut.fp_acc);
    }
    return 0;
}
