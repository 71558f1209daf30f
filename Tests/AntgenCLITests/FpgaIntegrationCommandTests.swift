import Foundation
import Testing

/// `antgen emit`'s FuseSoC core, read and linted by FuseSoC itself, and `antgen synth
/// --fpga/--device` on a non-ANT array with its one-line refusals.
@Suite struct FpgaIntegrationCommandTests {
    typealias CLI = CommandLineTests

    /// The `fusesoc` executable on PATH (scripts/bootstrap.sh installs it from PyPI).
    static let fusesoc: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("fusesoc") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs a tool; returns (status, stdout + stderr).
    static func run(_ tool: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: fusesoc != nil, "fusesoc is not installed and scripts/bootstrap.sh could not install it (pip install fusesoc)"))
    func fuseSocListsTheEmittedCoreAndLintsIt() throws {
        let dir = try CLI.temporaryFolder("fusesoc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let emit = try CLI.run(["emit", "--rows", "2", "--cols", "2", "--types", "int", "--no-int8", "--acc-width", "16", "-o", "cores/ant"], in: dir)
        #expect(emit.status == 0, "\(emit.err)")
        let folder = dir.appendingPathComponent("cores/ant")
        let manifest = try CLI.json(folder.appendingPathComponent("manifest.json"))
        let top = try #require(manifest["top"] as? String)
        let core = try String(contentsOf: folder.appendingPathComponent("\(top).core"), encoding: .utf8)
        #expect(core.hasPrefix("CAPI=2:\n"))
        // The fileset is the file list, in its order.
        let list = try String(contentsOf: folder.appendingPathComponent("\(top).f"), encoding: .utf8).split(separator: "\n")
        #expect(list.allSatisfy { core.contains("      - \($0)\n") })
        #expect(core.contains("  ANTGEN_ROWS:\n    datatype: int\n    default: 2\n"))

        let name = "antgen:arrays:\(top):0.1.0"
        let listed = try Self.run(Self.fusesoc!, ["--cores-root", "cores", "core", "list"], in: dir)
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains(name), "\(listed.output)")
        let lint = try Self.run(Self.fusesoc!, ["--cores-root", "cores", "run", "--build-root", "build", "--target", "lint", name], in: dir)
        #expect(lint.status == 0, "\(lint.output)")
        // FuseSoC ran Verilator in lint mode with the core's defines.
        let build = dir.appendingPathComponent("build")
        let options = (FileManager.default.subpaths(atPath: build.path) ?? []).filter { $0.hasSuffix("lint-verilator/\(name.replacingOccurrences(of: ":", with: "_")).vc") }
        let vc = try String(contentsOf: build.appendingPathComponent(try #require(options.first, "no .vc file in \(build.path)")), encoding: .utf8)
        #expect(vc.contains("-DANTGEN_ROWS=2\n") && vc.contains("--top-module \(top)\n"))
        let work = build.appendingPathComponent(try #require(options.first)).deletingLastPathComponent()
        let config = try String(contentsOf: work.appendingPathComponent("config.mk"), encoding: .utf8)
        #expect(config.contains("VERILATOR_OPTIONS := -Wall\n"))

        // A broken file makes the lint target fail: FuseSoC really runs the linter.
        let pe = try #require(list.first { $0.hasPrefix("ProcessingElement") })
        try "module broken(\n".write(to: folder.appendingPathComponent(String(pe)), atomically: true, encoding: .utf8)
        let broken = try Self.run(Self.fusesoc!, ["--cores-root", "cores", "run", "--build-root", "build2", "--target", "lint", name], in: dir)
        #expect(broken.status != 0)
    }

    @Test func synthFpgaOnAPwlqArrayGivesAVerdictAndJSON() throws {
        let dir = try CLI.temporaryFolder("fpga")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["synth", "--array", "pwlq", "--rows", "2", "--cols", "2", "--device", "iCE40UP5K", "--json", "fpga.json"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("antgen synth --fpga ice40") && run.out.contains("whole design"))
        #expect(run.out.contains("iCE40UP5K: fits") || run.out.contains("iCE40UP5K: does not fit: limiting resource"))
        let json = try CLI.json(dir.appendingPathComponent("fpga.json"))
        #expect(json["family"] as? String == "ice40")
        #expect((json["parameters"] as? [String: String])?["array"] == "pwlq")
        let design = try #require(json["design"] as? [String: Any])
        #expect((design["luts"] as? Int ?? 0) > 0 && (design["flipFlops"] as? Int ?? 0) > 0)
    }

    @Test func synthFpgaRefusalsAreOneLine() throws {
        let dir = try CLI.temporaryFolder("fpga-refuse")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["--device", "xc7a200t"], "unknown part 'xc7a200t'; known: xc7a35t"),
            (["--fpga", "stratix"], "unknown family 'stratix'; one of xilinx7|ultrascale|ice40|ecp5"),
            (["--fpga", "ecp5", "--device", "xc7z020"], "xc7z020 belongs to xilinx7, not ecp5; use --fpga xilinx7 or drop --fpga"),
            (["--device", "xc7a100t,LFE5U-85F"], "LFE5U-85F belongs to ecp5, not xilinx7; check one family at a time"),
            (["--fpga", "ice40", "--fmax"], "--fmax belongs to the gate-level report"),
        ]
        for (arguments, message) in cases {
            let run = try CLI.run(["synth", "--rows", "2", "--cols", "2"] + arguments, in: dir)
            #expect(run.status != 0)
            #expect(run.err.contains(message), "\(arguments): \(run.err)")
            #expect(run.err.split(separator: "\n").count == 1, "\(run.err)")
        }
    }
}
