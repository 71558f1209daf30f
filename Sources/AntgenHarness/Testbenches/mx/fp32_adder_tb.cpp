// Drives the generated Fp32Adder (combinational, built with --prefix Vdut): one input
// line "A B" (binary32 bit patterns in hex) per sum, one output line with a + b in hex.
// The Swift test computes every expectation with Float addition; this file checks nothing.
#include <cstdio>
#include "Vdut.h"

int main() {
    Vdut dut;
    unsigned a, b;
    while (std::scanf("%x %x", &a, &b) == 2) {
        dut.a = a;
        dut.b = b;
        dut.eval();
        std::printf("%08x\n", (unsigned)dut.sum);
    }
    return 0;
}
