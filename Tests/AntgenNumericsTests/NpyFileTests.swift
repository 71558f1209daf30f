import Foundation
import Testing
@testable import AntgenNumerics

@Suite(".npy reading and writing")
struct NpyFileTests {
    private let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
    private let values: [Float] = [1, -2, 3.5, 0, 0.25, -7]

    @Test("reads float32 with v1, v2 and v3 headers")
    func headerVersions() throws {
        let directory = try temporaryDirectory()
        for major in [UInt8(1), 2, 3] {
            let path = try writeFile(npyBytes(header: header, data: float32Bytes(values), major: major), named: "t\(major).npy", in: directory)
            let named = try NpyFile.read(atPath: path)
            #expect(named.name == "t\(major)")
            #expect(named.tensor == (try Tensor(shape: [2, 3], float32: values)))
        }
    }

    @Test("reads numpy-written float16, big-endian float32 and float64 v2 files")
    func numpyFixtures() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let expected: [Double] = [1.5, -2.25, 0, 65504, -0.00006103515625, 3]
        for name in ["numpy_float16", "numpy_float32_big_endian", "numpy_float64_v2"] {
            let tensor = try NpyFile.read(atPath: folder.appendingPathComponent(name + ".npy").path).tensor
            #expect(tensor.shape == [2, 3], "\(name)")
            #expect(tensor.doubles == expected, "\(name)")
        }
    }

    @Test("float16 subnormals and scalars")
    func halfAndScalar() throws {
        let directory = try temporaryDirectory()
        // 0x0001 is 2^−24, 0x8400 is −2^−14, 0x3C00 is 1, 0x7BFF is 65504.
        let halves: [UInt16] = [0x0001, 0x8400, 0x3C00, 0x7BFF]
        let path = try writeFile(npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", data: halves.flatMap(littleEndianBytes)), named: "h.npy", in: directory)
        #expect(try NpyFile.read(atPath: path).tensor.doubles == [0x1p-24, -0x1p-14, 1, 65504])
        let scalar = try writeFile(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", data: float64Bytes([2.5])), named: "s.npy", in: directory)
        let tensor = try NpyFile.read(atPath: scalar).tensor
        #expect(tensor.shape == [] && tensor.doubles == [2.5])
    }

    @Test("write then read round-trips float32, float64 and uint8 bytes")
    func roundTrip() throws {
        let directory = try temporaryDirectory()
        let f32 = directory.appendingPathComponent("a.npy").path
        try NpyFile.write(.float32(values), shape: [3, 2], toPath: f32)
        #expect(try NpyFile.read(atPath: f32).tensor == (try Tensor(shape: [3, 2], float32: values)))
        let f64 = directory.appendingPathComponent("b.npy").path
        try NpyFile.write(.float64([0.1, -1e300]), shape: [2], toPath: f64)
        #expect(try NpyFile.read(atPath: f64).tensor.doubles == [0.1, -1e300])
        let codes = directory.appendingPathComponent("c.npy").path
        try NpyFile.write(.uint8([1, 2, 255]), shape: [3], toPath: codes)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: codes)))
        #expect(bytes.count % 64 == 3 && Array(bytes.suffix(3)) == [1, 2, 255])
        #expect(String(decoding: bytes[10 ..< bytes.count - 3], as: UTF8.self).hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"))
        #expect(bytes[bytes.count - 4] == 0x0A)
        #expect(throws: TensorFileError.self) { try NpyFile.write(.uint8([1]), shape: [2], toPath: codes) }
        let unwritable = directory.appendingPathComponent("missing/dir/x.npy").path
        #expect(tensorFileErrorKind { try NpyFile.write(.uint8([1]), shape: [1], toPath: unwritable) } == .unwritable)
        #expect(!FileManager.default.fileExists(atPath: unwritable))
    }

    @Test("every failure names the file and the problem", arguments: [
        ("notnpy", TensorFileError.Kind.notATensorFile),
        ("preamble", .truncated),
        ("header", .truncated),
        ("data", .truncated),
        ("trailing", .trailingData),
        ("dict", .malformedHeader),
        ("version", .malformedHeader),
        ("int32", .unsupportedDtype),
        ("complex", .unsupportedDtype),
        ("fortran", .fortranOrder),
        ("empty", .emptyTensor),
        ("nan", .nonFiniteValue),
        ("inf", .nonFiniteValue),
        ("missing", .unreadable),
        ("directory", .unreadable),
    ])
    func failures(caseName: String, kind: TensorFileError.Kind) throws {
        let directory = try temporaryDirectory()
        let good = npyBytes(header: header, data: float32Bytes(values))
        let bytes: [UInt8]
        switch caseName {
        case "notnpy": bytes = Array("hello, this is text".utf8)
        case "preamble": bytes = Array(good.prefix(5))
        case "header": bytes = Array(good.prefix(30))
        case "data": bytes = Array(good.dropLast(3))
        case "trailing": bytes = good + [0, 0, 0, 0]
        case "dict": bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 3), }", data: float32Bytes(values))
        case "version": bytes = [0x93] + Array("NUMPY".utf8) + [4, 0] + good.dropFirst(8)
        case "int32": bytes = npyBytes(header: "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", data: float32Bytes(values))
        case "complex": bytes = npyBytes(header: "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", data: float32Bytes(values))
        case "fortran": bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data: float32Bytes(values))
        case "empty": bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", data: [])
        case "nan": bytes = npyBytes(header: header, data: float32Bytes([1, 2, .nan, 4, 5, 6]))
        case "inf": bytes = npyBytes(header: header, data: float32Bytes([1, 2, 3, 4, 5, -.infinity]))
        default: bytes = []
        }
        var path = try writeFile(bytes, named: "bad.npy", in: directory)
        if caseName == "missing" { path = directory.appendingPathComponent("absent.npy").path }
        if caseName == "directory" {
            path = directory.appendingPathComponent("folder.npy").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        do {
            _ = try NpyFile.read(atPath: path)
            Issue.record("\(caseName): no error")
        } catch {
            #expect(error.kind == kind, "\(caseName): \(error)")
            #expect(error.description.hasPrefix(path + ": "))
            #expect(!error.problem.isEmpty)
        }
    }

    @Test("error messages say what is wrong")
    func messages() throws {
        let directory = try temporaryDirectory()
        let nan = try writeFile(npyBytes(header: header, data: float32Bytes([1, 2, .nan, 4, 5, 6])), named: "w.npy", in: directory)
        #expect(throws: TensorFileError(path: nan, kind: .nonFiniteValue, problem: "tensor 'w' has a non-finite value (nan) at flat index 2")) {
            try NpyFile.read(atPath: nan)
        }
        let short = try writeFile(Array(npyBytes(header: header, data: float32Bytes(values)).dropLast(4)), named: "s.npy", in: directory)
        #expect(throws: TensorFileError(path: short, kind: .truncated, problem: "truncated data: shape [2, 3] of float32 needs 24 bytes, the file has 20")) {
            try NpyFile.read(atPath: short)
        }
        #expect(tensorFileErrorKind { _ = try readTensorFile(atPath: directory.appendingPathComponent("x.csv").path) } == .unknownExtension)
    }
}
