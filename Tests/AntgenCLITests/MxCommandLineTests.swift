import Foundation
import Testing

/// `antgen quantize --mode mx…` end to end for all six OCP MX formats: exit status, the
/// report (the MX MSE beside the ANT types), the written codes, E8M0 scales and dequantised
/// values checked against an OCP decoder written here from the format table
/// (/work/shared/reference/mx.md §3–§5), and bad input as one line with nothing written.
@Suite struct MxCommandLineTests {
    typealias CLI = CommandLineTests

    /// One MX element format as the OCP table gives it (independent of antgen's own tables).
    struct Format {
        let mode: String
        /// Exponent and mantissa field widths (INT8: 0 and 7, a two's-complement byte).
        let eb: Int, mb: Int
        /// emax_elem: the exponent of the largest power of two the format holds.
        let emax: Int

        var bits: Int { eb == 0 ? 8 : 1 + eb + mb }
        var bias: Int { eb == 0 ? 0 : (1 << (eb - 1)) - 1 }

        /// The value of `code` before the scale; nil for NaN and infinity codes.
        func value(_ code: Int) -> Double? {
            if eb == 0 { return Double(Int8(bitPattern: UInt8(code))) / 64 }
            let sign = code >> (bits - 1) == 1 ? -1.0 : 1.0
            let e = (code >> mb) & ((1 << eb) - 1), m = code & ((1 << mb) - 1)
            if mode == "mxfp8e5m2", e == 31 { return nil }
            if mode == "mxfp8e4m3", e == 15, m == 7 { return nil }
            let unit = pow(2.0, Double(1 - bias - mb))
            let magnitude = e == 0 ? Double(m) * unit : Double((1 << mb) + m) * pow(2.0, Double(e - 1)) * unit
            return sign * magnitude
        }
    }

    static let formats = [
        Format(mode: "mxfp4", eb: 2, mb: 1, emax: 2), Format(mode: "mxfp6e2m3", eb: 2, mb: 3, emax: 2),
        Format(mode: "mxfp6e3m2", eb: 3, mb: 2, emax: 4), Format(mode: "mxfp8e4m3", eb: 4, mb: 3, emax: 8),
        Format(mode: "mxfp8e5m2", eb: 5, mb: 2, emax: 15), Format(mode: "mxint8", eb: 0, mb: 7, emax: 0),
    ]

    /// Row 0: amax 6 with FP4 ties (0.25, 0.75, 2.5, 5.0); row 1: amax 7.9 (FP4 clamps 7.0
    /// and −7.9 to ±6); row 2: a block 2^−10 times smaller. 32 elements per row: one block.
    static let rows: [[Double]] = {
        let tail = (0 ..< 25).map { sin(Double($0) * 1.3) * 5.5 }
        let first = [6.0, -1.5, 0.25, 0.75, 2.5, 5.0, -6.0] + tail
        let second = [7.0, -7.9] + tail.map { $0 * 1.1 } + [0.1, -0.2, 0.3, 0.0, 1.0]
        return [first, second, first.map { $0 / 1024 }]
    }()

    /// The bytes after a .npy header and the header's text.
    static func npyBody(_ url: URL) throws -> (header: String, body: [UInt8]) {
        let data = [UInt8](try Data(contentsOf: url))
        let length = Int(data[8]) | Int(data[9]) << 8
        return (String(decoding: data[10 ..< 10 + length], as: UTF8.self), Array(data[(10 + length)...]))
    }

    static func doubles(_ bytes: [UInt8]) -> [Double] {
        stride(from: 0, to: bytes.count, by: 8).map { i in
            Double(bitPattern: (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << UInt64(8 * $1) })
        }
    }

