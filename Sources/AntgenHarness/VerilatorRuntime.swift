import AntgenSupport
import Foundation

/// Verilator's run-time library objects (`verilated.o`, `verilated_threads.o`, and
/// `verilated_fst_c.o` for traced builds), compiled once and shared by every build of the
/// cache: they are the same for every design, and at `-O1` they cost about 5.5 s of CPU,
/// more than half of a small array's build (docs/performance.md).
///
/// The first build of a kind compiles them as usual and leaves a copy in
/// `verilator-runtime-<hash>/` of the cache; later builds tell verilated.mk to build no
/// run-time objects (`VM_GLOBAL_FAST=`, `VM_GLOBAL_SLOW=`) and link the copies instead
/// (`-LDFLAGS`). The key holds everything that changes how they compile: Verilator's
/// version, the C++ flags, verilated.mk's optimisation variables and the trace flags.
struct VerilatorRuntime {
    /// The shared folder of this kind's objects.
    let folder: URL

    /// The record written last into a complete folder: the object names, one a line.
    static let listFile = "objects.list"

    /// The runtime for builds with `compilerFlags`, `makeVariables` and the Verilator
    /// options `flags` (every option but warnings and the model's `OPT_FAST`/`OPT_SLOW`:
    /// `--trace*`, `--timing`, `--binary`, `OPT_GLOBAL` change the objects or their set)
    /// under Verilator `version`.
    init(cacheDirectory: URL, version: String, compilerFlags: String, makeVariables: [String], flags: [String]) {
        var hash = ContentHash()
        hash.add("antgen-verilator-runtime-v1")
        hash.add(version)
        hash.add(compilerFlags)
        // verilated.mk compiles the run-time objects at OPT_GLOBAL: the model's levels do not matter.
        let modelLevel = { (flag: String) in flag.hasPrefix("OPT_FAST=") || flag.hasPrefix("OPT_SLOW=") }
        makeVariables.filter { !modelLevel($0) }.forEach { hash.add($0) }
        flags.filter { !$0.hasPrefix("-W") && !modelLevel($0) }.forEach { hash.add($0) }
        folder = cacheDirectory.appendingPathComponent("verilator-runtime-\(hash.hex.prefix(16))")
    }

    /// The Verilator arguments that link the shared objects instead of compiling them, or
    /// none when there are no complete shared objects yet (or the path has white space,
    /// which `-LDFLAGS` would split).
    var linkArguments: [String] {
        guard !folder.path.contains(where: \.isWhitespace),
              let list = try? String(contentsOf: folder.appendingPathComponent(Self.listFile), encoding: .utf8) else { return [] }
        let objects = list.split(separator: "\n").map { folder.appendingPathComponent(String($0)).path }
        guard !objects.isEmpty, objects.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { return [] }
        // Verilator puts its own `-lz` (FST tracing) before these in VM_USER_LDLIBS, where an
        // as-needed link drops it: the FST writer's object needs zlib named after it.
        let zlib = objects.contains { $0.hasSuffix("/verilated_fst_c.o") } ? ["-lz"] : []
        return ["-MAKEFLAGS", "VM_GLOBAL_FAST=", "-MAKEFLAGS", "VM_GLOBAL_SLOW=", "-LDFLAGS", (objects + zlib).joined(separator: " ")]
    }

    /// Runs `verilator` (a `--build` or `--binary` command: `arguments`, then `files`) in
    /// `folder`, linking the shared run-time objects of `cacheDirectory` when there are some
    /// and keeping this build's otherwise; with no cache folder, a plain run. `keyFlags` are
    /// the builder's fixed options (no paths), which key the shared objects.
    static func run(_ verilator: ExternalTool, _ arguments: [String], files: [String], in folder: URL,
                    keyFlags: [String], cacheDirectory: URL?) throws -> ToolResult {
        guard let cacheDirectory else { return try verilator.run(arguments + files, in: folder) }
        let version = (try? verilator.withTimeout(min(verilator.timeout, 60)).run(["--version"]))?.output ?? ""
        let runtime = VerilatorRuntime(cacheDirectory: cacheDirectory, version: version.trimmingCharacters(in: .whitespacesAndNewlines),
                                       compilerFlags: "", makeVariables: [], flags: keyFlags)
        let result = try verilator.run(arguments + runtime.linkArguments + files, in: folder)
        if result.status == 0 { runtime.keep(from: folder.appendingPathComponent("obj_dir")) }
        return result
    }

    /// Keeps the run-time objects a complete build left in `objDir` (`verilated*.o`) as the
    /// shared copy, unless one exists. Best effort: a failure only means the next build
    /// compiles them again.
    func keep(from objDir: URL) {
        let fm = FileManager.default
        guard linkArguments.isEmpty,
              let names = try? fm.contentsOfDirectory(atPath: objDir.path).filter({ $0.hasPrefix("verilated") && $0.hasSuffix(".o") }).sorted(),
              !names.isEmpty else { return }
        let temp = folder.deletingLastPathComponent()
            .appendingPathComponent(".tmp-\(folder.lastPathComponent)-\(getpid())-\(UUID().uuidString.prefix(8))")
        InterruptCleanup.track(temp)
        defer { try? fm.removeItem(at: temp); InterruptCleanup.untrack(temp) }
        do {
            try fm.createDirectory(at: temp, withIntermediateDirectories: true)
            for name in names { try fm.copyItem(at: objDir.appendingPathComponent(name), to: temp.appendingPathComponent(name)) }
            try writeAtomically(names.joined(separator: "\n") + "\n", to: temp.appendingPathComponent(Self.listFile))
            _ = rename(temp.path, folder.path)   // fails harmlessly when another build kept them first
        } catch {
            return
        }
    }
}
