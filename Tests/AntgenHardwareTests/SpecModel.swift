// An integer model of spec §1–3 written for the tests only, from the spec text,
// without the hardware generator's code: decode a code to (s, M, E) by the spec's
// encoding rules, take values as signed integers in units, multiply, sum, wrap.
// The 4-bit decodes are themselves checked against the spec's literal value tables.
// Types are named by the project's one number type, AntType; its selector codes (the
// contract in docs/architecture.md) are checked against literals in ParameterTests.

import AntgenNumerics

/// A decoded operand: value = (−1)^s · M · 2^E units.
struct SpecOperand: Equatable {
    var s: Int
    var m: Int
    var e: Int
    /// The value in units as a signed integer.
    var value: Int { (s == 1 ? -1 : 1) * (m << e) }
}

enum SpecModel {
    /// Number of leading ones of the `n`-bit value `x`.
    static func leadingOnes(_ x: Int, bits n: Int) -> Int {
        var count = 0
        var bit = n - 1
        while bit >= 0 && (x >> bit) & 1 == 1 { count += 1; bit -= 1 }
        return count
    }

    /// Spec §2 decode of an n-bit code.
    static func decode(_ code: Int, bits: Int, type: AntType, signed: Bool) -> SpecOperand {
        let magnitudeBits = signed ? bits - 1 : bits
        let s = signed ? (code >> (bits - 1)) & 1 : 0
        let c = code & ((1 << magnitudeBits) - 1)
        switch type {
        case .int:
            if signed {
                let v = code >= 1 << (bits - 1) ? code - (1 << bits) : code
                return SpecOperand(s: v < 0 ? 1 : 0, m: abs(v), e: 0)
            }
            return SpecOperand(s: 0, m: code, e: 0)
        case .flint:
            let n = magnitudeBits
            if (c >> (n - 1)) & 1 == 0 { return SpecOperand(s: s, m: c, e: 0) }
            let l = leadingOnes(c, bits: n)
            if l == n { return SpecOperand(s: s, m: 1 << (n - 2), e: n) }
            let tail = c & ((1 << (n - 1 - l)) - 1)
            return SpecOperand(s: s, m: (1 << (n - 2)) | (tail << (l - 1)), e: l)
        case .pot:
            return c == 0 ? SpecOperand(s: s, m: 0, e: 0) : SpecOperand(s: s, m: 1, e: c - 1)
        case .float:
            let (eb, mb) = magnitudeBits == 2 ? (2, 0) : (3, magnitudeBits - 3)
            let e = (c >> mb) & ((1 << eb) - 1)
            let m = c & ((1 << mb) - 1)
            return e == 0 ? SpecOperand(s: s, m: m, e: 0) : SpecOperand(s: s, m: (1 << mb) | m, e: e - 1)
        }
    }

    /// The two nibble terms of an int8 code (spec §2): high (E = 4) and low (E = 0).
    static func int8Terms(_ code: Int, signed: Bool) -> (high: SpecOperand, low: SpecOperand) {
        var high = code >> 4
        if signed && high >= 8 { high -= 16 }
        return (SpecOperand(s: high < 0 ? 1 : 0, m: abs(high), e: 4), SpecOperand(s: 0, m: code & 15, e: 0))
    }

    /// The int8 value of a code.
    static func int8Value(_ code: Int, signed: Bool) -> Int {
        signed && code >= 128 ? code - 256 : code
    }

    /// One operand stream's configuration.
    struct Config: Equatable {
        var type: AntType
        var signed: Bool
        var int8: Bool
    }

    /// The value of a code under a configuration, in units.
    static func value(_ code: Int, bits: Int, _ config: Config) -> Int {
        config.int8 ? int8Value(code, signed: config.signed) : decode(code, bits: bits, type: config.type, signed: config.signed).value
    }

    /// `x` reduced to a `w`-bit two's-complement integer.
    static func wrap(_ x: Int, width w: Int) -> Int {
        let modulus = 1 << w
        var r = x % modulus
        if r < 0 { r += modulus }
        return r >= modulus / 2 ? r - modulus : r
    }

    /// C = A·W for one tile, wrapped to W bits. `a[k][i]`, `w[k][j]` are codes.
    static func tile(a: [[Int]], w: [[Int]], bits: Int, act: Config, weight: Config, accumulatorWidth: Int) -> [[Int]] {
        let rows = a[0].count, cols = w[0].count
        var c = Array(repeating: Array(repeating: 0, count: cols), count: rows)
        for k in 0..<a.count {
            for i in 0..<rows {
                let x = value(a[k][i], bits: bits, act)
                for j in 0..<cols {
                    c[i][j] = wrap(c[i][j] + x * value(w[k][j], bits: bits, weight), width: accumulatorWidth)
                }
            }
        }
        return c
    }
}
