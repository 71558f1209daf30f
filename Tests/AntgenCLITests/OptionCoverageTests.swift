import Foundation
import Testing

/// Issue 24 part 3: every option takes effect or is refused. The array options are enumerated
/// from the registry (`antgen arrays --json`) against every command that takes `--array`;
/// the quantize options against every mode. A new option that a mode or array ignores makes
/// one of these fail.
@Suite struct OptionCoverageTests {
    typealias CLI = CommandLineTests

    /// A value for every array option (flags have none).
    static let arrayOptionArguments: [String: [String]] = [
        "--rows": ["--rows", "3"], "--cols": ["--cols", "3"], "--acc-width": ["--acc-width", "24"], "--int8/--no-int8": ["--no-int8"],
        "--max-k": ["--max-k", "64"], "--code-width": ["--code-width", "3"], "--types": ["--types", "int"],
        "--act-types": ["--act-types", "int"], "--weight-types": ["--weight-types", "int"], "--psum-preload": ["--psum-preload"],
        "--psum-codec": ["--psum-codec"], "--plan": ["--plan", "p.json"], "--group": ["--group", "4"], "--terms": ["--terms", "5"],
        "--mx-formats": ["--mx-formats", "fp4"], "--mx-acc": ["--mx-acc", "window"], "--mx-window": ["--mx-window", "8"],
        "--mx-block-size": ["--mx-block-size", "32"], "--mx-max-blocks": ["--mx-max-blocks", "4"], "--dataflow": ["--dataflow", "ws"],
        "--fpint-lanes": ["--fpint-lanes", "4"], "--fpint-shift": ["--fpint-shift", "8"], "--fpint-formats": ["--fpint-formats", "fp16"],
        "--fpint-layer-format": ["--fpint-layer-format", "bf16"], "--fpint-no-cast": ["--fpint-no-cast"],
        "--fpint-window2-rate": ["--fpint-window2-rate", "0.5"],
    ]

    /// What each command needs besides the selector to get as far as parsing.
    static let required: [String: [String]] = [
        "run": ["--activations", "a.npy", "--weights", "w.npy", "--out", "c.npy"], "emit": ["-o", "rtl"],
    ]

    /// `make regress` sets `ANTGEN_SWEEPS=1`: the full cross products run there; `make test`
    /// runs samples that still reach every array, command, mode and option at least once.
    static let sweeps = ProcessInfo.processInfo.environment["ANTGEN_SWEEPS"] == "1"

    /// One refusal to check: `command --array array option`.
    struct Refusal: Equatable {
        let array: String, command: String, option: String
    }

    /// The sample `make test` runs: each (array, command) pair once, with an option not yet
    /// given where there is one, then each option not yet given once.
    static func sample(_ all: [Refusal]) -> [Refusal] {
        var chosen: [Refusal] = []
        var given: Set<String> = []
        var pairs: [String] = []
        for refusal in all where !pairs.contains(refusal.array + " " + refusal.command) {
            let pair = all.filter { $0.array == refusal.array && $0.command == refusal.command }
            let pick = pair.first { !given.contains($0.option) } ?? refusal
            chosen.append(pick)
            given.insert(pick.option)
            pairs.append(refusal.array + " " + refusal.command)
        }
        for refusal in all where !given.contains(refusal.option) {
            chosen.append(refusal)
            given.insert(refusal.option)
        }
        return chosen
    }

