// antgen verification harness for the MxArray top (Verilator, --prefix Vdut).
//
//   sim VECTORS [--bubbles SEED] [--max-print N] [--dump FILE]
//
// Reads an MX vector file (docs/mx.md), resets the array for 3 cycles, then drives every
// case as one tile of K beats, back to back (with --bubbles, in_valid drops in about one
// cycle in eight), and checks every out_valid row: rows R-1 ... 0 of each tile in order,
// each out_data_j against the file's binary32 pattern. Build-specific port access comes
// from "mx_ports.h", which the runner writes (MX_ROWS, MX_COLS, MX_CODE_W, mx_set_a,
// mx_set_w, mx_get_out).
//
// stdout: "MISMATCH ..." / "ERROR ..." lines, "CASE id PASS|FAIL", then
// "SUMMARY cases=.. passed=.. failed=.. cycles=.. stray=.. span=..", where span counts the
// cycles from the one that accepts the first beat through the one that shows the last output
// row, both included (-1 when no row came). --dump FILE writes every output row the array
// presented, one line each: "case row out_row data_0 ... data_{C-1}" (decimal case id, the
// row it is by its order in the tile, the out_row the array gave it; hex binary32 words). Exit 0 when everything matched, 1 on any mismatch, 2 on bad arguments or
// vector files.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>
#include "Vdut.h"
#include "verilated.h"
#include "mx_ports.h"

struct MxCaseData {
    uint64_t id, beats, aFormat, wFormat;
    std::vector<uint64_t> beatWords;   // beats * (rows + cols)
    std::vector<uint32_t> expected;    // rows * cols
};

static bool readVectors(const char *path, std::vector<MxCaseData> &cases, uint64_t header[12]) {
    FILE *file = std::fopen(path, "r");
    if (!file) { std::printf("ERROR cannot open %s\n", path); return false; }
    std::vector<uint64_t> words;
    char line[512];
    while (std::fgets(line, sizeof line, file)) {
        char *comment = std::strstr(line, "//");
        if (comment) *comment = 0;
        char *end = nullptr;
        const char *p = line;
        while (*p == ' ' || *p == '\t') ++p;
        if (*p == 0 || *p == '\n' || *p == '\r') continue;
        words.push_back(std::strtoull(p, &end, 16));
    }
    std::fclose(file);
    if (words.size() < 12 || words[0] != 0x4d585631 || words[1] != 1 || words[2] != 12) {
        std::printf("ERROR %s is not an MX vector file (v1)\n", path); return false;
    }
    for (int i = 0; i < 12; ++i) header[i] = words[i];
    if (words[11] != words.size()) {
        std::printf("ERROR %s has %zu words, its header says %llu\n", path, words.size(), (unsigned long long)words[11]);
        return false;
    }
    const uint64_t rows = words[3], cols = words[4];
    size_t at = 12;
    for (uint64_t c = 0; c < words[10]; ++c) {
        MxCaseData item;
        if (at + 4 > words.size()) { std::printf("ERROR truncated case %llu\n", (unsigned long long)c); return false; }
        item.id = words[at]; item.beats = words[at + 1]; item.aFormat = words[at + 2]; item.wFormat = words[at + 3];
        at += 4;
        const size_t beatWords = item.beats * (rows + cols);
        if (item.beats < 1 || at + beatWords + rows * cols > words.size()) {
            std::printf("ERROR bad case %llu\n", (unsigned long long)c); return false;
        }
        item.beatWords.assign(words.begin() + at, words.begin() + at + beatWords);
        at += beatWords;
        for (uint64_t r = 0; r < rows * cols; ++r) item.expected.push_back((uint32_t)words[at + r]);
        at += rows * cols;
        cases.push_back(item);
    }
    return true;
}

