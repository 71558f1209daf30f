// antgen verification harness for the AntArray top (Verilator, --prefix Vdut).
//
//   sim --stream   (antgen run: tiles on standard input, results on standard output; stream.h)
//   sim VECTORS [--latency T:FIRST:LAST]... [--bubbles SEED] [--no-reset | --reset-case N]
//               [--trace FILE.fst [--trace-case N]] [--max-print N] [+verilator+...]
//
// Reads a golden vector file (docs/verification.md), drives the documented protocol
// (docs/architecture.md §4): beats back to back with no idle cycles (unless --bubbles),
// one tile per case, and a synchronous reset in the middle of the stream (half-way
// through case N, default the middle case), after which every case not yet fully
// output is driven again. Checks every output row and column against the file and
// the first/last-row latency against the manifest's (exact when K·T >= rows, when no
// stall can occur; a lower bound otherwise). Build-specific port access comes from
// "ports.h", which the runner writes (ROWS, COLS, ACC_W, HAS_INT8, set_a/set_w/get_out).
//
// stdout: "MISMATCH ..." / "LATENCY ..." / "ERROR ..." lines, "CASE id PASS|FAIL",
// then "SUMMARY cases=.. passed=.. failed=.. cycles=.. ...". Exit 0 when everything
// matched, 1 on any mismatch, 2 on bad arguments or vector files.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "Vdut.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif
#include "ports.h"
#include "vectors.h"
#include "vector_run.h"
#include "stream.h"

