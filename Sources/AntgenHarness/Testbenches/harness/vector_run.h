// What the two vector-mode Verilator harnesses (harness.cpp for the output-stationary
// array, ws/ws_harness.cpp for the weight-stationary one) do alike: their command line, the
// check that a vector file is for this build, a case's configuration text, sign extension
// of an accumulator and the closing CASE / SUMMARY lines. Include after "ports.h" (ROWS,
// COLS, CODE_W, ACC_W, HAS_INT8) and "vectors.h".
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

// The manifest's first- and last-row latency of one step count T.
struct Latency { int first, last; };

// The vector-mode command line:
//   sim VECTORS [--latency T:FIRST:LAST]... [--bubbles SEED] [--no-reset | --reset-case N]
//               [--trace FILE.fst [--trace-case N]] [--max-print N] [+verilator+...]
struct HarnessOptions {
    const char *vectorPath = nullptr, *tracePath = nullptr;
    std::map<int, Latency> latency;  // by T
    unsigned bubbleSeed = 0;         // 0: no bubbles
    long resetCase = -2;             // -2: the middle case, -1: no reset
    long traceCase = -1, maxPrint = 40;
};

// Parses argv into `options`. `noTrace` names a harness without tracing (it refuses
// --trace / --trace-case: "the <noTrace> harness has no --trace"); nullptr accepts them.
// Returns 0, or 2 after one "harness: error: ..." line on stderr (bad or missing arguments).
static inline int parseHarnessOptions(int argc, char **argv, const char *noTrace, HarnessOptions &options) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char *name) -> const char * {
            if (i + 1 >= argc) { std::fprintf(stderr, "harness: error: %s needs a value\n", name); std::exit(2); }
            return argv[++i];
        };
        if (arg.rfind("+", 0) == 0) continue;  // +verilator+... handled by commandArgs
        else if (arg == "--latency") {
            int t, first, last;
            if (std::sscanf(value("--latency"), "%d:%d:%d", &t, &first, &last) != 3) {
                std::fprintf(stderr, "harness: error: --latency wants T:FIRST:LAST\n"); return 2;
            }
            options.latency[t] = {first, last};
        } else if (arg == "--bubbles") options.bubbleSeed = (unsigned)std::strtoul(value("--bubbles"), nullptr, 10);
        else if (arg == "--no-reset") options.resetCase = -1;
        else if (arg == "--reset-case") options.resetCase = std::strtol(value("--reset-case"), nullptr, 10);
        else if (arg == "--max-print") options.maxPrint = std::strtol(value("--max-print"), nullptr, 10);
        else if (noTrace && (arg == "--trace" || arg == "--trace-case")) {
            std::fprintf(stderr, "harness: error: the %s harness has no %s\n", noTrace, arg.c_str()); return 2;
        } else if (arg == "--trace") options.tracePath = value("--trace");
        else if (arg == "--trace-case") options.traceCase = std::strtol(value("--trace-case"), nullptr, 10);
        else if (!options.vectorPath && arg.rfind("--", 0) != 0) options.vectorPath = argv[i];
        else { std::fprintf(stderr, "harness: error: unknown argument %s\n", argv[i]); return 2; }
    }
    if (!options.vectorPath) { std::fprintf(stderr, "harness: error: no vector file given\n"); return 2; }
    return 0;
}

// Whether `set` (read from `path`) is for this binary's build; prints one
// "harness: error: ..." line on stderr when not.
static inline bool vectorsFitBuild(const VectorSet &set, const char *path) {
#ifdef HAS_INT8
    const uint64_t buildInt8 = 1;
#else
    const uint64_t buildInt8 = 0;
#endif
    if (set.rows == ROWS && set.cols == COLS && set.accWidth == ACC_W && set.codeWidth == CODE_W && set.int8 == buildInt8) return true;
    std::fprintf(stderr, "harness: error: %s is for a %llux%llu %llu-bit W%llu int8 %s array, this binary is %dx%d %d-bit W%d int8 %s\n",
                 path, (unsigned long long)set.rows, (unsigned long long)set.cols, (unsigned long long)set.codeWidth,
                 (unsigned long long)set.accWidth, set.int8 ? "on" : "off", ROWS, COLS, CODE_W, ACC_W, buildInt8 ? "on" : "off");
    return false;
}

// "RxC W<acc><dataflow> act=<mode> weight=<mode> K=<k>", the config= text of MISMATCH and
// LATENCY lines; `dataflow` is "" or " ws".
static inline std::string describeCase(const VectorSet &set, const VectorCase &v, const char *dataflow) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%dx%d W%d%s act=%s weight=%s K=%d", ROWS, COLS, ACC_W, dataflow,
                  modeName(v.actMode, (unsigned)set.codeWidth).c_str(), modeName(v.weightMode, (unsigned)set.codeWidth).c_str(), v.k);
    return buf;
}

// An ACC_W-bit accumulator value as a signed number.
static inline int64_t signExtend(uint64_t raw) {
    if (ACC_W >= 64) return (int64_t)raw;
    return (int64_t)(raw << (64 - ACC_W)) >> (64 - ACC_W);
}

// "CASE c PASS|FAIL" per case (PASS: no mismatch and complete(c), it was fully output),
// then the SUMMARY line. Returns the cases passed.
template <typename Complete>
static inline long printCaseSummary(const std::vector<long> &mismatches, Complete complete, long cycles, long errors,
                                    long latencyExact, long latencyBad) {
    const long nCases = (long)mismatches.size();
    long passed = 0;
    for (long c = 0; c < nCases; ++c) {
        const bool ok = mismatches[c] == 0 && complete(c);
        passed += ok;
        std::printf("CASE %ld %s\n", c, ok ? "PASS" : "FAIL");
    }
    std::printf("SUMMARY cases=%ld passed=%ld failed=%ld cycles=%ld errors=%ld latency_exact=%ld latency_bad=%ld\n",
                nCases, passed, nCases - passed, cycles, errors, latencyExact, latencyBad);
    return passed;
}
