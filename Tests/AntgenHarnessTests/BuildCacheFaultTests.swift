@testable import AntgenHarness
import AntgenSupport
import Foundation
import Testing

/// A cached simulator that is broken is detected (and so rebuilt), and temporary build
/// folders of killed antgen processes are removed by the next build.
@Suite struct BuildCacheFaultTests {
    /// A cache entry whose `obj_dir/sim` is the shell script `body`, stamped as a finished build.
    static func entry(_ body: String, in cache: URL) throws -> URL {
        let folder = cache.appendingPathComponent("verilator-1x1-test")
        try createFolder(folder.appendingPathComponent("obj_dir"))
        let sim = folder.appendingPathComponent("obj_dir/sim")
        try writeAtomically("#!/bin/sh\n" + body + "\n", to: sim)
        chmod(sim.path, 0o755)
        try writeAtomically(try #require(VerilatorBuilder.stamp(folder)), to: folder.appendingPathComponent(VerilatorBuilder.stampFile))
        return folder
    }

    @Test func brokenCachedSimulatorsAreNotUsed() throws {
        let cache = try temporaryDirectory("cache-faults")
        defer { try? FileManager.default.removeItem(at: cache) }
        let builder = VerilatorBuilder(cacheDirectory: cache, testbenches: try TestbenchSources.locate())
        let healthy = "echo 'harness: error: no vector file given' >&2; exit 2"
        var folder = try Self.entry(healthy, in: cache)
        #expect(builder.usable(folder))

        // Truncated after the stamp was written.
        let sim = folder.appendingPathComponent("obj_dir/sim")
        let bytes = try Data(contentsOf: sim)
        try bytes.prefix(bytes.count / 2).write(to: sim)
        #expect(!builder.usable(folder))

        // Not executable.
        folder = try Self.entry(healthy, in: cache)
        chmod(sim.path, 0o644)
        #expect(!builder.usable(folder))

        // Crashes on the smoke run.
        folder = try Self.entry("kill -SEGV $$", in: cache)
        #expect(!builder.usable(folder))

        // A build that never wrote its stamp (killed before the end).
        folder = try Self.entry(healthy, in: cache)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(VerilatorBuilder.stampFile))
        #expect(!builder.usable(folder))
    }

    @Test func abandonedTemporaryBuildsAreRemoved() throws {
        let cache = try temporaryDirectory("cache-abandoned")
        defer { try? FileManager.default.removeItem(at: cache) }
        // pid 2^22 + 1 is above Linux's pid_max limit, so no process has it.
        let dead = cache.appendingPathComponent(".tmp-verilator-1x1-0123456789abcdef-4194305-DEADBEEF")
        let mine = cache.appendingPathComponent(".tmp-verilator-1x1-0123456789abcdef-\(getpid())-CAFEF00D")
        try createFolder(dead.appendingPathComponent("obj_dir"))
        try createFolder(mine)
        VerilatorBuilder(cacheDirectory: cache, testbenches: try TestbenchSources.locate()).removeAbandonedBuilds()
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: mine.path))
    }
}

/// Verilator's run-time objects are kept once per kind and then linked instead of compiled.
@Suite struct VerilatorRuntimeTests {
    static func runtime(_ cache: URL, global: String = "OPT_GLOBAL=-O1", fast: String = "OPT_FAST=-O1", flags: [String] = []) -> VerilatorRuntime {
        VerilatorRuntime(cacheDirectory: cache, version: "Verilator 5.006", compilerFlags: "-O1",
                         makeVariables: [fast, "OPT_SLOW=-O0", global], flags: flags)
    }

    @Test func keptObjectsAreLinkedByLaterBuilds() throws {
        let cache = try temporaryDirectory("runtime")
        defer { try? FileManager.default.removeItem(at: cache) }
        let objDir = cache.appendingPathComponent("build/obj_dir")
        try createFolder(objDir)
        for name in ["verilated.o", "verilated_threads.o", "Vdut__ALL.o", "harness.o"] {
            try writeAtomically(name, to: objDir.appendingPathComponent(name))
        }
        let runtime = Self.runtime(cache)
        #expect(runtime.linkArguments.isEmpty, "nothing kept yet")
        runtime.keep(from: objDir)
        let folder = runtime.folder.path
        #expect(runtime.linkArguments == ["-MAKEFLAGS", "VM_GLOBAL_FAST=", "-MAKEFLAGS", "VM_GLOBAL_SLOW=",
                                          "-LDFLAGS", "\(folder)/verilated.o \(folder)/verilated_threads.o"])
        // The model's own levels do not change the run-time objects; their level and the trace do.
        #expect(Self.runtime(cache, fast: "OPT_FAST=-O0").folder.lastPathComponent == runtime.folder.lastPathComponent)
        #expect(Self.runtime(cache, flags: ["-Wno-fatal"]).folder.lastPathComponent == runtime.folder.lastPathComponent)
        #expect(Self.runtime(cache, global: "OPT_GLOBAL=-O2").folder.lastPathComponent != runtime.folder.lastPathComponent)
        #expect(Self.runtime(cache, flags: ["--trace-fst"]).folder.lastPathComponent != runtime.folder.lastPathComponent)
        // A lost object means compiling them again, never a broken link.
        try FileManager.default.removeItem(atPath: "\(folder)/verilated_threads.o")
        #expect(runtime.linkArguments.isEmpty)
    }
}
