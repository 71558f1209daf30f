import Foundation
import Testing
@testable import AntgenNumerics

/// The .safetensors layout rules (docs/reliability.md): the tensors tile the data buffer
/// from byte 0 with no overlap, no hole and nothing after the last one, names are unique,
/// and each span is dtype size × element count. Each malformed file was accepted before.
@Suite struct SafetensorsLayoutTests {
    /// A file from a header literal and raw data bytes.
    static func file(_ header: String, data: [UInt8]) -> [UInt8] {
        littleEndianBytes(UInt64(header.utf8.count)) + Array(header.utf8) + data
    }

    static let eight = float32Bytes([1, 2])

    @Test(arguments: [
        ("overlap", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, "'b'", "overlap"),
        ("hole", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}"#, "'b'", "hole"),
        ("late start", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, "'a'", "hole"),
        ("duplicate", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, "'a'", "twice"),
        ("span", #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#, "'a'", "needs 4"),
        ("other dtype span", #"{"a":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}"#, "'a'", "needs 16"),
        ("trailing", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, "4 bytes", "follow the last tensor"),
    ])
    func malformedLayoutsAreRejectedWithTheTensorsName(label: String, header: String, name: String, phrase: String) throws {
        let path = try writeFile(Self.file(header, data: Self.eight), named: "bad.safetensors", in: try temporaryDirectory())
        do {
            let tensors = try SafetensorsFile.read(atPath: path)
            Issue.record("\(label): accepted \(tensors.map(\.name))")
        } catch {
            #expect(error.description.contains(name) && error.description.contains(phrase), "\(label): \(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func wellFormedFilesStillRead() throws {
        let header = #"{"__metadata__":{"k":"v"},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a\u0031":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let path = try writeFile(Self.file(header, data: Self.eight), named: "ok.safetensors", in: try temporaryDirectory())
        let tensors = try SafetensorsFile.read(atPath: path)
        #expect(tensors.map(\.name) == ["a1", "b"])
        #expect(tensors.map(\.tensor.doubles) == [[1], [2]])
        let opened = try SafetensorsFile.OpenedFile(atPath: path)
        #expect(try opened.tensor(named: "b").tensor.doubles == [2])
    }

    @Test func topLevelKeysIgnoreNestedObjectsAndStrings() {
        let json = #"{"a":{"x":"\"q\"","y":[1,{"z":2}]},"b\\":"s,t","c":3}"#
        #expect(SafetensorsFile.topLevelKeys(of: Array(json.utf8)) == ["a", "b\\", "c"])
    }
}