    @Test(arguments: formats) func quantizeWritesOcpCodesAndScales(format: Format) throws {
        let dir = try CLI.temporaryFolder(format.mode)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(Self.rows.flatMap { $0 }, shape: [3, 32], at: dir.appendingPathComponent("w.npy"))
        let run = try CLI.run(["quantize", "w.npy", "--mode", format.mode, "--out", "out", "--json", "report.json"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        // The header names the encoding options that apply to the format (overflow: FP8; range: int8).
        let encoding = format.mode.hasPrefix("mxfp8") ? ", saturate" : format.mode == "mxint8" ? ", symmetric int8 range" : ""
        #expect(run.out.contains("MX \(format.mode) (k = 32, even\(encoding); ANT above: ant-int-pot-flint)") && run.out.contains("MSE"), "\(run.out)")

        let codesFile = try Self.npyBody(dir.appendingPathComponent("out/w.mx-codes.npy"))
        let scalesFile = try Self.npyBody(dir.appendingPathComponent("out/w.mx-scales.npy"))
        let dequantized = Self.doubles(try Self.npyBody(dir.appendingPathComponent("out/w.mx-dequantized.npy")).body)
        #expect(codesFile.header.contains("'|u1'") && codesFile.header.contains("(3, 32)"), "\(codesFile.header)")
        #expect(scalesFile.header.contains("'|u1'") && scalesFile.header.contains("(3, 1)"), "\(scalesFile.header)")
        let codes = codesFile.body.map(Int.init), scales = scalesFile.body.map(Int.init)

        var squaredError = 0.0
        for (r, row) in Self.rows.enumerated() {
            // The shared exponent: ⌊log2 amax⌋ − emax_elem, E8M0 biased by 127.
            let amax = row.map(\.magnitude).max()!
            let exponent = Int(floor(log2(amax))) - format.emax
            #expect(scales[r] == exponent + 127, "\(format.mode) row \(r): scale \(scales[r])")
            let scale = pow(2.0, Double(exponent))
            // Every finite code (INT8's optional −2.0, 0x80, is not emitted by default).
            let grid = (0 ..< 1 << format.bits).filter { format.eb != 0 || $0 != 0x80 }
                .compactMap { c in format.value(c).map { (c, $0 * scale) } }
            for (i, x) in row.enumerated() {
                let code = codes[r * 32 + i]
                let value = try #require(format.value(code), "\(format.mode) [\(r), \(i)]: code \(code) is not finite")
                #expect(dequantized[r * 32 + i] == value * scale, "\(format.mode) [\(r), \(i)]")
                squaredError += (x - value * scale) * (x - value * scale)
                // Nearest representable value (clamped to the largest), ties to the even code.
                let distance = abs(x - value * scale)
                #expect(grid.allSatisfy { abs(x - $0.1) >= distance }, "\(format.mode) [\(r), \(i)] = \(x): code \(code)")
                if grid.contains(where: { abs(x - $0.1) == distance && $0.1 != value * scale }) {
                    #expect(code & 1 == 0, "\(format.mode) [\(r), \(i)] = \(x): a tie must round to even, got \(code)")
                }
            }
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [[String: Any]])
        let mse = try #require(report.first?["mse"] as? Double)
        #expect(abs(mse - squaredError / 96) <= 1e-12 * mse, "\(format.mode): MSE \(mse)")
        let ant = try #require(report.first?["ant"] as? [String: Any])
        // The ANT candidates at the MX element width, reported beside the MX result.
        #expect(ant["mse"] is Double && ant["bits"] as? Int == format.bits, "\(format.mode): \(ant)")
        #expect((ant["candidates"] as? [Any])?.isEmpty == false, "\(format.mode)")
    }

    /// FP4 and INT8 codes of row 0 by hand: scale 1 (FP4) and 4 (INT8, q = round(64·x/4)).
    @Test func handDecodedElements() throws {
        let dir = try CLI.temporaryFolder("mx-hand")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(Self.rows.flatMap { $0 }, shape: [3, 32], at: dir.appendingPathComponent("w.npy"))
        let expected: [(String, [String], [Int], Int)] = [
            // 6 → 0 11 1, −1.5 → 1 01 1, 0.25 tie → 0, 0.75 tie → 1.0, 2.5 tie → 2.0, 5 tie → 4, −6 → 1 11 1.
            ("mxfp4", [], [0x7, 0xB, 0x0, 0x2, 0x4, 0x6, 0xF], 127),
            // Ties away from zero: 0.25 → 0.5, 0.75 → 1.0, 2.5 → 3.0, 5 → 6.
            ("mxfp4", ["--mx-rounding", "away"], [0x7, 0xB, 0x1, 0x2, 0x5, 0x7, 0xF], 127),
            // 96, −24, 4, 12, 40, 80, −96 as two's-complement bytes.
            ("mxint8", [], [0x60, 0xE8, 0x04, 0x0C, 0x28, 0x50, 0xA0], 129),
        ]
        for (mode, options, codes, scale) in expected {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent("out"))
            let run = try CLI.run(["quantize", "w.npy", "--mode", mode, "--out", "out"] + options, in: dir)
            #expect(run.status == 0, "\(run.err)")
            let written = try Self.npyBody(dir.appendingPathComponent("out/w.mx-codes.npy")).body.map(Int.init)
            #expect(Array(written.prefix(7)) == codes, "\(mode) \(options)")
            // Row 1: 7.0 and −7.9 clamp to ±6 in FP4.
            if mode == "mxfp4" { #expect(written[32] == 0x7 && written[33] == 0xF, "\(options)") }
            #expect(try Self.npyBody(dir.appendingPathComponent("out/w.mx-scales.npy")).body.first.map(Int.init) == scale, "\(mode)")
        }
    }

    @Test func badMxInputIsOneLine() throws {
        let dir = try CLI.temporaryFolder("mx-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(Self.rows.flatMap { $0 }, shape: [3, 32], at: dir.appendingPathComponent("w.npy"))
        var broken = Self.rows.flatMap { $0 }
        broken[40] = .nan
        try ReliabilityTests.npy(broken, shape: [3, 32], at: dir.appendingPathComponent("nan.npy"))
        broken[40] = -.infinity
        try ReliabilityTests.npy(broken, shape: [3, 32], at: dir.appendingPathComponent("inf.npy"))
        for (arguments, phrase) in [
            (["w.npy", "--mode", "mxfp5"], "unknown MX mode 'mxfp5'"),
            (["nan.npy", "--mode", "mxfp8e4m3"], "non-finite value (nan) at flat index 40"),
            (["w.npy", "inf.npy", "--mode", "mxint8"], "non-finite value (-inf) at flat index 40"),
            (["w.npy", "--mode", "mxfp4", "--mx-rounding", "odd"], "--mx-rounding must be even or away"),
            (["w.npy", "--mode", "mxfp6e2m3", "--block-size", "0"], "--block-size"),
        ] {
            let run = try CLI.run(["quantize"] + arguments + ["--out", "out", "--json", "out/report.json"], in: dir)
            ReliabilityTests.expectOneLineFailure(run, phrase, arguments.joined(separator: " "))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "\(arguments)")
        }
    }
}
