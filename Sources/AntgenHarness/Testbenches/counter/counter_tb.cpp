// Drives the generated Counter with pseudo-random enable and reset for N cycles
// and prints, per cycle, the inputs applied before the rising edge and the count
// observed before it: "cycle reset enable count". The Swift test checks every
// line against its own model of the counter; this file computes no expectation.
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include "VCounter_width8.h"

int main(int argc, char **argv) {
    const unsigned long cycles = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
    uint32_t state = argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 1;
    auto next = [&state]() {  // xorshift32: reproducible, no library dependence
        state ^= state << 13; state ^= state >> 17; state ^= state << 5;
        return state;
    };
    VCounter_width8 dut;
    dut.clock = 0;
    for (unsigned long cycle = 0; cycle < cycles; ++cycle) {
        // Reset in the first two cycles and then in about 2% of cycles.
        dut.reset = cycle < 2 || next() % 50 == 0;
        dut.enable = next() % 4 != 0;
        dut.clock = 0;
        dut.eval();
        std::printf("%lu %d %d %u\n", cycle, dut.reset, dut.enable, static_cast<unsigned>(dut.count));
        dut.clock = 1;
        dut.eval();
    }
    dut.final();
    return 0;
}
