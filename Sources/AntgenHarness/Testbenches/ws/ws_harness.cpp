// antgen harness for the weight-stationary WsArray top (Verilator, --prefix Vdut):
// docs/architecture.md §10 is the protocol it drives.
//
//   sim VECTORS [--latency T:FIRST:LAST]... [--bubbles SEED] [--no-reset | --reset-case N]
//       [--max-print N] [+verilator+...]
//   sim --stream      (antgen run --dataflow ws: weight tiles on standard input)
//
// Vector mode reads the same golden vector files as harness.cpp (docs/verification.md) and
// runs each case (A: rows × K, W: K × cols) as a weight-stationary GEMM: for every chunk of
// `rows` reduction indices, `rows` load beats (W rows k0 + rows − 1 down to k0, code 0 beyond
// K), then `rows` compute beats (vector m carries A[m][k0 + r] on a_code_r). Each compute
// beat's output row is a partial sum; the harness adds the chunks' partial sums modulo 2^W
// (exact: addition modulo 2^W is associative) and compares the total with the file's
// expected values. Every output row's latency is checked against the manifest's
// (--latency T:L:L, L = T + rows + cols + 1: exact, compute beats never stall).
// As in harness.cpp, a synchronous reset (2 cycles) half-way through the beats of case N
// (default the middle case; --no-reset for none) discards every row in flight, and every
// case not yet fully output is driven again from its first load beat: the array must
// recover and the replayed and later cases must be bit-exact.
//
// Stream mode: "WTILE <id> <M> <act mode> <weight mode>" (hex modes), then ROWS lines of COLS
// hex weight codes (W[k0 + r][j], r = 0 … ROWS − 1), then M lines of ROWS hex activation codes,
// … "END". Answers "RESULT <id> first_beat=c last_beat=c first_row=c last_row=c" and M lines
// "ROW <m> <hex> …" (the partial sums), then "SUMMARY tiles=n cycles=c … errors=e".
//
// stdout as harness.cpp: MISMATCH / LATENCY / ERROR lines, CASE id PASS|FAIL, SUMMARY.
// Exit 0 when everything matched, 1 on a mismatch, 2 on bad arguments or files.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include "Vdut.h"
#include "verilated.h"
#include "ports.h"
#include "vectors.h"
#include "vector_run.h"

static const uint64_t MASK = ACC_W >= 64 ? ~0ULL : ((1ULL << ACC_W) - 1);

// One beat of the input stream and, for compute beats, where its output row goes.
struct Beat {
    bool load = false;
    unsigned actMode = 0, weightMode = 0;
    std::vector<uint64_t> codes;  // ROWS activation codes or COLS weight codes
    long group = 0;               // the case (vector mode) or tile (stream mode)
    long tag = -1;                // compute beats: the output row's index in its group
    bool lastOfGroup = false;
};