    /// Every array, with every command it takes, refuses each option it does not take. Under
    /// sweeps (`make regress`) every such triple runs; `make test` runs ``sample(_:)``, which
    /// still gives every array, every command and every refused option at least once.
    @Test func everyArrayRefusesTheOptionsItDoesNotTake() throws {
        let dir = try CLI.temporaryFolder("array-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listing = try CLI.run(["arrays", "--json"], in: dir)
        #expect(listing.status == 0, "\(listing.err)")
        let arrays = try #require(try JSONSerialization.jsonObject(with: Data(listing.out.utf8)) as? [[String: Any]])
        let options = Set(arrays.flatMap { ($0["options"] as? [String]) ?? [] })
        #expect(arrays.count >= 4 && options.count >= 15, "\(arrays.count) arrays, \(options.count) options")
        var all: [Refusal] = []
        for array in arrays {
            let name = try #require(array["name"] as? String)
            let takes = Set((array["options"] as? [String]) ?? [])
            // `lint` checks an emitted folder: it takes no --array.
            for command in ((array["commands"] as? [String]) ?? []) where command != "lint" {
                all += options.subtracting(takes).sorted().map { Refusal(array: name, command: command, option: $0) }
            }
        }
        #expect(all.count > 100)
        let chosen = Self.sweeps ? all : Self.sample(all)
        #expect(Set(chosen.map(\.option)) == Set(all.map(\.option)) && Set(chosen.map(\.array)) == Set(all.map(\.array)))
        for refusal in chosen {
            let arguments = try #require(Self.arrayOptionArguments[refusal.option], "no test value for the new option \(refusal.option)")
            let run = try CLI.run([refusal.command, "--array", refusal.array] + arguments + (Self.required[refusal.command] ?? []), in: dir)
            let label = "\(refusal.command) --array \(refusal.array) \(arguments.joined(separator: " "))"
            #expect(run.status == 64, "\(label): status \(run.status)")
            #expect(run.err.contains("is not an option of --array \(refusal.array)") || run.err.contains("takes no --dataflow"),
                    "\(label): \(run.err.prefix(300))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing built or written")
    }

    /// An array's layer options (`layerOptions` in `antgen arrays --json`: how a layer is run or
    /// modelled, not the hardware) are refused in one line by every command that does not use
    /// them, e.g. `--fpint-window2-rate` by emit, verify, synth and run. Few runs: all of them
    /// in both modes.
    @Test func layerOptionsAreRefusedWhereTheyMeanNothing() throws {
        let dir = try CLI.temporaryFolder("layer-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listing = try CLI.run(["arrays", "--json"], in: dir)
        let arrays = try #require(try JSONSerialization.jsonObject(with: Data(listing.out.utf8)) as? [[String: Any]])
        var refused = 0
        for array in arrays {
            let name = try #require(array["name"] as? String)
            let layerOptions = (array["layerOptions"] as? [String: [String]]) ?? [:]
            for (option, users) in layerOptions.sorted(by: { $0.key < $1.key }) {
                #expect(((array["options"] as? [String]) ?? []).contains(option), "\(name): \(option) is not listed among its options")
                let arguments = try #require(Self.arrayOptionArguments[option], "no test value for \(option)")
                for command in ((array["commands"] as? [String]) ?? []) where command != "lint" && !users.contains(command) {
                    let run = try CLI.run([command, "--array", name] + arguments + (Self.required[command] ?? []), in: dir)
                    let label = "\(command) --array \(name) \(arguments.joined(separator: " "))"
                    #expect(run.status == 64, "\(label): status \(run.status)")
                    #expect(run.err.contains("\(option) is not an option of `antgen \(command)` (it is for \(users.joined(separator: ", ")))"),
                            "\(label): \(run.err.prefix(300))")
                    refused += 1
                }
            }
        }
        // fpint: --fpint-layer-format on emit, verify, synth; --fpint-no-cast also on perf;
        // --fpint-window2-rate also on run.
        #expect(refused >= 11)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing built or written")
    }

    /// `verify --regress` runs its own catalogue: an array option, the selected variant's own
    /// included, is refused in one line rather than ignored.
    @Test func regressRefusesEveryArrayOption() throws {
        let dir = try CLI.temporaryFolder("regress-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (selector, option) in [(["--array", "fpint", "--fpint-lanes", "4"], "--fpint-lanes"), (["--array", "mx", "--mx-window", "8"], "--mx-window"),
                                   (["--rows", "4"], "--rows")] {
            let run = try CLI.run(["verify", "--regress"] + selector, in: dir)
            #expect(run.status == 64, "\(selector): status \(run.status)")
            #expect(run.err.contains("--regress runs its own catalogue of every array; it cannot take \(option)"), "\(run.err.prefix(300))")
        }
    }

    /// One quantize option: its arguments and the modes that take it.
    struct QuantizeOption: Sendable, CustomStringConvertible {
        let arguments: [String]
        let modes: Set<String>
        var description: String { arguments.joined(separator: " ") }
    }

    static let ant = "ant-int-pot-flint"
    static let mxModes: Set<String> = ["mxfp4", "mxint8", "mxfp8e4m3"]
    static let quantizeOptions: [QuantizeOption] = [
        .init(arguments: ["--bits", "3"], modes: [ant, "pwlq"]), .init(arguments: ["--role", "activation"], modes: mxModes.union([ant, "pwlq"])),
        .init(arguments: ["--scale", "bias"], modes: [ant]), .init(arguments: ["--compat"], modes: [ant]),
        .init(arguments: ["--json", "r.json"], modes: mxModes.union([ant, "pwlq"])), .init(arguments: ["--out", "o"], modes: mxModes.union([ant, "pwlq"])),
        .init(arguments: ["--tensors", "l.input"], modes: mxModes.union([ant, "pwlq", "sdp"])),
        .init(arguments: ["--breakpoint", "search"], modes: ["pwlq"]), .init(arguments: ["--pwlq-variant", "nonoverlap"], modes: ["pwlq"]),
        .init(arguments: ["--breakpoint-ratio", "0.5"], modes: ["pwlq"]), .init(arguments: ["--bias-correction"], modes: ["pwlq"]),
        .init(arguments: ["--group", "4"], modes: ["sdp"]), .init(arguments: ["--terms", "4"], modes: ["sdp"]),
        .init(arguments: ["--layer-weights", "w.safetensors"], modes: ["sdp"]), .init(arguments: ["--sweep"], modes: []),
        .init(arguments: ["--block-size", "16"], modes: mxModes), .init(arguments: ["--mx-rounding", "away"], modes: mxModes),
        .init(arguments: ["--mx-overflow", "overflow"], modes: ["mxfp8e4m3"]), .init(arguments: ["--mx-int8-range", "full"], modes: ["mxint8"]),
        .init(arguments: ["--mx-compare", "ant-int"], modes: mxModes),
    ]

    static let quantizeModes = [ant, "pwlq", "sdp", "mxfp4", "mxint8", "mxfp8e4m3"]

    /// Whether `option` is tried with `mode`: always under sweeps and when the mode takes it;
    /// otherwise (a refusal, `make test`) for the mode's first refused option and for the
    /// first mode that refuses the option, so every mode and every option is refused once.
    static func tries(_ option: QuantizeOption, with mode: String) -> Bool {
        if sweeps || option.modes.contains(mode) { return true }
        let firstRefused = quantizeOptions.first { !$0.modes.contains(mode) }
        return firstRefused?.arguments == option.arguments || quantizeModes.first { !option.modes.contains($0) } == mode
    }

    /// Each option given to each mode (refusals sampled by ``tries(_:with:)`` outside sweeps):
    /// refused in one line, or the printed report or the files written differ from the same
    /// run without it. (`--sweep` is taken by no mode on its own: it needs `--layer-weights`.)
    @Test(arguments: quantizeModes)
    func everyQuantizeOptionTakesEffectOrIsRefused(_ mode: String) throws {
        let dir = try CLI.temporaryFolder("quantize-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = RunCommandTests.values(4 * 64, seed: 5).map { $0 * 3 }
        try RunCommandTests.safetensors([("l.input", [4, 64], x), ("m.input", [4, 64], Array(x.reversed()))]).write(to: dir.appendingPathComponent("x.safetensors"))
        try RunCommandTests.safetensors([("l.weight", [3, 64], RunCommandTests.values(3 * 64, seed: 6))]).write(to: dir.appendingPathComponent("w.safetensors"))
        let base = try CLI.run(["quantize", "x.safetensors", "--mode", mode], in: dir)
        #expect(base.status == 0, "\(mode): \(base.err)")
        for option in Self.quantizeOptions where Self.tries(option, with: mode) {
            let run = try CLI.run(["quantize", "x.safetensors", "--mode", mode] + option.arguments, in: dir)
            let label = "--mode \(mode) \(option)"
            if option.modes.contains(mode) {
                #expect(run.status == 0, "\(label): \(run.err)")
                let wrote = ["r.json", "o"].contains { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }
                #expect(wrote || run.out != base.out, "\(label) changed nothing")
            } else {
                ReliabilityTests.expectOneLineFailure(run, option.arguments == ["--sweep"] && mode == "sdp" ? "needs --layer-weights" : "is not an option of --mode", label)
            }
            for name in ["r.json", "o"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
        }
    }

    @Test func emptyListsAndModeSpellings() throws {
        let dir = try CLI.temporaryFolder("empty-lists")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ReliabilityTests.npy(ReliabilityTests.sample, shape: [4, 8], at: dir.appendingPathComponent("w.npy"))
        try RunCommandTests.safetensors([("l.weight", [6, 32], RunCommandTests.values(6 * 32, seed: 3))]).write(to: dir.appendingPathComponent("m.safetensors"))
        try RunCommandTests.safetensors([("l.input", [5, 32], RunCommandTests.values(5 * 32, seed: 4))]).write(to: dir.appendingPathComponent("a.safetensors"))
        for (arguments, phrase) in [
            (["pwlq-report", "m.safetensors", "a.safetensors", "--layer", "l", "--passes", ""], "lists no pass count"),
            (["pwlq-report", "m.safetensors", "a.safetensors", "--layer", "l", "--tensors", ","], "names no tensor"),
            (["mx-report", "m.safetensors", "a.safetensors", "--layer", "l", "--windows", ""], "lists no window size"),
            (["mx-report", "m.safetensors", "a.safetensors", "--layer", "l", "--tokens", "0"], "positive token count"),
            (["quantize", "w.npy", "--mode", "sdp", "--sweep"], "needs --layer-weights"),
            (["quantize", "w.npy", "--mode", "sdp", "--out", "o"], "--out is not an option of --mode sdp"),
            (["quantize", "w.npy", "--mode", "nope"], "pwlq, sdp, or an MX mode (mxfp4"),
        ] {
            ReliabilityTests.expectOneLineFailure(try CLI.run(arguments, in: dir), phrase, arguments.joined(separator: " "))
        }
        let upper = try CLI.run(["quantize", "w.npy", "--mode", "MXFP4"], in: dir)
        #expect(upper.status == 0 && upper.out.contains("MX mxfp4"), "\(upper.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.safetensors", "m.safetensors", "w.npy"])
    }
}
