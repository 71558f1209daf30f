// Drives the generated AntArray top (built with --prefix Vdut) through the
// documented protocol (docs/architecture.md) and prints what it observes.
// Port access for the build's rows/cols comes from "ports.h", which the Swift
// test writes next to the RTL (set_a, set_w, get_out, ROWS, COLS, HAS_INT8).
// stdin: "bubble_seed ntiles", then per tile
//   "K act_type act_signed act_int8 weight_type weight_signed weight_int8"
//   and K lines "a_0 … a_{ROWS-1} w_0 … w_{COLS-1}" (codes).
// stdout: "accept cycle tile k" for every accepted beat and
//   "out cycle row d_0 … d_{COLS-1}" for every cycle with out_valid.
// With a non-zero seed, in_valid drops in about 1 of 8 cycles (bubbles).
// The Swift test computes every expectation; this file checks nothing.
#include <cstdio>
#include <cstdint>
#include <vector>
#include "Vdut.h"
#include "ports.h"

struct Beat { int tile, k, last; int cfg[6]; std::vector<unsigned> a, w; };

int main() {
    unsigned seed = 0;
    int tiles = 0;
    if (std::scanf("%u %d", &seed, &tiles) != 2) return 2;
    std::vector<Beat> beats;
    for (int t = 0; t < tiles; ++t) {
        int K; int cfg[6];
        if (std::scanf("%d %d %d %d %d %d %d", &K, &cfg[0], &cfg[1], &cfg[2], &cfg[3], &cfg[4], &cfg[5]) != 7) return 2;
        for (int k = 0; k < K; ++k) {
            Beat b; b.tile = t; b.k = k; b.last = k == K - 1;
            for (int c = 0; c < 6; ++c) b.cfg[c] = cfg[c];
            b.a.resize(ROWS); b.w.resize(COLS);
            for (int i = 0; i < ROWS; ++i) if (std::scanf("%u", &b.a[i]) != 1) return 2;
            for (int j = 0; j < COLS; ++j) if (std::scanf("%u", &b.w[j]) != 1) return 2;
            beats.push_back(b);
        }
    }
    uint32_t state = seed ? seed : 1;
    auto next = [&state]() { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; };
    Vdut dut;
    dut.clock = 0;
    dut.reset = 1;
    dut.in_valid = 0;
    for (int i = 0; i < 3; ++i) { dut.clock = 0; dut.eval(); dut.clock = 1; dut.eval(); }
    dut.reset = 0;
    size_t position = 0;
    long outputs = 0;
    const long expectedOutputs = (long)tiles * ROWS;
    for (long cycle = 0; cycle < 200000 && outputs < expectedOutputs; ++cycle) {
        const bool bubble = seed != 0 && next() % 8 == 0;
        const bool offer = position < beats.size() && !bubble;
        dut.in_valid = offer;
        if (position < beats.size()) {
            const Beat &b = beats[position];
            dut.in_last = b.last;
            for (int i = 0; i < ROWS; ++i) set_a(dut, i, b.a[i]);
            for (int j = 0; j < COLS; ++j) set_w(dut, j, b.w[j]);
            dut.cfg_act_type = b.cfg[0]; dut.cfg_act_signed = b.cfg[1];
            dut.cfg_weight_type = b.cfg[3]; dut.cfg_weight_signed = b.cfg[4];
#ifdef HAS_INT8
            dut.cfg_act_int8 = b.cfg[2]; dut.cfg_weight_int8 = b.cfg[5];
#endif
        }
        dut.clock = 0;
        dut.eval();
        if (offer && dut.in_ready) {
            std::printf("accept %ld %d %d\n", cycle, beats[position].tile, beats[position].k);
            ++position;
        }
        if (dut.out_valid) {
            std::printf("out %ld %d", cycle, (int)dut.out_row);
            for (int j = 0; j < COLS; ++j) std::printf(" %lld", (long long)get_out(dut, j));
            std::printf("\n");
            ++outputs;
        }
        dut.clock = 1;
        dut.eval();
    }
    dut.final();
    return 0;
}