// Drives the beats `nextBeat` hands out back to back (optional bubbles); calls
// onAccept(beat, cycle) for every accepted beat and onRow(beat, row, latency, cycle) for
// every output row (matched to compute beats in order). Returns the cycles simulated.
// `resetDue()` is asked before every beat is fetched (the previous one accepted): true
// resets the array (2 cycles) and drops the rows in flight, and fetching continues (the
// caller has rewound its beats).
template <typename NextBeat, typename OnAccept, typename OnRow, typename ResetDue>
static long drive(Vdut &dut, NextBeat nextBeat, OnAccept onAccept, OnRow onRow, ResetDue resetDue, unsigned bubbleSeed, long &errors) {
    struct Pending { Beat beat; long accept; };
    std::deque<Pending> pending;
    Beat current;
    bool have = false, ended = false;
    long cycle = 0, lastProgress = 0;
    uint32_t rng = bubbleSeed ? bubbleSeed : 1;
    auto next = [&rng]() { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; };
    const long hangLimit = 64L * (ROWS + COLS) + 1000;
    auto tick = [&]() { dut.clock = 1; dut.eval(); dut.clock = 0; dut.eval(); };
    while (true) {
        if (!have && !ended && resetDue()) {
            dut.reset = 1; dut.in_valid = 0;
            for (int i = 0; i < 2; ++i) tick();
            dut.reset = 0;
            pending.clear();
            lastProgress = cycle;
        }
        if (!have && !ended) { have = nextBeat(current); ended = !have; lastProgress = cycle; }
        if (!have && ended && pending.empty()) break;
        const bool offer = have && !(bubbleSeed && next() % 8 == 0);
        dut.in_valid = offer;
        if (have) {
            dut.in_load = current.load;
            for (int i = 0; i < ROWS; ++i) set_a(dut, i, current.load ? 0 : current.codes[i]);
            for (int j = 0; j < COLS; ++j) set_w(dut, j, current.load ? current.codes[j] : 0);
            dut.cfg_act_type = current.actMode & 3; dut.cfg_act_signed = (current.actMode >> 4) & 1;
            dut.cfg_weight_type = current.weightMode & 3; dut.cfg_weight_signed = (current.weightMode >> 4) & 1;
#ifdef HAS_INT8
            dut.cfg_act_int8 = (current.actMode >> 8) & 1; dut.cfg_weight_int8 = (current.weightMode >> 8) & 1;
#endif
        }
        dut.eval();
        if (offer && dut.in_ready) {
            onAccept(current, cycle);
            if (!current.load) pending.push_back({current, cycle});
            have = false;
            lastProgress = cycle;
        }
        if (dut.out_valid) {
            lastProgress = cycle;
            if (pending.empty()) {
                ++errors;
                std::printf("ERROR cycle=%ld out_valid with no compute beat in flight\n", cycle);
            } else {
                std::vector<uint64_t> row(COLS);
                for (int j = 0; j < COLS; ++j) row[j] = get_out(dut, j);
                const Pending p = pending.front();
                pending.pop_front();
                onRow(p.beat, row, cycle - p.accept, cycle);
            }
        }
        tick();
        ++cycle;
        if (cycle - lastProgress > hangLimit) {
            ++errors;
            std::printf("ERROR cycle=%ld no progress for %ld cycles\n", cycle, hangLimit);
            break;
        }
    }
    dut.in_valid = 0;
    for (int i = 0; i < 2 * (ROWS + COLS) + 8; ++i) {
        dut.eval();
        if (dut.out_valid) { ++errors; std::printf("ERROR cycle=%ld unexpected out_valid after the last beat\n", cycle + i); }
        tick();
    }
    return cycle;
}

static void resetDut(Vdut &dut) {
    dut.clock = 0; dut.reset = 1; dut.in_valid = 0;
    for (int i = 0; i < 3; ++i) { dut.eval(); dut.clock = 1; dut.eval(); dut.clock = 0; dut.eval(); }
    dut.reset = 0;
}

static int terms(unsigned actMode, unsigned weightMode) { return ((actMode & 0x100) ? 2 : 1) * ((weightMode & 0x100) ? 2 : 1); }

