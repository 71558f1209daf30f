// Streaming mode of the Verilator harness (`sim --stream`), used by `antgen run`:
// one long-lived simulator process takes GEMM tiles from standard input as they come
// and answers each tile on standard output as soon as its last result row has left the
// array. No vector file, no reset between tiles, no rebuild. docs/run.md describes the
// protocol; in short (all numbers hexadecimal where they are codes or results):
//
//   in:  TILE <id> <K> <act mode> <weight mode>      mode = type | signed << 4 | int8 << 8 (hex)
//        K lines of ROWS + COLS hex codes: a_code_0 … a_code_{R-1} w_code_0 … w_code_{C-1}
//        … more tiles …
//        END
//   out: RESULT <id> first_beat=<c> last_beat=<c> first_row=<c> last_row=<c>
//        ROWS lines "ROW <r> <hex> … <hex>" (C values, W-bit two's complement), r = R-1 … 0
//        … then, after END:  SUMMARY tiles=<n> cycles=<c> first_beat=<c> last_row=<c> errors=<e>
//
// Cycle c is the harness's cycle index (0 = the first cycle after reset). A tile's beats are
// driven back to back; the next tile's first beat follows its last beat at once whenever it
// has arrived (the simulated clock stands still while the harness waits for input, so the
// cycle counts do not depend on how fast tiles arrive). cycles = last_row of the last tile
// − first_beat of the first tile + 1. Protocol problems print "ERROR ..." lines; bad input
// ends the run with "ERROR input ..." and status 2.
#pragma once
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

struct StreamTile {
    unsigned long long id = 0;
    int k = 0;
    unsigned actMode = 0, weightMode = 0;
    std::vector<std::vector<uint64_t>> a, w;  // a[k][i], w[k][j]
    long firstBeat = -1, lastBeat = -1, firstRow = -1;
    std::vector<std::vector<uint64_t>> rows;  // rows[r][j], filled as they come out
};

// Reads the next tile; false at END (or end of input). Exits with status 2 on bad input.
static bool readStreamTile(StreamTile &t) {
    std::string line;
    auto bad = [](const std::string &what) {
        std::printf("ERROR input %s\n", what.c_str());
        std::fflush(stdout);
        std::exit(2);
    };
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        if (line == "END") return false;
        std::istringstream head(line);
        std::string word;
        head >> word;
        if (word != "TILE") bad("expected TILE or END, got '" + line.substr(0, 40) + "'");
        head >> std::dec >> t.id >> t.k >> std::hex >> t.actMode >> t.weightMode;
        if (!head || t.k < 1) bad("bad TILE line '" + line.substr(0, 60) + "'");
        t.a.assign(t.k, std::vector<uint64_t>(ROWS));
        t.w.assign(t.k, std::vector<uint64_t>(COLS));
        for (int k = 0; k < t.k; ++k) {
            if (!std::getline(std::cin, line)) bad("ends inside tile " + std::to_string(t.id));
            const char *p = line.c_str();
            for (int n = 0; n < ROWS + COLS; ++n) {
                char *end = nullptr;
                const uint64_t code = std::strtoull(p, &end, 16);
                if (end == p) bad("tile " + std::to_string(t.id) + " beat " + std::to_string(k) + " has fewer than ROWS + COLS codes");
                (n < ROWS ? t.a[k][n] : t.w[k][n - ROWS]) = code;
                p = end;
            }
        }
        return true;
    }
    return false;
}

