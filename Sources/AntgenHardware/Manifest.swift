import AntgenDSL
import AntgenNumerics
import Foundation

/// Pipeline timing of an ``AntArray`` build, in cycles (docs/architecture.md, "Latency").
public struct ArrayTiming: Sendable, Equatable {
    /// PE rows.
    public let rows: Int
    /// PE columns.
    public let cols: Int

    /// Creates the timing model.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// Cycles from accepting a tile's last beat (cycle a) to its first output row
    /// (`out_row = rows − 1`): T + rows + cols, T the reduction steps per beat.
    public func firstRowLatency(termsPerBeat t: Int) -> Int { stream.firstRowLatency(stepsPerBeat: t) }
    /// Cycles from accepting the last beat to the final output row (`out_row = 0`).
    public func lastRowLatency(termsPerBeat t: Int) -> Int { stream.lastRowLatency(stepsPerBeat: t) }
    /// The exact stream timing these latencies come from.
    public var stream: StreamTiming { .skewed(rows: rows, cols: cols) }
    /// Fewest cycles between two tiles' last reduction steps (the drain-chain limit).
    public var minimumStepsPerTile: Int { rows }

    /// The formulas as written in the manifest.
    public static let firstRowFormula = "T + rows + cols"
    /// The last-row formula.
    public static let lastRowFormula = "T + 2*rows + cols - 1"
}

/// The JSON manifest written next to the Verilog: everything the verification
/// harness and software need to drive the top level without reading RTL.
public struct ArrayManifest: Codable, Sendable, Equatable {
    /// One top-level port.
    public struct Port: Codable, Sendable, Equatable {
        /// Port name.
        public let name: String
        /// `input` or `output`.
        public let direction: String
        /// Bits.
        public let width: Int
        /// True for two's-complement ports.
        public let signed: Bool
    }

    /// The widths of one decoded operand stream.
    public struct Operand: Codable, Sendable, Equatable {
        /// Enabled types (configuration-code order).
        public let types: [String]
        /// Width of the code port.
        public let codeInputWidth: Int
        /// Decoded M width.
        public let mantissaWidth: Int
        /// Decoded E width.
        public let exponentWidth: Int
        /// Largest |value| in units.
        public let maxMagnitude: String
    }

    /// Throughput and latency of one precision pair.
    public struct Mode: Codable, Sendable, Equatable {
        /// `4x4`, `8x4`, `4x8`, `8x8` (activation × weight bits).
        public let precision: String
        /// `cfg_act_int8` value.
        public let actInt8: Int
        /// `cfg_weight_int8` value.
        public let weightInt8: Int
        /// Reduction steps (cycles) per accepted beat.
        public let stepsPerBeat: Int
        /// Full-precision MACs per cycle.
        public let macsPerCycle: Double
        /// Latency from the tile's last accepted beat to the first output row.
        public let firstRowLatency: Int
        /// Latency to the last output row.
        public let lastRowLatency: Int
    }

    /// Generator name and version.
    public let generator: String
    /// The top module's name.
    public let top: String
    /// Modules in file-list order.
    public let modules: [String]
    /// The build parameters.
    public let parameters: [String: String]
    /// W, the spec §3 minimum for `maxReduction`, and the warning when W is smaller.
    public let accumulator: [String: String]
    /// Decoded operand widths.
    public let activation: Operand
    /// Decoded operand widths.
    public let weight: Operand
    /// Top-level ports in order (implicit clock/reset first).
    public let ports: [Port]
    /// Configuration fields: value → meaning.
    public let configuration: [String: [String: String]]
    /// Latency formulas and the rule for back-to-back tiles.
    public let latency: [String: String]
    /// Per precision pair.
    public let modes: [Mode]
    /// The tuning plan the build was sized for (`antgen emit --plan`); absent otherwise.
    public let plan: PlanSummary?
    /// Weight-stationary builds only (`antgen emit --dataflow ws`, docs/architecture.md §12):
    /// the dataflow's protocol and exact latency formulas; absent for the default array.
    public var dataflow: [String: String]? = nil
    /// Builds with `--psum-preload`/`--psum-codec` only (docs/architecture.md §14): the
    /// preload protocol, field layout, codec and extra cycles; absent otherwise.
    public var partialSums: [String: String]? = nil
    /// The exact stream timing every latency above comes from (the performance model counts
    /// cycles with the same value); absent in manifests written before it.
    public var streamTiming: StreamTiming? = nil