// Stream mode: weight tiles from standard input, each answered as its last row comes out.
static int runStream(VerilatedContext *context) {
    std::ios::sync_with_stdio(false);
    auto dut = std::make_unique<Vdut>(context);
    resetDut(*dut);
    struct Tile { unsigned long long id = 0; long m = 0, firstBeat = -1, lastBeat = -1, firstRow = -1; std::vector<std::vector<uint64_t>> rows; };
    std::deque<Tile> tiles;  // read, not yet answered (front = oldest)
    long readTiles = 0, answeredTiles = 0, errors = 0, firstBeat = -1, lastRow = -1;
    std::deque<Beat> queued;
    auto bad = [](const std::string &what) { std::printf("ERROR input %s\n", what.c_str()); std::fflush(stdout); std::exit(2); };
    auto readCodes = [&](int count, const std::string &what) {
        std::string line;
        if (!std::getline(std::cin, line)) bad("ends inside " + what);
        std::vector<uint64_t> codes(count);
        const char *p = line.c_str();
        for (int n = 0; n < count; ++n) {
            char *end = nullptr;
            codes[n] = std::strtoull(p, &end, 16);
            if (end == p) bad(what + " has too few codes");
            p = end;
        }
        return codes;
    };
    auto nextBeat = [&](Beat &beat) {
        if (queued.empty()) {
            std::string line;
            while (std::getline(std::cin, line) && line.empty()) {}
            if (!std::cin || line == "END") return false;
            std::istringstream head(line);
            std::string word;
            Tile t;
            unsigned actMode = 0, weightMode = 0;
            head >> word >> std::dec >> t.id >> t.m >> std::hex >> actMode >> weightMode;
            if (word != "WTILE" || !head || t.m < 1) bad("bad WTILE line '" + line.substr(0, 60) + "'");
            const std::string name = "tile " + std::to_string(t.id);
            std::vector<std::vector<uint64_t>> w(ROWS);
            for (int r = 0; r < ROWS; ++r) w[r] = readCodes(COLS, "the weights of " + name);
            for (int p = 0; p < ROWS; ++p) {
                Beat b; b.load = true; b.actMode = actMode; b.weightMode = weightMode; b.codes = w[ROWS - 1 - p]; b.group = readTiles;
                queued.push_back(b);
            }
            for (long m = 0; m < t.m; ++m) {
                Beat b; b.actMode = actMode; b.weightMode = weightMode; b.codes = readCodes(ROWS, "the activations of " + name);
                b.group = readTiles; b.tag = m; b.lastOfGroup = m == t.m - 1;
                queued.push_back(b);
            }
            t.rows.assign(t.m, std::vector<uint64_t>(COLS));
            tiles.push_back(t);
            ++readTiles;
        }
        beat = queued.front();
        queued.pop_front();
        return true;
    };
    auto tileOf = [&](long group) -> Tile & { return tiles[group - answeredTiles]; };
    auto onAccept = [&](const Beat &b, long cycle) {
        Tile &t = tileOf(b.group);
        if (t.firstBeat < 0) t.firstBeat = cycle;
        if (firstBeat < 0) firstBeat = cycle;
        if (b.lastOfGroup) t.lastBeat = cycle;
    };
    auto onRow = [&](const Beat &b, const std::vector<uint64_t> &row, long, long cycle) {
        Tile &t = tileOf(b.group);
        if (t.firstRow < 0) t.firstRow = cycle;
        t.rows[b.tag] = row;
        if (!b.lastOfGroup) return;
        std::printf("RESULT %llu first_beat=%ld last_beat=%ld first_row=%ld last_row=%ld\n", t.id, t.firstBeat, t.lastBeat, t.firstRow, cycle);
        for (long m = 0; m < t.m; ++m) {
            std::printf("ROW %ld", m);
            for (int j = 0; j < COLS; ++j) std::printf(" %llx", (unsigned long long)t.rows[m][j]);
            std::printf("\n");
        }
        std::fflush(stdout);
        lastRow = cycle;
        tiles.pop_front();
        ++answeredTiles;
    };
    drive(*dut, nextBeat, onAccept, onRow, [] { return false; }, 0, errors);
    std::printf("SUMMARY tiles=%ld cycles=%ld first_beat=%ld last_row=%ld errors=%ld\n", answeredTiles,
                answeredTiles > 0 ? lastRow - firstBeat + 1 : 0, firstBeat, lastRow, errors);
    std::fflush(stdout);
    dut->final();
    return errors == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    if (argc >= 2 && std::string(argv[1]) == "--stream") return runStream(context.get());
    HarnessOptions options;
    if (const int status = parseHarnessOptions(argc, argv, "weight-stationary", options)) return status;
    const char *vectorPath = options.vectorPath;
    const std::map<int, Latency> &latency = options.latency;  // only the first-row latency: every row's is the same
    const unsigned bubbleSeed = options.bubbleSeed;
    const long maxPrint = options.maxPrint;
    long resetCase = options.resetCase;
    VectorSet set;
    if (!readVectors(vectorPath, set)) return 2;
    if (!vectorsFitBuild(set, vectorPath)) return 2;
    const long nCases = (long)set.cases.size();
    if (resetCase == -2) resetCase = nCases >= 2 ? nCases / 2 : -1;
    auto dut = std::make_unique<Vdut>(context.get());
    resetDut(*dut);
    // Beats of every case: per chunk of ROWS reduction indices, ROWS loads then ROWS vectors.
    long caseIndex = 0, chunk = 0, beatInChunk = 0;
    auto nextBeat = [&](Beat &beat) {
        if (caseIndex >= nCases) return false;
        const VectorCase &v = set.cases[caseIndex];
        const long chunks = (v.k + ROWS - 1) / ROWS, k0 = chunk * ROWS;
        beat = Beat();
        beat.actMode = v.actMode; beat.weightMode = v.weightMode; beat.group = caseIndex;
        if (beatInChunk < ROWS) {
            const long k = k0 + ROWS - 1 - beatInChunk;
            beat.load = true;
            beat.codes.assign(COLS, 0);
            if (k < v.k) for (int j = 0; j < COLS; ++j) beat.codes[j] = v.w[k][j];
        } else {
            const long m = beatInChunk - ROWS;
            beat.tag = m;
            beat.codes.assign(ROWS, 0);
            for (int r = 0; r < ROWS; ++r) if (k0 + r < v.k) beat.codes[r] = v.a[k0 + r][m];
            beat.lastOfGroup = chunk == chunks - 1 && m == ROWS - 1;
        }
        if (++beatInChunk == 2 * ROWS) { beatInChunk = 0; if (++chunk == chunks) { chunk = 0; ++caseIndex; } }
        return true;
    };
    std::vector<std::vector<uint64_t>> sums;
    std::vector<long> mismatches(nCases, 0);
    std::vector<bool> done(nCases, false);
    long printed = 0, errors = 0, latencyExact = 0, latencyBad = 0, currentSums = -1;
    auto describe = [&](long c) { return describeCase(set, set.cases[c], " ws"); };
    auto onRow = [&](const Beat &b, const std::vector<uint64_t> &row, long observed, long) {
        const long c = b.group;
        const VectorCase &v = set.cases[c];
        if (currentSums != c) { sums.assign(ROWS, std::vector<uint64_t>(COLS, 0)); currentSums = c; }
        for (int j = 0; j < COLS; ++j) sums[b.tag][j] = (sums[b.tag][j] + row[j]) & MASK;
        const auto spec = latency.find(terms(v.actMode, v.weightMode));
        if (spec != latency.end()) {
            ++latencyExact;
            if (observed != spec->second.first) {
                ++latencyBad; ++mismatches[c];
                if (printed++ < maxPrint)
                    std::printf("LATENCY case=%llu row=%ld observed=%ld manifest=%d config=%s\n", (unsigned long long)v.id, b.tag, observed,
                                spec->second.first, describe(c).c_str());
            }
        }
        if (!b.lastOfGroup) return;
        for (int i = 0; i < ROWS; ++i)
            for (int j = 0; j < COLS; ++j) {
                const uint64_t want = v.expected[(size_t)i * COLS + j], got = sums[i][j];
                if (got != want) {
                    ++mismatches[c];
                    if (printed++ < maxPrint)
                        std::printf("MISMATCH case=%llu row=%d col=%d expected=0x%llx (%lld) got=0x%llx (%lld) config=%s\n",
                                    (unsigned long long)v.id, i, j, (unsigned long long)want, (long long)signExtend(want),
                                    (unsigned long long)got, (long long)signExtend(got), describe(c).c_str());
                }
            }
        done[c] = true;
    };
    // The reset: half-way through case resetCase's beats (2·ROWS per chunk), then every case
    // from the first one not fully output is driven again.
    bool resetDone = resetCase < 0 || resetCase >= nCases;
    auto resetDue = [&]() {
        if (resetDone || caseIndex != resetCase) return false;
        const long beats = 2 * ROWS * ((set.cases[caseIndex].k + ROWS - 1) / ROWS);
        if (chunk * 2 * ROWS + beatInChunk < beats / 2) return false;
        resetDone = true;
        long restart = 0;
        while (restart < nCases && done[restart]) ++restart;
        std::printf("RESET case=%ld restart_case=%ld\n", resetCase, restart);
        caseIndex = restart; chunk = 0; beatInChunk = 0; currentSums = -1;
        return true;
    };
    const long cycles = drive(*dut, nextBeat, [](const Beat &, long) {}, onRow, resetDue, bubbleSeed, errors);
    const long passed = printCaseSummary(mismatches, [&](long c) { return done[c]; }, cycles, errors, latencyExact, latencyBad);
    dut->final();
    return (passed == nCases && errors == 0) ? 0 : 1;
}
