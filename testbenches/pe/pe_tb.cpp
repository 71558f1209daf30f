// Drives the generated ProcessingElement (built with --prefix Vdut) one cycle per
// input line and prints what it observes. Input lines (stdin), applied before a
// rising edge:
//   valid first last a_sign a_mant a_exp w_sign w_mant w_exp drain_start drain_chain_in drain_in
// Output, one line per cycle, sampled before that edge:
//   result drain_chain_out out_valid out_first out_last a_sign a_mant a_exp w_sign w_mant w_exp
// The first two cycles are reset (no input consumed). The Swift test computes
// every expectation; this file checks nothing.
#include <cstdio>
#include "Vdut.h"

int main() {
    Vdut dut;
    dut.clock = 0;
    dut.reset = 1;
    for (int i = 0; i < 2; ++i) { dut.clock = 0; dut.eval(); dut.clock = 1; dut.eval(); }
    dut.reset = 0;
    unsigned v, f, l, as, am, ae, ws, wm, we, ds, dc;
    unsigned long long din;
    while (std::scanf("%u %u %u %u %u %u %u %u %u %u %u %llu", &v, &f, &l, &as, &am, &ae, &ws, &wm, &we,
                      &ds, &dc, &din) == 12) {
        dut.in_valid = v; dut.in_first = f; dut.in_last = l;
        dut.a_sign = as; dut.a_mant = am; dut.a_exp = ae;
        dut.w_sign = ws; dut.w_mant = wm; dut.w_exp = we;
        dut.drain_start = ds; dut.drain_chain_in = dc; dut.drain_in = din;
        dut.clock = 0;
        dut.eval();
        std::printf("%llu %d %d %d %d %d %d %d %d %d %d\n", (unsigned long long)dut.result_out,
                    (int)dut.drain_chain_out, (int)dut.out_valid, (int)dut.out_first, (int)dut.out_last,
                    (int)dut.a_sign_out, (int)dut.a_mant_out, (int)dut.a_exp_out,
                    (int)dut.w_sign_out, (int)dut.w_mant_out, (int)dut.w_exp_out);
        dut.clock = 1;
        dut.eval();
    }
    dut.final();
    return 0;
}