    /// Builds the manifest of an elaborated top level.
    public init(parameters p: ArrayParameters, top: HardwareModule, modules: [String], version: String, plan: PlanSummary? = nil) {
        self.plan = plan
        partialSums = p.partialSumStage?.manifestFields(streamNames: ["sum"])
        generator = "antgen \(version)"
        self.top = top.name
        self.modules = modules
        parameters = p.manifestFields
        var acc = [
            "width": "\(p.accumulatorWidth)", "minimumWidth": "\(p.minimumAccumulatorWidth)",
            "maxProduct": p.maxProduct.description,
            "formula": "W = ceil(log2(K*P_max + 1)) + 1, K = maxReduction",
            "arithmetic": "two's complement, wraps modulo 2^W",
        ]
        if let warning = p.accumulatorWarning { acc["warning"] = warning }
        accumulator = acc
        func operand(_ f: OperandFormat) -> Operand {
            Operand(types: f.types.map(\.description) + (f.int8 ? ["int8"] : []), codeInputWidth: f.codeInputWidth,
                    mantissaWidth: f.mantissaWidth, exponentWidth: f.exponentWidth, maxMagnitude: f.maxMagnitude.description)
        }
        activation = operand(p.activation)
        weight = operand(p.weight)
        ports = Port.list(of: top)
        func types(_ f: OperandFormat) -> [String: String] {
            var table: [String: String] = [:]
            for type in AntType.allCases {
                table["\(type.rawValue)"] = f.types.contains(type) ? type.description : "\(type.description) (not enabled: decodes to zero)"
            }
            return table
        }
        var config: [String: [String: String]] = [
            "cfg_act_type": types(p.activation), "cfg_weight_type": types(p.weight),
            "cfg_act_signed": ["0": "unsigned", "1": "signed (two's complement for int, sign-magnitude otherwise)"],
            "cfg_weight_signed": ["0": "unsigned", "1": "signed (two's complement for int, sign-magnitude otherwise)"],
        ]
        if p.int8 {
            let int8 = ["0": "native codes in bits [\(p.codeWidth - 1):0]", "1": "int8 in bits [7:0], type field ignored, 2 nibble terms"]
            config["cfg_act_int8"] = int8
            config["cfg_weight_int8"] = int8
        }
        configuration = config
        let timing = ArrayTiming(rows: p.rows, cols: p.cols)
        streamTiming = p.streamTiming(dataflow: .os)
        latency = [
            "firstRow": ArrayTiming.firstRowFormula,
            "lastRow": ArrayTiming.lastRowFormula,
            "T": "reduction steps per beat: 1 (4x4), 2 (8x4, 4x8), 4 (8x8)",
            "reference": "cycles after the cycle in which the tile's last beat (in_last) is accepted; minimum values, bubbles add",
            "firstRowCycles4x4": "\(timing.firstRowLatency(termsPerBeat: 1))",
            "lastRowCycles4x4": "\(timing.lastRowLatency(termsPerBeat: 1))",
            "backToBack": "a tile's last step issues >= rows (\(p.rows)) cycles after the previous tile's; shorter tiles stall in_ready",
            "outputOrder": "one row per cycle: out_row = rows-1 down to 0, out_data_j = C[out_row][j], no back-pressure",
        ]
        let pairs: [(OperandPrecision, OperandPrecision)] = p.int8
            ? [(.native, .native), (.int8, .native), (.native, .int8), (.int8, .int8)] : [(.native, .native)]
        modes = pairs.map { a, w in
            let pair = PrecisionPairThroughput(activation: a, weight: w)
            return Mode(precision: pair.label(codeWidth: p.codeWidth), actInt8: a.rawValue, weightInt8: w.rawValue,
                        stepsPerBeat: pair.terms, macsPerCycle: pair.macsPerCycle(rows: p.rows, cols: p.cols),
                        firstRowLatency: timing.firstRowLatency(termsPerBeat: pair.terms),
                        lastRowLatency: timing.lastRowLatency(termsPerBeat: pair.terms))
        }
    }

