import Foundation
import Testing

/// Output bytes are the same in every process. Swift seeds `Hasher` once per process, so a
/// Dictionary or Set iteration order that leaks into a file differs between two runs of
/// the binary, never between two calls inside one test process: hence separate processes,
/// with `SWIFT_DETERMINISTIC_HASHING` removed from their environment.
@Suite struct CrossProcessDeterminismTests {
    typealias CLI = CommandLineTests

    /// Runs antgen in `dir` with per-process hash seeding on.
    static func run(_ arguments: [String], in dir: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = CLI.antgen
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SWIFT_DETERMINISTIC_HASHING")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A little-endian float32 .npy file of `shape`, values from a fixed LCG (spread over
    /// several magnitudes per row so the adaptive type choice varies between channels).
    static func npy(shape: (Int, Int)) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.0), \(shape.1)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        var state: UInt32 = 12345
        for row in 0 ..< shape.0 {
            for _ in 0 ..< shape.1 {
                state = state &* 1_664_525 &+ 1_013_904_223
                let unit = Float(state >> 8) / Float(1 << 24) - 0.5
                let value = row % 2 == 0 ? unit * Float(row + 1) : unit * unit * unit * 8
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Every regular file under `folder` (recursive), by relative path.
    static func tree(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        while let relative = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[relative] = try Data(contentsOf: url)
            }
        }
        return files
    }

    @Test func emitAndQuantizeGiveTheSameBytesInEveryProcess() throws {
        let root = try CLI.temporaryFolder("determinism")
        defer { try? FileManager.default.removeItem(at: root) }
        var trees: [[String: Data]] = []
        for run in 0 ..< 3 {
            // Each process in its own folder with identical relative paths, so paths that
            // appear in outputs are equal too.
            let dir = root.appendingPathComponent("run\(run)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Self.npy(shape: (6, 32)).write(to: dir.appendingPathComponent("w.npy"))
            #expect(try Self.run(["emit", "--rows", "3", "--cols", "2", "--act-types", "int,pot", "--weight-types", "int,flint,pot,float",
                                  "--acc-width", "20", "-o", "rtl"], in: dir) == 0)
            #expect(try Self.run(["emit-examples", "-o", "examples"], in: dir) == 0)
            #expect(try Self.run(["quantize", "w.npy", "--mode", "ant-int-pot-flint-float", "--json", "w.quant.json",
                                  "--out", "quant"], in: dir) == 0)
            #expect(try Self.run(["quantize", "w.npy", "--role", "activation", "--bits", "3", "--json", "a.quant.json"], in: dir) == 0)
            trees.append(try Self.tree(dir))
        }
        let first = trees[0]
        #expect(first.keys.contains("w.quant.json") && first.keys.contains("a.quant.json") && first.keys.contains("rtl/manifest.json"))
        #expect(first.keys.filter { $0.hasPrefix("quant/") }.count >= 3)
        #expect(first.keys.filter { $0.hasPrefix("examples/") }.count >= 5)
        for other in trees.dropFirst() {
            #expect(Set(other.keys) == Set(first.keys))
            for (name, bytes) in first {
                #expect(other[name] == bytes, "\(name) differs between two antgen processes")
            }
        }
    }
}
