// Exhaustive sweep of the generated OperandDecoder (built with --prefix Vdut):
// every code of the port width, every type select, both signednesses and, when
// built with -DHAS_INT8, both int8 modes and both nibble terms. Prints one line per
// input combination: "code type signed int8 high sign mant exp". The Swift test
// compares each line with its own model of spec §2; nothing is checked here.
#include <cstdio>
#include <cstdlib>
#include "Vdut.h"

int main(int argc, char **argv) {
    const int codeBits = argc > 1 ? std::atoi(argv[1]) : 4;
    Vdut dut;
#ifdef HAS_INT8
    const int int8Modes = 2;
#else
    const int int8Modes = 1;
#endif
    for (int code = 0; code < (1 << codeBits); ++code)
        for (int type = 0; type < 4; ++type)
            for (int sgn = 0; sgn < 2; ++sgn)
                for (int int8 = 0; int8 < int8Modes; ++int8)
                    for (int high = 0; high < int8Modes; ++high) {
                        dut.code = code;
                        dut.type_sel = type;
                        dut.signed_mode = sgn;
#ifdef HAS_INT8
                        dut.int8_mode = int8;
                        dut.term_high = high;
#endif
                        dut.eval();
                        std::printf("%d %d %d %d %d %d %d %d\n", code, type, sgn, int8, high,
                                    (int)dut.sign, (int)dut.mant, (int)dut.exp);
                    }
    dut.final();
    return 0;
}
