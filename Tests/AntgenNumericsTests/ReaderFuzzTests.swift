import Foundation
import Testing
@testable import AntgenNumerics

/// Mutations of a valid file: bit flips, truncations, byte runs, huge numbers spliced into
/// the header, wrong dtypes and random bytes, from a seeded generator (reproducible).
struct FileMutator {
    var generator: SplitMix64
    let replacements: [String]

    mutating func next(_ valid: [UInt8]) -> [UInt8] {
        var bytes = valid
        switch generator.next() % 7 {
        case 0: // bit flips
            for _ in 0 ... Int(generator.next() % 4) where !bytes.isEmpty {
                bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(1 << (generator.next() % 8))
            }
        case 1: // truncation
            bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1))))
        case 2: // random bytes overwritten
            let start = Int(generator.next() % UInt64(bytes.count))
            for index in start ..< min(bytes.count, start + Int(generator.next() % 16) + 1) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
        case 3, 4: // a header token replaced by a huge number, a wrong dtype, …
            var text = String(decoding: bytes, as: UTF8.self)
            let numbers = text.ranges(of: /[0-9]+|'[<>|][a-z][0-9]'|"[A-Z0-9_]+"|True|False/)
            if let range = numbers.isEmpty ? nil : numbers[Int(generator.next() % UInt64(numbers.count))] {
                text.replaceSubrange(range, with: replacements[Int(generator.next() % UInt64(replacements.count))])
                bytes = Array(text.utf8)
            }
        case 5: // appended or inserted junk
            let insertAt = Int(generator.next() % UInt64(bytes.count + 1))
            bytes.insert(contentsOf: (0 ..< Int(generator.next() % 9)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: insertAt)
        default: // entirely random
            bytes = (0 ..< Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }
}

/// The readers never crash, hang or dump: each of 10,000 mutated inputs per reader either
/// parses to a valid tensor or throws one line naming the file (docs/reliability.md).
@Suite struct ReaderFuzzTests {
    static let replacements = ["9223372036854775807", "99999999999999999999", "-1", "0", "1e308", "'<f2'", "'>f8'", "'<i8'", "'|u1'",
                               "\"I64\"", "\"F16\"", "\"BOOL\"", "\"X\"", "True", "4294967295", "18446744073709551616"]

    static func check(_ label: String, valid: [UInt8], name: String, read: (String) throws -> [NamedTensor]) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        var mutator = FileMutator(generator: SplitMix64(seed: 0x16), replacements: replacements)
        var parsed = 0
        for iteration in 0 ..< 10_000 {
            let bytes = mutator.next(valid)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                for named in try read(path) {
                    #expect(named.tensor.count > 0 && named.tensor.firstNonFiniteIndex == nil, "\(label) #\(iteration)")
                    #expect(Tensor.elementCount(of: named.tensor.shape) == named.tensor.count, "\(label) #\(iteration)")
                }
                parsed += 1
            } catch let error as TensorFileError {
                #expect(!error.description.contains("\n") && !error.description.contains("Error Domain="), "\(label) #\(iteration): \(error)")
                #expect(error.description.hasPrefix(path), "\(label) #\(iteration): \(error)")
            }
        }
        // Some mutations leave a valid file (e.g. a flipped data bit): the valid path is exercised.
        #expect(parsed > 0 && parsed < 10_000, "\(label): \(parsed) parsed")
    }

    @Test func npyReader() throws {
        let valid = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", data: float32Bytes((0 ..< 12).map { Float($0) - 5.5 }))
        try Self.check("npy", valid: valid, name: "t.npy") { [try NpyFile.read(atPath: $0)] }
    }

    @Test func safetensorsReader() throws {
        let valid = safetensorsBytes([
            SafetensorsEntry(name: "a", dtype: "F32", shape: [2, 2], data: float32Bytes([1, -2, 3, 4])),
            SafetensorsEntry(name: "b", dtype: "F64", shape: [3], data: float64Bytes([0.5, 1e-300, -7])),
        ])
        try Self.check("safetensors", valid: valid, name: "t.safetensors") { try SafetensorsFile.read(atPath: $0) }
    }
}
