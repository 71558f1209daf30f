import AntgenNumerics
import Foundation
import Testing
@testable import AntgenGolden

/// Mutations of a valid vector file from a seeded generator (reproducible): bit flips,
/// truncations, random byte runs, a hex word replaced (by a huge or overlong number, a
/// non-hex token, a comment, another header value), inserted junk and random bytes.
struct VectorTextMutator {
    var generator: SplitMix64
    static let replacements = ["ffffffffffffffff", "10000000000000000", "-1", "0", "1", "2", "zz", "414e5447", "7fffffff", "100000",
                               "// 5", "", "0x10", " 3 ", "1\r", "\u{0}", "ffffffffffffffffffffffffffffffff", "3\n4", "1 2"]

    mutating func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(max(count, 1))) }

    mutating func next(_ valid: [UInt8]) -> [UInt8] {
        var bytes = valid
        switch generator.next() % 8 {
        case 0:
            for _ in 0 ... pick(4) { bytes[pick(bytes.count)] ^= UInt8(1 << (generator.next() % 8)) }
        case 1:
            bytes = Array(bytes.prefix(pick(bytes.count + 1)))
        case 2:
            let start = pick(bytes.count)
            for index in start ..< min(bytes.count, start + pick(16) + 1) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        case 3, 4, 5:
            // Most of these land in the header or a case's counts: the checks past the syntax.
            var words: [Range<Int>] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, (0x30 ... 0x39).contains(bytes[end]) || (0x61 ... 0x66).contains(bytes[end]) { end += 1 }
                if end > start { words.append(start ..< end) }
                start = (bytes[end...].firstIndex(of: 0x0A) ?? bytes.count) + 1
            }
            let index = generator.next() % 2 == 0 ? pick(min(words.count, 24)) : pick(words.count)
            bytes.replaceSubrange(words[index], with: Array(Self.replacements[pick(Self.replacements.count)].utf8))
        case 6:
            bytes.insert(contentsOf: (0 ..< pick(9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: pick(bytes.count + 1))
        default:
            bytes = (0 ..< pick(200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }
}

/// The vector file reader never crashes, hangs or dumps: each of 10,000 mutated files either
/// reads to a file that writes back to the same contents, or is rejected with one line
/// naming the file (docs/reliability.md). `make test` runs the first 1,000 of the same seeded
/// sequence; `make regress` sets `ANTGEN_SWEEPS=1` for all 10,000.
@Suite struct VectorFileFuzzTests {
    static let rounds = ProcessInfo.processInfo.environment["ANTGEN_SWEEPS"] == "1" ? 10_000 : 1_000

    @Test func mutatedVectorFilesReadOrFailWithOneLine() throws {
        let configuration = try ArrayConfiguration(rows: 2, cols: 2, codeWidth: 4, accumulatorWidth: 20, activationTypes: AntType.allCases,
                                                   weightTypes: AntType.allCases, int8: true)
        // The three generated cases with the shortest reductions, renumbered 0, 1, 2: a small
        // file keeps 10,000 rounds of mutation, reading and writing back to a few seconds.
        let shortest = try GoldenGenerator(configuration: configuration).cases(.random, count: 40, seed: 16)
            .sorted { $0.reduction < $1.reduction }.prefix(3)
        let cases = shortest.enumerated().map { index, c in
            GoldenCase(id: index, source: c.source, activation: c.activation, weight: c.weight, a: c.a, w: c.w, expected: c.expected)
        }
        #expect(cases.map(\.reduction).max()! <= 8, "\(cases.map(\.reduction))")
        let valid = Array(VectorFile(configuration: configuration, seed: 16, source: .random, cases: cases).text().utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-vector-fuzz-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("v.hex"), again = dir.appendingPathComponent("again.hex")
        var mutator = VectorTextMutator(generator: SplitMix64(seed: 0x16_0002))
        var read = 0
        for iteration in 0 ..< Self.rounds {
            try Data(mutator.next(valid)).write(to: url)
            do {
                let file = try VectorFile.read(from: url)
                // What was read is a consistent file: written back, it reads to the same contents.
                try file.write(to: again)
                let back = try VectorFile.read(from: again)
                #expect(back.configuration == file.configuration && back.seed == file.seed && back.sourceID == file.sourceID, "#\(iteration)")
                #expect(back.cases.map(\.a) == file.cases.map(\.a) && back.cases.map(\.w) == file.cases.map(\.w), "#\(iteration)")
                #expect(back.cases.map(\.expected) == file.cases.map(\.expected), "#\(iteration)")
                #expect(back.cases.map(\.activation) == file.cases.map(\.activation) && back.cases.map(\.weight) == file.cases.map(\.weight))
                read += 1
            } catch let error as VectorFileError {
                #expect(!error.description.contains("\n") && !error.description.contains("\r") && !error.description.contains("Error Domain="),
                        "#\(iteration): \(error)")
                #expect(error.description.hasPrefix("v.hex"), "#\(iteration): \(error)")
                #expect(error.description.count < 300, "#\(iteration): \(error.description.prefix(400))")
            }
        }
        #expect(read > 0 && read < Self.rounds, "\(read) of \(Self.rounds) read")
    }
}
