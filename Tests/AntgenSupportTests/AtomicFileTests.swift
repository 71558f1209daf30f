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
        #expect(ab.hex != abc.hex)
        #expect(ab.hex == again.hex)
        #expect(ab.hex.count == 32)
        // The empty hash is the two FNV-1a offset bases, high lane first.
        #expect(ContentHash().hex == "6c62272e07bb0142cbf29ce484222325")
    }
}
