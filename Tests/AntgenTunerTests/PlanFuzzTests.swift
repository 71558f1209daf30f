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
            var text = String(decoding: bytes, as: UTF8.self)
            for _ in 0 ... pick(2) {
                let found = text.ranges(of: /-?[0-9][0-9.e+-]*|"[^"]*"|\[[^\[\]{}]*\]|true|false/)
                guard !found.isEmpty else { break }
                text.replaceSubrange(found[pick(found.count)], with: Self.replacements[pick(Self.replacements.count)])
            }
            bytes = Array(text.utf8)
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
        let space = TuningSpace(kinds: [.int, .flint, .pot, .float], widths: Array(2 ... 5), threadCount: 2)
        let inputs = Array(sampleInputs().prefix(2))
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
