// Drives the generated PwlqProcessingElement (built with --prefix Vdut) one cycle per input
// line and prints what it observes. Arguments: am ae wb acc (activation mantissa and shift
// widths, weight code width b, accumulator width W; 3W + 1 <= 64). Buses: a_in {sign,
// mantissa, shift}, w_in {region, sign, magnitude}, ctrl_in {last, first, valid}, drain
// {shift, offset, tail, centre}. Input lines (stdin), applied before a rising edge:
//   valid first last a_sign a_mant a_shift w_region w_sign w_mag drain_start drain_shift centre tail offset
// Output, one line per cycle, sampled before that edge:
//   drain_out.centre drain_out.tail drain_out.offset drain_out.shift
// The first two cycles are reset. The Swift test computes every expectation.
#include <cstdio>
#include <cstdlib>
#include "Vdut.h"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s am ae wb acc\n", argv[0]);
        return 2;
    }
    const int am = std::atoi(argv[1]), ae = std::atoi(argv[2]), wb = std::atoi(argv[3]), acc = std::atoi(argv[4]);
    const unsigned long long mask = (1ull << acc) - 1;
    Vdut dut;
    dut.reset = 1;
    for (int i = 0; i < 2; ++i) { dut.clock = 0; dut.eval(); dut.clock = 1; dut.eval(); }
    dut.reset = 0;
    unsigned v, f, l, as, amv, aev, wr, ws, wm, ds, dc;
    unsigned long long c, t, o;
    while (std::scanf("%u %u %u %u %u %u %u %u %u %u %u %llu %llu %llu", &v, &f, &l, &as, &amv, &aev, &wr, &ws, &wm,
                      &ds, &dc, &c, &t, &o) == 14) {
        dut.ctrl_in = (l << 2) | (f << 1) | v;
        dut.a_in = (as << (am + ae)) | (amv << ae) | aev;
        dut.w_in = (wr << wb) | (ws << (wb - 1)) | wm;
        dut.drain_start = ds;
        dut.drain_in = ((unsigned long long)dc << (3 * acc)) | ((o & mask) << (2 * acc)) | ((t & mask) << acc) | (c & mask);
        dut.clock = 0;
        dut.eval();
        const unsigned long long d = dut.drain_out;
        std::printf("%llu %llu %llu %llu\n", d & mask, (d >> acc) & mask, (d >> (2 * acc)) & mask, d >> (3 * acc));
        dut.clock = 1;
        dut.eval();
    }
    dut.final();
    return 0;
}
