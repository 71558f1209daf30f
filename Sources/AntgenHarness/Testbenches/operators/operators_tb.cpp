// Reads input vectors "a b s t sel" (decimal, s and t signed) from stdin, applies each
// to the combinational Operators module, and prints its outputs as unsigned decimal
// bit patterns, one line per vector. The Swift test computes the expected values.
#include <cstdio>
#include <cstdint>
#include "VOperators.h"

int main() {
    VOperators dut;
    long a, b, s, t, sel;
    while (std::scanf("%ld %ld %ld %ld %ld", &a, &b, &s, &t, &sel) == 5) {
        dut.a = a; dut.b = b; dut.s = s & 0x1F; dut.t = t & 0x7; dut.sel = sel;
        dut.eval();
        std::printf("%u %u %u %u %u %u %u %u %u %u %u %u %u %u %u\n",
            dut.add, dut.wrap, dut.diff, dut.sprod, dut.uprod, dut.neg, dut.cmp,
            dut.dshl, dut.dshr, dut.lshr, dut.shr, dut.lz, dut.mag, dut.first, dut.pick);
    }
    dut.final();
    return 0;
}
