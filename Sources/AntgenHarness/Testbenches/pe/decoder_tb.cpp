// Exhaustive sweep of the generated OperandDecoder (built with --prefix Vdut):
// every code of the port width, every type select, both signednesses and, when
// built with -DHAS_INT8, both int8 modes and both nibble terms. Prints one line per
// input combination: "code type signed int8 high sign mant exp", unpacked from the
// decoded operand bundle {sign, mantissa, shift} with the widths given as arguments
// (code bits, mantissa bits, shift bits). The Swift test compares each line with its
// own model of docs/numeric-formats.md §2; nothing is checked here.
#include <cstdio>
#include <cstdlib>
#include "Vdut.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s code_bits mantissa_bits shift_bits\n", argv[0]);
        return 2;
    }
    const int codeBits = std::atoi(argv[1]), mantBits = std::atoi(argv[2]), shiftBits = std::atoi(argv[3]);
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
                        const unsigned d = dut.decoded;
                        std::printf("%d %d %d %d %d %u %u %u\n", code, type, sgn, int8, high,
                                    (d >> (mantBits + shiftBits)) & 1u, (d >> shiftBits) & ((1u << mantBits) - 1),
                                    d & ((1u << shiftBits) - 1));
                    }
    dut.final();
    return 0;
}
