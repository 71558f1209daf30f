// Drives the generated ProcessingElement (built with --prefix Vdut) one cycle per
// input line and prints what it observes. Arguments: the mantissa and shift widths
// of the activation and weight buses and the accumulator width (am ae wm we acc, acc < 64);
// each operand bus is {sign, mantissa, shift}, the control bus {last, first, valid} and
// the drain link {shift, data}. Input lines (stdin), applied before a
// rising edge:
//   valid first last a_sign a_mant a_exp w_sign w_mant w_exp drain_start drain_in.shift drain_in.data
// Output, one line per cycle, sampled before that edge:
//   drain_out.data drain_out.shift out_valid out_first out_last a_sign a_mant a_exp w_sign w_mant w_exp
// The first two cycles are reset (no input consumed). The Swift test computes
// every expectation; this file checks nothing.
#include <cstdio>
#include <cstdlib>
#include "Vdut.h"

static unsigned pack(unsigned sign, unsigned mant, unsigned shift, int mw, int ew) {
    return (sign << (mw + ew)) | (mant << ew) | shift;
}

static unsigned field(unsigned bus, int low, int width) { return (bus >> low) & ((1u << width) - 1); }

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s am ae wm we acc\n", argv[0]);
        return 2;
    }
    const int am = std::atoi(argv[1]), ae = std::atoi(argv[2]), wm = std::atoi(argv[3]), we = std::atoi(argv[4]);
    const int acc = std::atoi(argv[5]);
    const unsigned long long dataMask = (1ull << acc) - 1;
    Vdut dut;
    dut.clock = 0;
    dut.reset = 1;
    for (int i = 0; i < 2; ++i) { dut.clock = 0; dut.eval(); dut.clock = 1; dut.eval(); }
    dut.reset = 0;
    unsigned v, f, l, as, amv, aev, ws, wmv, wev, ds, dc;
    unsigned long long din;
    while (std::scanf("%u %u %u %u %u %u %u %u %u %u %u %llu", &v, &f, &l, &as, &amv, &aev, &ws, &wmv, &wev,
                      &ds, &dc, &din) == 12) {
        dut.ctrl_in = (l << 2) | (f << 1) | v;
        dut.a_in = pack(as, amv, aev, am, ae);
        dut.w_in = pack(ws, wmv, wev, wm, we);
        dut.drain_start = ds; dut.drain_in = ((unsigned long long)dc << acc) | (din & dataMask);
        dut.clock = 0;
        dut.eval();
        const unsigned a = dut.a_out, w = dut.w_out, c = dut.ctrl_out;
        const unsigned long long drain = dut.drain_out;
        std::printf("%llu %d %u %u %u %u %u %u %u %u %u\n", drain & dataMask,
                    (int)(drain >> acc), field(c, 0, 1), field(c, 1, 1), field(c, 2, 1),
                    field(a, am + ae, 1), field(a, ae, am), field(a, 0, ae),
                    field(w, wm + we, 1), field(w, we, wm), field(w, 0, we));
        dut.clock = 1;
        dut.eval();
    }
    dut.final();
    return 0;
}