static int runStream(VerilatedContext *context) {
    std::ios::sync_with_stdio(false);
    auto dut = std::make_unique<Vdut>(context);
    auto tick = [&]() { dut->clock = 1; dut->eval(); dut->clock = 0; dut->eval(); };
    dut->clock = 0;
    dut->reset = 1; dut->in_valid = 0;
    for (int i = 0; i < 3; ++i) { dut->eval(); tick(); }
    dut->reset = 0;

    std::deque<std::unique_ptr<StreamTile>> inFlight;  // tiles whose beats were all accepted
    std::unique_ptr<StreamTile> current;               // the tile being driven
    int beat = 0;
    bool inputEnded = false;
    long cycle = 0, lastProgress = 0, errors = 0, tiles = 0, firstBeat = -1, lastRow = -1;
    int expectRow = ROWS - 1;
    const long hangLimit = 64L * (ROWS + COLS) + 1000;
    while (true) {
        if (!current && !inputEnded) {
            auto next = std::make_unique<StreamTile>();
            if (readStreamTile(*next)) { current = std::move(next); beat = 0; lastProgress = cycle; }
            else inputEnded = true;
        }
        if (!current && inputEnded && inFlight.empty()) break;
        dut->in_valid = current ? 1 : 0;
        if (current) {
            dut->in_last = beat == current->k - 1;
            for (int i = 0; i < ROWS; ++i) set_a(*dut, i, current->a[beat][i]);
            for (int j = 0; j < COLS; ++j) set_w(*dut, j, current->w[beat][j]);
            dut->cfg_act_type = current->actMode & 3; dut->cfg_act_signed = (current->actMode >> 4) & 1;
            dut->cfg_weight_type = current->weightMode & 3; dut->cfg_weight_signed = (current->weightMode >> 4) & 1;
#ifdef HAS_INT8
            dut->cfg_act_int8 = (current->actMode >> 8) & 1; dut->cfg_weight_int8 = (current->weightMode >> 8) & 1;
#endif
        }
        dut->eval();
        if (current && dut->in_ready) {
            if (beat == 0) { current->firstBeat = cycle; if (firstBeat < 0) firstBeat = cycle; }
            lastProgress = cycle;
            if (++beat == current->k) { current->lastBeat = cycle; inFlight.push_back(std::move(current)); }
        }
        if (dut->out_valid) {
            lastProgress = cycle;
            if (inFlight.empty()) {
                ++errors;
                std::printf("ERROR cycle=%ld out_valid with no tile in flight\n", cycle);
            } else {
                StreamTile &t = *inFlight.front();
                if ((int)dut->out_row != expectRow) {
                    ++errors;
                    std::printf("ERROR cycle=%ld tile %llu out_row %d, expected %d\n", cycle, t.id, (int)dut->out_row, expectRow);
                }
                if (expectRow == ROWS - 1) { t.firstRow = cycle; t.rows.assign(ROWS, std::vector<uint64_t>(COLS)); }
                for (int j = 0; j < COLS; ++j) t.rows[expectRow][j] = get_out(*dut, j);
                if (expectRow == 0) {
                    std::printf("RESULT %llu first_beat=%ld last_beat=%ld first_row=%ld last_row=%ld\n", t.id, t.firstBeat, t.lastBeat,
                                t.firstRow, cycle);
                    for (int r = ROWS - 1; r >= 0; --r) {
                        std::printf("ROW %d", r);
                        for (int j = 0; j < COLS; ++j) std::printf(" %llx", (unsigned long long)t.rows[r][j]);
                        std::printf("\n");
                    }
                    std::fflush(stdout);
                    lastRow = cycle;
                    ++tiles;
                    inFlight.pop_front();
                    expectRow = ROWS - 1;
                } else {
                    --expectRow;
                }
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
    dut->in_valid = 0;
    for (int i = 0; i < 2 * (ROWS + COLS) + 8; ++i) {
        dut->eval();
        if (dut->out_valid) { ++errors; std::printf("ERROR cycle=%ld unexpected out_valid after the last tile\n", cycle + i); }
        tick();
    }
    std::printf("SUMMARY tiles=%ld cycles=%ld first_beat=%ld last_row=%ld errors=%ld\n", tiles,
                tiles > 0 ? lastRow - firstBeat + 1 : 0, firstBeat, lastRow, errors);
    std::fflush(stdout);
    dut->final();
    return errors == 0 ? 0 : 1;
}