int main(int argc, char **argv) {
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    const char *vectorPath = nullptr;
    const char *dumpPath = nullptr;
    unsigned bubbleSeed = 0;
    long maxPrint = 40;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("+", 0) == 0) continue;
        if (arg == "--bubbles" && i + 1 < argc) bubbleSeed = (unsigned)std::strtoul(argv[++i], nullptr, 10);
        else if (arg == "--max-print" && i + 1 < argc) maxPrint = std::strtol(argv[++i], nullptr, 10);
        else if (arg == "--dump" && i + 1 < argc) dumpPath = argv[++i];
        else if (!vectorPath && arg.rfind("--", 0) != 0) vectorPath = argv[i];
        else { std::fprintf(stderr, "harness: error: unknown argument %s\n", argv[i]); return 2; }
    }
    if (!vectorPath) { std::fprintf(stderr, "harness: error: no vector file given\n"); return 2; }
    std::vector<MxCaseData> cases;
    uint64_t header[12];
    if (!readVectors(vectorPath, cases, header)) return 2;
    if (header[3] != MX_ROWS || header[4] != MX_COLS || header[5] != MX_CODE_W) {
        std::printf("ERROR %s is for a %llux%llu array with %llu-bit codes, this binary is %dx%d with %d-bit codes\n", vectorPath,
                    (unsigned long long)header[3], (unsigned long long)header[4], (unsigned long long)header[5], MX_ROWS, MX_COLS, MX_CODE_W);
        return 2;
    }
    FILE *dump = nullptr;
    if (dumpPath && !(dump = std::fopen(dumpPath, "w"))) { std::printf("ERROR cannot write %s\n", dumpPath); return 2; }
    auto dut = std::make_unique<Vdut>(context.get());
    uint64_t cycles = 0;
    auto tick = [&]() {
        dut->clock = 0; dut->eval();
        dut->clock = 1; dut->eval();
        ++cycles;
    };
    dut->reset = 1; dut->in_valid = 0; dut->in_last = 0;
    for (int i = 0; i < 3; ++i) tick();
    dut->reset = 0;

    std::vector<int> failures(cases.size(), 0);
    std::vector<int> rowsSeen(cases.size(), 0);
    std::deque<size_t> inFlight;   // tiles whose last beat went in, oldest first
    long printed = 0, stray = 0;
    unsigned lcg = bubbleSeed * 2654435761u + 1;
    size_t current = 0, beat = 0;
    const uint64_t limit = 64ull * (MX_ROWS + MX_COLS) + 1000;
    uint64_t idle = 0;
    long long firstBeat = -1, lastRow = -1;
    while (current < cases.size() || !inFlight.empty()) {
        // Outputs of this cycle (before the edge).
        dut->eval();
        if (dut->out_valid) {
            idle = 0;
            if (inFlight.empty()) { ++stray; std::printf("ERROR out_valid with no tile in flight (cycle %llu)\n", (unsigned long long)cycles); }
            else {
                const size_t c = inFlight.front();
                const int expectRow = MX_ROWS - 1 - rowsSeen[c];
                lastRow = (long long)cycles;
                if (dump) std::fprintf(dump, "%llu %d %d", (unsigned long long)cases[c].id, expectRow, (int)dut->out_row);
                if ((int)dut->out_row != expectRow) {
                    ++failures[c];
                    if (printed++ < maxPrint) std::printf("MISMATCH case=%llu out_row=%d expected_row=%d\n", (unsigned long long)cases[c].id, (int)dut->out_row, expectRow);
                }
                for (int j = 0; j < MX_COLS; ++j) {
                    const uint32_t got = mx_get_out(dut.get(), j);
                    if (dump) std::fprintf(dump, " %08x", got);
                    const uint32_t want = cases[c].expected[expectRow * MX_COLS + j];
                    if (got != want) {
                        ++failures[c];
                        if (printed++ < maxPrint)
                            std::printf("MISMATCH case=%llu row=%d col=%d expected=0x%08x got=0x%08x act=%llu weight=%llu K=%llu\n",
                                        (unsigned long long)cases[c].id, expectRow, j, want, got, (unsigned long long)cases[c].aFormat,
                                        (unsigned long long)cases[c].wFormat, (unsigned long long)cases[c].beats);
                    }
                }
                if (dump) std::fputc('\n', dump);
                if (++rowsSeen[c] == MX_ROWS) inFlight.pop_front();
            }
        } else if (!inFlight.empty() && current >= cases.size() && ++idle > limit) {
            std::printf("ERROR no output for %llu cycles with %zu tiles in flight\n", (unsigned long long)limit, inFlight.size());
            for (size_t c : inFlight) ++failures[c];
            break;
        }
        // Inputs for this edge.
        bool drive = current < cases.size();
        if (drive && bubbleSeed) { lcg = lcg * 1103515245u + 12345u; drive = ((lcg >> 16) & 7) != 0; }
        dut->in_valid = drive;
        if (drive) {
            const MxCaseData &item = cases[current];
            dut->in_last = beat + 1 == item.beats;
            dut->cfg_a_format = item.aFormat;
            dut->cfg_w_format = item.wFormat;
            const uint64_t *words = &item.beatWords[beat * (MX_ROWS + MX_COLS)];
            for (int i = 0; i < MX_ROWS; ++i) mx_set_a(dut.get(), i, words[i] & 0xFF, (words[i] >> 8) & 0xFF);
            for (int j = 0; j < MX_COLS; ++j) mx_set_w(dut.get(), j, words[MX_ROWS + j] & 0xFF, (words[MX_ROWS + j] >> 8) & 0xFF);
        }
        if (drive && firstBeat < 0) firstBeat = (long long)cycles;
        tick();
        if (drive && ++beat == cases[current].beats) { inFlight.push_back(current); ++current; beat = 0; }
    }
    int passed = 0, failed = 0;
    for (size_t c = 0; c < cases.size(); ++c) {
        const bool ok = failures[c] == 0 && rowsSeen[c] == MX_ROWS;
        std::printf("CASE %llu %s\n", (unsigned long long)cases[c].id, ok ? "PASS" : "FAIL");
        ok ? ++passed : ++failed;
    }
    if (dump && std::fclose(dump) != 0) { std::printf("ERROR cannot write %s\n", dumpPath); ++failed; }
    const long long span = (firstBeat >= 0 && lastRow >= firstBeat) ? lastRow - firstBeat + 1 : -1;
    std::printf("SUMMARY cases=%zu passed=%d failed=%d cycles=%llu stray=%ld span=%lld\n", cases.size(), passed, failed,
                (unsigned long long)cycles, stray, span);
    return (failed || stray) ? 1 : 0;
}
