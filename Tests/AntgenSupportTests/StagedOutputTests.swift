import AntgenSupport
import Foundation
import Glibc
import Testing

/// Issue 24: outputs committed together, abandoned temporaries removed, memory estimates and
/// `--max-memory` never trapping.
@Suite struct StagedOutputTests {
    @Test func stagedFilesAppearTogetherOrNotAtAll() throws {
        let dir = try scratchFolder("staged-files")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("c.npy").path, r = dir.appendingPathComponent("r.json").path
        let staged = StagedFiles()
        try staged.write(Data("C".utf8), to: c)
        try staged.write(Data("R".utf8), to: r)
        #expect(!FileManager.default.fileExists(atPath: c) && !FileManager.default.fileExists(atPath: r), "nothing before the commit")
        try staged.commit()
        #expect(try String(contentsOfFile: c, encoding: .utf8) == "C" && String(contentsOfFile: r, encoding: .utf8) == "R")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["c.npy", "r.json"])
    }

    /// The second target turned into a folder after staging: the first must not be replaced.
    @Test func aTargetInTheWayLeavesEveryTargetUntouched() throws {
        let dir = try scratchFolder("staged-blocked")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("c.npy").path, r = dir.appendingPathComponent("r.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: c))
        let staged = StagedFiles()
        try staged.write(Data("C".utf8), to: c)
        try staged.write(Data("R".utf8), to: r)
        try FileManager.default.createDirectory(atPath: r, withIntermediateDirectories: false)
        #expect(throws: FileWriteError.self) { try staged.commit() }
        #expect(try String(contentsOfFile: c, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["c.npy", "r.json"], "no temporary file left")
    }

    @Test func anUncreatableTargetFailsAtStaging() throws {
        let staged = StagedFiles()
        #expect(throws: FileWriteError.self) { try staged.write(Data("R".utf8), to: "/proc/antgen-staged-test.json") }
        #expect(throws: FileWriteError.self) { try staged.write(Data("R".utf8), to: "/nonexistent-antgen/r.json") }
    }

    /// A folder in the way of one file of a staged output folder fails before any file moves
    /// (before, the files sorted before it were already in the target).
    @Test func aStagedFolderMovesWholeOrNotAtAll() throws {
        let dir = try scratchFolder("staged-folder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("o")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("b.npy"), withIntermediateDirectories: true)
        let staged = try StagedFolder(target: target)
        for name in ["a.npy", "b.npy", "c.npy"] { try Data(name.utf8).write(to: staged.staging.appendingPathComponent(name)) }
        #expect(throws: FileWriteError.self) { try staged.moveIntoPlace() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["b.npy"])
        staged.discard()
    }

    /// A build folder of a killed process (a pid that cannot exist) is removed; one of a
    /// running process stays unless it is older than a week.
    @Test func abandonedTemporariesAreRemovedByOwnerAndAge() throws {
        let dir = try scratchFolder("abandoned")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = ".tmp-ant-os-4x4-\(Int32.max - 7)-ABCDEF12", live = ".tmp-ant-os-4x4-\(getpid())-ABCDEF12"
        let oldLive = ".tmp-mx-\(getppid())-0000AAAA", other = "ant-os-4x4-abc"
        for name in [dead, live, oldLive, other] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let old = Date().addingTimeInterval(-8 * 24 * 3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.appendingPathComponent(oldLive).path)
        let removed = AbandonedTemporaries.remove(in: dir)
        #expect(Set(removed) == [dead, oldLive])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [live, other].sorted())
    }

    @Test func memoryLimitsParseAndEstimatesSaturate() throws {
        #expect(try MemoryLimit.parse("512M").bytes == 512 << 20)
        #expect(try MemoryLimit.parse("16g").bytes == 16 << 30)
        #expect(try MemoryLimit.parse("1000").bytes == 1000)
        for bad in ["", "G", "abc", "0", "-1G", "nan", "inf", "99999999T"] {
            #expect(throws: MemoryLimitError.self, "\(bad)") { try MemoryLimit.parse(bad) }
        }
        #expect(SizeEstimate.product(Int.max, 2) == Int.max && SizeEstimate.product(1 << 40, 1 << 40) == Int.max)
        #expect(SizeEstimate.sum(Int.max, 1) == Int.max && SizeEstimate.product(-3, 5) == 0)
        let limit = MemoryLimit(bytes: 1 << 30)
        #expect(throws: MemoryLimitError.self) { try limit.check(Int.max, for: "x") }
        try limit.check(1 << 30, for: "x")
        #expect(MemoryLimit.standard.bytes > 0)
    }
}
