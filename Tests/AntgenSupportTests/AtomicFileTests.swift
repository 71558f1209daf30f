import AntgenSupport
import Foundation
import Testing

/// A fresh empty folder under the temporary directory, removed by the caller.
func scratchFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-support-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct AtomicFileTests {
    @Test func writesEveryFileAndLeavesNoTemporaryFile() throws {
        let dir = try scratchFolder("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("nested/out")
        let written = try writeAtomically([("a.v", "module a;\nendmodule\n"), ("a.f", "a.v\n")], to: target)
        #expect(written.map(\.lastPathComponent) == ["a.v", "a.f"])
        #expect(try String(contentsOf: target.appendingPathComponent("a.v"), encoding: .utf8) == "module a;\nendmodule\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["a.f", "a.v"])
    }

    @Test func replacesAnExistingFileWhole() throws {
        let dir = try scratchFolder("replace")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.xml")
        try writeAtomically(String(repeating: "old ", count: 1000), to: file)
        try writeAtomically("new", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "new")
    }

    @Test func aFolderInTheWayIsOneLineAndTouchesNothing() throws {
        let dir = try scratchFolder("folder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocked = dir.appendingPathComponent("out.xml")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        #expect(throws: FileWriteError(path: blocked.path, reason: "a folder of that name exists")) {
            try writeAtomically("x", to: blocked)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.xml"])
    }

    @Test func aFileInTheWayOfTheFolderIsOneLine() throws {
        let dir = try scratchFolder("file")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rtl")
        try writeAtomically("x", to: file)
        do {
            try writeAtomically([("a.v", "")], to: file)
            Issue.record("wrote into a path that is a file")
        } catch {
            #expect("\(error)" == "cannot write \(file.path): a file of that name exists")
        }
        do {
            try writeAtomically("x", to: dir.appendingPathComponent("missing/a.txt"))
            Issue.record("wrote into a missing folder")
        } catch {
            #expect("\(error)".hasSuffix("missing/a.txt: its folder does not exist"))
        }
    }
}

@Suite struct ContentHashTests {
    @Test func separatesFieldBoundariesAndIsStable() {
        var ab = ContentHash(); ab.add("ab"); ab.add("c")
        var abc = ContentHash(); abc.add("a"); abc.add("bc")
        var again = ContentHash(); again.add("ab"); again.add("c")
        var empty = ContentHash(); empty.add("")
        #expect(ab.hex != abc.hex)
        #expect(ab.hex == again.hex)
        #expect(empty.hex != ContentHash().hex)
        #expect(ab.hex.count == 64)
    }

    /// The FIPS 180-2 test vectors: SHA-256 of "abc" and of the empty input.
    @Test func rawBytesGiveTheStandardSHA256() {
        #expect(ContentHash(bytes: Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash().hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash(bytes: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // FIPS 180-2's two-block message and its one million "a"s.
        let long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(ContentHash(bytes: Data(long.utf8)).hex == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(ContentHash(bytes: Data(repeating: UInt8(ascii: "a"), count: 1_000_000)).hex
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every padding case (lengths around the 55/56/64-byte block edges) agrees with the
    /// system's `sha256sum`, the independent reference.
    @Test func agreesWithSha256sumAcrossBlockEdges() throws {
        let dir = try scratchFolder("sha256")
        defer { try? FileManager.default.removeItem(at: dir) }
        for count in [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 129, 4097] {
            let bytes = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
            let file = dir.appendingPathComponent("m\(count)")
            try bytes.write(to: file)
            let tool = Process()
            tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tool.arguments = ["sha256sum", file.path]
            let pipe = Pipe()
            tool.standardOutput = pipe
            try tool.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            tool.waitUntilExit()
            #expect(ContentHash(bytes: bytes).hex == String(output.prefix(64)), "length \(count)")
        }
    }

    /// Fields of every length up to two blocks, added one by one, hash as their framed bytes
    /// in one piece (the partial-block buffer carries across calls).
    @Test func incrementalFieldsMatchOneShot() {
        var fields = ContentHash()
        var bytes: [UInt8] = []
        for length in 0...130 {
            let text = String(repeating: "x", count: length)
            fields.add(text)
            bytes += withUnsafeBytes(of: UInt64(length).littleEndian, Array.init) + Array(text.utf8)
        }
        #expect(fields.hex == ContentHash(bytes: Data(bytes)).hex)
    }

    /// A field is its 8-byte little-endian length, then its bytes: the key is SHA-256 of that.
    @Test func fieldsAreLengthFramed() {
        var framed = ContentHash(); framed.add("abc")
        let bytes: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0] + Array("abc".utf8)
        #expect(framed.hex == ContentHash(bytes: Data(bytes)).hex)
        // Reading the digest does not end the hash.
        _ = framed.hex
        framed.add("d")
        #expect(framed.hex == ContentHash(bytes: Data(bytes + [1, 0, 0, 0, 0, 0, 0, 0] + Array("d".utf8))).hex)
    }
}
