import AntgenNumerics
import Foundation
import Testing
@testable import AntgenTuner

/// Mutations of a valid plan from a seeded generator (reproducible): bit flips, truncations,
/// random byte runs, a JSON value replaced by a huge number, a value of the wrong type, NaN,
/// a negative extent or another tag, inserted junk and random bytes.
struct PlanMutator {
    var generator: SplitMix64
    static let replacements = ["9223372036854775807", "99999999999999999999", "-1", "0", "1e308", "-1e400", "\"nan\"", "\"inf\"", "null",
                               "true", "\"x\"", "[]", "{}", "[1, 2]", "\"activation\"", "\"bias\"", "\"antgen-plan\"", "2", "\"\\u0000\\n\"",
                               "1.5", "[-3, 4]", "\"a\\nb\""]

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
            // JSON values (numbers, strings, true/false), found by one byte scan (Regex is slow).
            var found: [Range<Int>] = []
            var index = 0
            while index < bytes.count {
                let start = index
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
                    index += 1
                case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
                    while index < bytes.count, "0123456789.eE+-".utf8.contains(bytes[index]) { index += 1 }
                case UInt8(ascii: "t"), UInt8(ascii: "f"):
                    while index < bytes.count, (0x61 ... 0x7A).contains(bytes[index]) { index += 1 }
                default:
                    index += 1
                    continue
                }
                found.append(start ..< min(index, bytes.count))
            }
            // One to three values, replaced from the last so the earlier ranges stay valid.
            for chosen in Set((0 ... pick(2)).map { _ in pick(found.count) }).sorted(by: >) where chosen < found.count {
                bytes.replaceSubrange(found[chosen], with: Array(Self.replacements[pick(Self.replacements.count)].utf8))
            }
        case 6:
            bytes.insert(contentsOf: (0 ..< pick(9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: pick(bytes.count + 1))
        default:
            bytes = (0 ..< pick(200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }
}

/// The plan reader never crashes, hangs or dumps: each of 10,000 mutated plans either reads to
/// a plan that breaks none of its rules and writes back to itself, or is rejected with one
/// line naming the file (docs/reliability.md).
@Suite struct PlanFuzzTests {
    /// Reads the plan at `path`, writes it to `again` and checks it reads back to itself
    /// (untyped throws: the caller tells the reader's `TuningError` from a test failure).
    static func readAndRewrite(_ path: String, _ again: String) throws -> QuantizationPlan {
        let decoded = try QuantizationPlan.read(atPath: path)
        try decoded.write(toPath: again)
        #expect(try QuantizationPlan.read(atPath: again) == decoded)
        return decoded
    }

    @Test func mutatedPlansReadOrFailWithOneLine() throws {
        let space = TuningSpace(kinds: AntType.allCases.map(TypeCandidate.init), widths: Array(2 ... 5), threadCount: 2)
        let inputs = [gaussianTensor("fc.weight", shape: [4, 16], seed: 3)].map { TuningInput(file: "mem", tensor: $0) }
        let plan = try tuneWithProxy(inputs, space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 15)).plan
        let valid = Array(plan.jsonData())
        let directory = try scratchDirectory("plan-fuzz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("p.json").path, again = directory.appendingPathComponent("again.json").path
        var mutator = PlanMutator(generator: SplitMix64(seed: 0x16_0004))
        var read = 0
        for iteration in 0 ..< 10_000 {
            try Data(mutator.next(valid)).write(to: URL(fileURLWithPath: path))
            do {
                let decoded = try Self.readAndRewrite(path, again)
                #expect(decoded.problem == nil, "#\(iteration)")
                _ = decoded.table
                read += 1
            } catch let error as TuningError {
                #expect(!error.description.contains("\n") && !error.description.contains("\r") && !error.description.contains("Error Domain="),
                        "#\(iteration): \(error)")
                #expect(error.description.hasPrefix(path + ": not an antgen plan ("), "#\(iteration): \(error)")
                #expect(error.description.count < 400, "#\(iteration): \(error.description.prefix(500))")
            }
        }
        #expect(read > 0 && read < 10_000, "\(read) read")
    }
}
