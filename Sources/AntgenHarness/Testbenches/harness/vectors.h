// Reader for antgen golden vector files (docs/verification.md, format v1):
// one 64-bit hex word per line, `/` starts a comment (the Swift reader's rules). Shared by the harnesses.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

struct VectorCase {
    uint64_t id = 0;
    int k = 0;
    unsigned actMode = 0, weightMode = 0;        // type | signed << 4 | int8 << 8
    std::vector<std::vector<uint64_t>> a, w;     // a[k][i], w[k][j]
    std::vector<uint64_t> expected;              // rows * cols, row-major
    int terms() const { return ((actMode & 0x100) ? 2 : 1) * ((weightMode & 0x100) ? 2 : 1); }
};

struct VectorSet {
    uint64_t rows = 0, cols = 0, codeWidth = 0, accWidth = 0, int8 = 0, seed = 0;
    std::vector<VectorCase> cases;
};

static inline std::string modeName(unsigned mode, unsigned codeWidth) {
    static const char *types[] = {"int", "flint", "pot", "float"};
    char buf[32];
    if (mode & 0x100) std::snprintf(buf, sizeof buf, "int8%s", (mode & 0x10) ? "s" : "u");
    else std::snprintf(buf, sizeof buf, "%s%u%s", types[mode & 3], codeWidth, (mode & 0x10) ? "s" : "u");
    return buf;
}

// Reads `path`; on any problem prints one line to stderr and returns false.
static inline bool readVectors(const char *path, VectorSet &set) {
    FILE *f = std::fopen(path, "r");
    if (!f) { std::fprintf(stderr, "harness: error: cannot read vector file %s\n", path); return false; }
    std::vector<uint64_t> words;
    char line[512];
    int lineNumber = 0;
    words.reserve(1 << 16);
    while (std::fgets(line, sizeof line, f)) {
        ++lineNumber;
        // The Swift reader's rules (VectorFile.read): `/` starts a comment, blanks around
        // the word are ignored, the word is hex digits of at most 64 significant bits.
        const char *q = line;
        while (*q == ' ' || *q == '\t' || *q == '\r') ++q;
        if (*q == 0 || *q == '\n' || *q == '/') continue;
        uint64_t word = 0;
        bool ok = true;
        for (;; ++q) {
            const unsigned ch = (unsigned char)*q;
            unsigned v;
            if (ch - '0' < 10u) v = ch - '0';
            else if ((ch | 0x20) - 'a' < 6u) v = (ch | 0x20) - 'a' + 10;
            else break;
            if (word >> 60) ok = false;
            word = word << 4 | v;
        }
        while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n') ++q;
        if (!ok || (*q != 0 && *q != '/')) {
            std::fprintf(stderr, "harness: error: %s:%d: not a hex word\n", path, lineNumber);
            std::fclose(f);
            return false;
        }
        words.push_back(word);
    }
    std::fclose(f);
    auto fail = [&](const char *what) { std::fprintf(stderr, "harness: error: %s: %s\n", path, what); return false; };
    if (words.size() < 16 || words[0] != 0x414E5447ull) return fail("not an antgen vector file (bad magic or short header)");
    if (words[1] != 1) return fail("unsupported format version");
    if (words[11] != words.size()) return fail("header word count does not match the file");
    set.rows = words[3]; set.cols = words[4]; set.codeWidth = words[5]; set.accWidth = words[6];
    set.int8 = words[7]; set.seed = words[12];
    size_t p = words[2];
    for (uint64_t c = 0; c < words[10]; ++c) {
        if (p + 4 > words.size()) return fail("truncated case");
        VectorCase vc;
        vc.id = words[p]; vc.k = (int)words[p + 1]; vc.actMode = (unsigned)words[p + 2]; vc.weightMode = (unsigned)words[p + 3];
        p += 4;
        if (vc.k < 1 || p + (size_t)vc.k * (set.rows + set.cols) + set.rows * set.cols > words.size()) return fail("truncated case");
        for (int k = 0; k < vc.k; ++k) {
            vc.a.emplace_back(words.begin() + p, words.begin() + p + set.rows); p += set.rows;
            vc.w.emplace_back(words.begin() + p, words.begin() + p + set.cols); p += set.cols;
        }
        vc.expected.assign(words.begin() + p, words.begin() + p + set.rows * set.cols);
        p += set.rows * set.cols;
        set.cases.push_back(std::move(vc));
    }
    if (p != words.size()) return fail("extra words after the last case");
    return true;
}