int main(int argc, char **argv) {
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    if (argc >= 2 && std::string(argv[1]) == "--stream") return runStream(context.get());  // antgen run (stream.h)
    HarnessOptions options;
    if (const int status = parseHarnessOptions(argc, argv, nullptr, options)) return status;
    const char *vectorPath = options.vectorPath, *tracePath = options.tracePath;
    const std::map<int, Latency> &latency = options.latency;
    const unsigned bubbleSeed = options.bubbleSeed;
    long resetCase = options.resetCase;
    const long traceCase = options.traceCase, maxPrint = options.maxPrint;
    VectorSet set;
    if (!readVectors(vectorPath, set)) return 2;
    if (!vectorsFitBuild(set, vectorPath)) return 2;
    const long nCases = (long)set.cases.size();
    if (resetCase == -2) resetCase = nCases >= 2 ? nCases / 2 : -1;

    struct Beat { int c, k; bool last; };
    std::vector<Beat> beats;
    std::vector<size_t> firstBeat;
    for (int c = 0; c < nCases; ++c) {
        firstBeat.push_back(beats.size());
        for (int k = 0; k < set.cases[c].k; ++k) beats.push_back({c, k, k == set.cases[c].k - 1});
    }
    const size_t resetBeat = resetCase >= 0 && resetCase < nCases ? firstBeat[resetCase] + set.cases[resetCase].k / 2 : (size_t)-1;

    auto dut = std::make_unique<Vdut>(context.get());
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> trace;
    if (tracePath) {
        context->traceEverOn(true);
        trace = std::make_unique<VerilatedFstC>();
        dut->trace(trace.get(), 99);
        trace->open(tracePath);
    }
#else
    if (tracePath) { std::fprintf(stderr, "harness: error: this binary was built without --trace-fst\n"); return 2; }
#endif
    uint64_t time = 0;
    long doneCount = 0;
    auto tick = [&](bool dump) {
        dut->clock = 1; dut->eval();
#if VM_TRACE
        if (trace && dump) trace->dump(time);
#endif
        ++time;
        dut->clock = 0; dut->eval();
#if VM_TRACE
        if (trace && dump) trace->dump(time);
#endif
        ++time;
        (void)dump;
    };
    auto inTraceWindow = [&](size_t position) {
        if (traceCase < 0) return true;
        const long feeding = position < beats.size() ? beats[position].c : nCases;
        return feeding >= traceCase - 1 && doneCount <= traceCase;
    };
    auto holdReset = [&](int cycles) {
        dut->reset = 1; dut->in_valid = 0;
        for (int i = 0; i < cycles; ++i) { dut->clock = 0; dut->eval(); tick(inTraceWindow(0)); }
        dut->reset = 0;
    };
    dut->clock = 0;
    holdReset(3);

    std::vector<long> lastAccept(nCases, -1), firstRowCycle(nCases, -1), mismatches(nCases, 0);
    std::deque<int> pending;
    int expectRow = ROWS - 1;
    size_t position = 0;
    bool resetDone = resetBeat == (size_t)-1;
    long printed = 0, errors = 0, latencyExact = 0, latencyBad = 0, lastProgress = 0, cycle = 0;
    uint32_t rng = bubbleSeed ? bubbleSeed : 1;
    auto next = [&rng]() { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; };
    auto describe = [&](int c) { return describeCase(set, set.cases[c], ""); };
    const long hangLimit = 64L * (ROWS + COLS) + 1000;

    for (; doneCount < nCases; ++cycle) {
        if (!resetDone && position == resetBeat) {
            holdReset(2);
            resetDone = true;
            pending.clear();
            expectRow = ROWS - 1;
            position = firstBeat[doneCount];
            lastProgress = cycle;
            std::printf("RESET cycle=%ld restart_case=%ld\n", cycle, doneCount);
        }
        const bool bubble = bubbleSeed != 0 && next() % 8 == 0;
        const bool offer = position < beats.size() && !bubble;
        dut->in_valid = offer;
        if (position < beats.size()) {
            const Beat &b = beats[position];
            const VectorCase &v = set.cases[b.c];
            dut->in_last = b.last;
            for (int i = 0; i < ROWS; ++i) set_a(*dut, i, v.a[b.k][i]);
            for (int j = 0; j < COLS; ++j) set_w(*dut, j, v.w[b.k][j]);
            dut->cfg_act_type = v.actMode & 3; dut->cfg_act_signed = (v.actMode >> 4) & 1;
            dut->cfg_weight_type = v.weightMode & 3; dut->cfg_weight_signed = (v.weightMode >> 4) & 1;
#ifdef HAS_INT8
            dut->cfg_act_int8 = (v.actMode >> 8) & 1; dut->cfg_weight_int8 = (v.weightMode >> 8) & 1;
#endif
        }
        dut->clock = 0;
        dut->eval();
        if (offer && dut->in_ready) {
            const Beat &b = beats[position];
            if (b.last) { pending.push_back(b.c); lastAccept[b.c] = cycle; }
            ++position;
            lastProgress = cycle;
        }
        if (dut->out_valid) {
            lastProgress = cycle;
            if (pending.empty()) {
                ++errors;
                if (printed++ < maxPrint) std::printf("ERROR cycle=%ld out_valid with no tile in flight (row %d)\n", cycle, (int)dut->out_row);
            } else {
                const int c = pending.front();
                const VectorCase &v = set.cases[c];
                const int row = (int)dut->out_row;
                if (row != expectRow) {
                    ++mismatches[c];
                    if (printed++ < maxPrint)
                        std::printf("MISMATCH case=%llu out_row expected=%d got=%d config=%s\n", (unsigned long long)v.id, expectRow, row, describe(c).c_str());
                }
                for (int j = 0; j < COLS; ++j) {
                    const uint64_t got = get_out(*dut, j);
                    const uint64_t want = v.expected[(size_t)expectRow * COLS + j];
                    if (got != want) {
                        ++mismatches[c];
                        if (printed++ < maxPrint)
                            std::printf("MISMATCH case=%llu row=%d col=%d expected=0x%llx (%lld) got=0x%llx (%lld) config=%s\n",
                                        (unsigned long long)v.id, expectRow, j, (unsigned long long)want, (long long)signExtend(want),
                                        (unsigned long long)got, (long long)signExtend(got), describe(c).c_str());
                    }
                }
                auto checkLatency = [&](const char *which, long observed, int manifest) {
                    const bool exact = (long)v.k * v.terms() >= ROWS;
                    const bool ok = exact ? observed == manifest : observed >= manifest;
                    if (exact) ++latencyExact;
                    if (!ok) {
                        ++latencyBad; ++mismatches[c];
                        if (printed++ < maxPrint)
                            std::printf("LATENCY case=%llu %s-row observed=%ld manifest=%d T=%d config=%s\n", (unsigned long long)v.id,
                                        which, observed, manifest, v.terms(), describe(c).c_str());
                    }
                };
                const auto spec = latency.find(v.terms());
                if (expectRow == ROWS - 1) {
                    firstRowCycle[c] = cycle;
                    if (spec != latency.end()) checkLatency("first", cycle - lastAccept[c], spec->second.first);
                }
                if (expectRow == 0) {
                    if (spec != latency.end()) checkLatency("last", cycle - lastAccept[c], spec->second.last);
                    pending.pop_front();
                    ++doneCount;
                    expectRow = ROWS - 1;
                } else {
                    --expectRow;
                }
            }
        }
        tick(inTraceWindow(position));
        if (cycle - lastProgress > hangLimit) {
            ++errors;
            std::printf("ERROR cycle=%ld no progress for %ld cycles: case %ld never completed\n", cycle, hangLimit, doneCount);
            break;
        }
    }
    // A few idle cycles: nothing may come out after the last tile.
    dut->in_valid = 0;
    for (int i = 0; i < 2 * (ROWS + COLS) + 8; ++i) {
        dut->clock = 0; dut->eval();
        if (dut->out_valid) { ++errors; if (printed++ < maxPrint) std::printf("ERROR cycle=%ld unexpected out_valid after the last tile\n", cycle + i); }
        tick(traceCase < 0);
    }
    const long passed = printCaseSummary(mismatches, [&](long c) { return c < doneCount; }, cycle, errors, latencyExact, latencyBad);
#if VM_TRACE
    if (trace) trace->close();
#endif
    dut->final();
    return (passed == nCases && errors == 0) ? 0 : 1;
}
