import Foundation
import Testing
@testable import AntgenNumerics

@Suite(".safetensors reading")
struct SafetensorsFileTests {
    private var entries: [SafetensorsEntry] {
        [
            SafetensorsEntry(name: "layer.weight", dtype: "F32", shape: [2, 2], data: float32Bytes([1, -2, 0.5, 4])),
            SafetensorsEntry(name: "half", dtype: "F16", shape: [3], data: ([0x3C00, 0xC000, 0x3800] as [UInt16]).flatMap(littleEndianBytes)),
            SafetensorsEntry(name: "brain", dtype: "BF16", shape: [2], data: ([0x3F80, 0xC0A0] as [UInt16]).flatMap(littleEndianBytes)),
            SafetensorsEntry(name: "double", dtype: "F64", shape: [1, 2], data: float64Bytes([0.1, -3])),
        ]
    }

    @Test("reads F32, F16, BF16 and F64 in file order")
    func readsAll() throws {
        let path = try writeFile(safetensorsBytes(entries), named: "m.safetensors", in: try temporaryDirectory())
        let tensors = try SafetensorsFile.read(atPath: path)
        #expect(tensors.map(\.name) == ["layer.weight", "half", "brain", "double"])
        #expect(tensors[0].tensor == (try Tensor(shape: [2, 2], float32: [1, -2, 0.5, 4])))
        #expect(tensors[1].tensor.doubles == [1, -2, 0.5])
        #expect(tensors[2].tensor.doubles == [1, -5])
        #expect(tensors[3].tensor == (try Tensor(shape: [1, 2], float64: [0.1, -3])))
        #expect(try SafetensorsFile.tensorNames(atPath: path) == ["layer.weight", "half", "brain", "double"])
    }

    @Test("reads a subset by name, in the order asked, skipping unsupported tensors")
    func subset() throws {
        let withInts = entries + [SafetensorsEntry(name: "steps", dtype: "I64", shape: [1], data: littleEndianBytes(Int64(7)))]
        let path = try writeFile(safetensorsBytes(withInts, metadata: false), named: "m.safetensors", in: try temporaryDirectory())
        let tensors = try readTensorFile(atPath: path, names: ["double", "layer.weight"])
        #expect(tensors.map(\.name) == ["double", "layer.weight"])
        #expect(tensorFileErrorKind { _ = try SafetensorsFile.read(atPath: path) } == .unsupportedDtype)
    }

    @Test("every failure names the file and the problem", arguments: [
        ("short", TensorFileError.Kind.truncated),
        ("length", .truncated),
        ("json", .malformedHeader),
        ("array", .malformedHeader),
        ("fields", .malformedHeader),
        ("offsets", .malformedHeader),
        ("size", .malformedHeader),
        ("beyond", .truncated),
        ("dtype", .unsupportedDtype),
        ("name", .noSuchTensor),
        ("empty", .emptyTensor),
        ("nan", .nonFiniteValue),
    ])
    func failures(caseName: String, kind: TensorFileError.Kind) throws {
        func file(header: String, data: [UInt8] = []) -> [UInt8] {
            littleEndianBytes(UInt64(header.utf8.count)) + Array(header.utf8) + data
        }
        let good = safetensorsBytes(entries)
        let bytes: [UInt8]
        var names: [String]? = nil
        switch caseName {
        case "short": bytes = [1, 2, 3]
        case "length": bytes = littleEndianBytes(UInt64(1000)) + Array("{}".utf8)
        case "json": bytes = file(header: "{\"a\": [1, 2")
        case "array": bytes = file(header: "[1, 2, 3]")
        case "fields": bytes = file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", data: float32Bytes([1]))
        case "offsets": bytes = file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", data: float32Bytes([1]))
        case "size": bytes = file(header: "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", data: float32Bytes([1]))
        case "beyond": bytes = Array(good.dropLast(4))
        case "dtype": bytes = safetensorsBytes([SafetensorsEntry(name: "i", dtype: "I32", shape: [1], data: littleEndianBytes(Int32(1)))])
        case "name":
            bytes = good
            names = ["layer.weight", "nope"]
        case "empty": bytes = safetensorsBytes([SafetensorsEntry(name: "e", dtype: "F32", shape: [0, 4], data: [])])
        default: bytes = safetensorsBytes([SafetensorsEntry(name: "n", dtype: "F32", shape: [2], data: float32Bytes([1, .nan]))])
        }
        let path = try writeFile(bytes, named: "bad.safetensors", in: try temporaryDirectory())
        do {
            _ = try SafetensorsFile.read(atPath: path, names: names)
            Issue.record("\(caseName): no error")
        } catch {
            #expect(error.kind == kind, "\(caseName): \(error)")
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test("unknown names list what the file has")
    func unknownNameMessage() throws {
        let path = try writeFile(safetensorsBytes(entries), named: "m.safetensors", in: try temporaryDirectory())
        #expect(throws: TensorFileError(path: path, kind: .noSuchTensor, problem: "no tensor named 'w' (the file has: layer.weight, half, brain, double)")) {
            try SafetensorsFile.read(atPath: path, names: ["w"])
        }
    }
}

@Suite("Reports")
struct ReportTests {
    @Test("table and JSON carry every candidate, the choice and the α range")
    func report() throws {
        var generator = SeededGenerator(seed: 4)
        let values = (0 ..< 256).map { _ in Float(generator.gaussian()) }
        let result = try AntQuantizer().quantize(try Tensor(shape: [4, 64], float32: values))
        let report = TensorReport(file: "m.safetensors", name: "w", shape: [4, 64], result: result)
        #expect(report.candidates.map(\.type) == ["int", "flint", "pot"])
        #expect(report.chosenType == result.chosenType.name)
        #expect(report.alphaMin == result.alphas.min() && report.alphaMax == result.alphas.max())
        #expect(report.relativeError == result.meanSquaredError / result.meanSquare)
        let table = report.table
        #expect(table.contains("w  (m.safetensors)"))
        #expect(table.contains("shape [4, 64]  signed  weight  4 αs"))
        #expect(table.contains("<- chosen"))
        let full = QuantizationReport(tensors: [report, report])
        let decoded = try JSONDecoder().decode(QuantizationReport.self, from: full.jsonData())
        #expect(decoded == full)
        let path = try temporaryDirectory().appendingPathComponent("r.json").path
        try full.writeJSON(toPath: path)
        #expect(try JSONDecoder().decode(QuantizationReport.self, from: Data(contentsOf: URL(fileURLWithPath: path))) == full)
    }
}