    /// Deterministic JSON: sorted keys, pretty-printed, trailing newline.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes `manifest.json` into `directory` via a temporary file and rename(2), so
    /// a reader never sees a partial manifest.
    @discardableResult
    public func write(to directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("manifest.json")
        let temp = directory.appendingPathComponent(".manifest.json.tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(try jsonText().utf8).write(to: temp)
            guard rename(temp.path, target.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        return target
    }
}

extension ArrayParameters {
    /// The parameters as `manifest.json` records them (and reports copy them).
    public var manifestFields: [String: String] {
        var fields = ["rows": "\(rows)", "cols": "\(cols)", "codeWidth": "\(codeWidth)", "activationTypes": activation.typeList,
                      "weightTypes": weight.typeList, "accumulatorWidth": "\(accumulatorWidth)", "int8": int8 ? "on" : "off",
                      "maxReduction": "\(maxReduction)"]
        if preload { fields["partialSums"] = codec ? "codec12" : "preload" }
        return fields
    }

    /// The parameters a `manifest.json` written by `antgen emit` records (``manifestFields``).
    /// - Throws: ``ParameterError`` (parameter `manifest`) when the file cannot be read or a
    ///   field is missing or malformed, and as `init(rows:…)` for values out of range.
    public init(manifestAt url: URL) throws {
        let manifest: ArrayManifest
        do {
            manifest = try JSONDecoder().decode(ArrayManifest.self, from: Data(contentsOf: url))
        } catch {
            throw ParameterError(parameter: "manifest", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        let fields = manifest.parameters
        func field(_ key: String) throws -> String {
            guard let text = fields[key] else { throw ParameterError(parameter: "manifest", message: "\(url.path) has no parameter '\(key)'") }
            return text
        }
        func number(_ key: String) throws -> Int {
            guard let value = Int(try field(key)) else {
                throw ParameterError(parameter: "manifest", message: "\(url.path): parameter '\(key)' is not an integer")
            }
            return value
        }
        func types(_ key: String) throws -> [AntType] {
            try field(key).split(separator: ",").map { name in
                guard let type = AntType(name: String(name)) else {
                    throw ParameterError(parameter: "manifest", message: "\(url.path): unknown type '\(name)' in '\(key)'")
                }
                return type
            }
        }
        try self.init(rows: number("rows"), cols: number("cols"), codeWidth: number("codeWidth"),
                      activationTypes: types("activationTypes"), weightTypes: types("weightTypes"),
                      accumulatorWidth: number("accumulatorWidth"), int8: try field("int8") == "on",
                      maxReduction: number("maxReduction"), preload: fields["partialSums"] != nil,
                      codec: fields["partialSums"] == "codec12")
    }
}

extension ArrayManifest.Port {
    /// The emitted top's port list as the manifests record it: `clock` and `reset` first
    /// (when the module uses them), then the ports in declaration order.
    static func list(of top: HardwareModule) -> [ArrayManifest.Port] {
        var ports: [ArrayManifest.Port] = []
        if top.usesClock { ports.append(ArrayManifest.Port(name: "clock", direction: "input", width: 1, signed: false)) }
        if top.usesReset { ports.append(ArrayManifest.Port(name: "reset", direction: "input", width: 1, signed: false)) }
        for port in top.ports {
            guard case .port(let direction) = port.kind else { continue }
            ports.append(ArrayManifest.Port(name: port.name, direction: direction.rawValue, width: port.type.width, signed: port.type.isSigned))
        }
        return ports
    }
}
