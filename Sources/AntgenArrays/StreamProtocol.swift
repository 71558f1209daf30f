import AntgenDSL
import AntgenHardware

/// How a variant's top streams: which port groups carry operands and results, the input
/// handshake, the order results drain in, and the exact timing. A variant states it
/// (``ArrayVariant/streamProtocol``); ``check(_:)`` holds it against the elaborated top's
/// typed ports every time a design is packaged (``DesignPackage``), and `antgen arrays`
/// prints it, so the protocol the harness, `run` and perf assume cannot drift from the RTL.
public struct StreamProtocol: Sendable, Equatable, Encodable {
    /// The input handshake.
    public enum Handshake: String, Sendable, Equatable, Encodable {
        /// `in_valid` offers a beat, `in_ready` takes it (back-pressure).
        case readyValid = "in_valid/in_ready"
        /// `in_valid` only: a beat is taken every cycle it is offered (no back-pressure).
        case validOnly = "in_valid, no back-pressure"

        /// The input ports the handshake needs (`in_ready` absent for ``validOnly``).
        var inputs: [String] { ["in_valid"] }
        var outputs: [String] { self == .readyValid ? ["in_ready"] : [] }
    }

    /// The order of the result rows of a tile.
    public enum DrainOrder: String, Sendable, Equatable, Encodable {
        /// One row a cycle after the tile's last beat, `out_row` = rows − 1 down to 0.
        case lastRowFirst = "out_row = rows-1 down to 0, one row a cycle, no back-pressure"
        /// One row per compute beat, in beat order (weight-stationary).
        case beatOrder = "one row per compute beat, in order, no back-pressure"
    }

    /// The handshake.
    public let handshake: Handshake
    /// Port groups carrying operands, one port per row or column (`a_code`, `w_code`, …).
    public let operands: [String]
    /// Port groups carrying results, one port per column (`out_data`, …).
    public let results: [String]
    /// The drain order.
    public let drainOrder: DrainOrder
    /// The exact cycle model (the one the manifest states and perf counts with).
    public let timing: StreamTiming

    /// Creates the protocol.
    public init(handshake: Handshake, operands: [String], results: [String], drainOrder: DrainOrder, timing: StreamTiming) {
        self.handshake = handshake
        self.operands = operands
        self.results = results
        self.drainOrder = drainOrder
        self.timing = timing
    }

    /// The skewed output-stationary protocol of the ANT, PWLQ and SDP tops.
    static func outputStationary(operands: [String], results: [String], timing: StreamTiming) -> StreamProtocol {
        StreamProtocol(handshake: .readyValid, operands: operands, results: results, drainOrder: .lastRowFirst, timing: timing)
    }

    /// Checks that `top`'s ports carry the protocol: the handshake's ports in their
    /// directions (and no `in_ready` without back-pressure), every operand group as inputs
    /// and every result group as outputs (a group is the ports `NAME_i`), `out_valid`, and
    /// `out_row` for a drain in row order.
    /// - Throws: ``VariantError`` naming the first port the protocol expects and the top lacks.
    public func check(_ top: HardwareModule) throws {
        var groups: [String: PortDirection] = [:]
        for port in top.ports {
            guard case .port(let direction) = port.kind else { continue }
            groups[Self.group(of: port.name)] = direction
        }
        var expected: [(String, PortDirection)] = handshake.inputs.map { ($0, .input) } + handshake.outputs.map { ($0, .output) }
        expected += operands.map { ($0, .input) } + results.map { ($0, .output) } + [("out_valid", .output)]
        if drainOrder == .lastRowFirst { expected.append(("out_row", .output)) }
        for (name, direction) in expected where groups[name] != direction {
            throw VariantError("the top \(top.name) does not carry its stream protocol: no \(direction.rawValue) port \(name)")
        }
        if handshake == .validOnly, groups["in_ready"] != nil {
            throw VariantError("the top \(top.name) has in_ready but its stream protocol has no back-pressure")
        }
    }

    /// `a_code_3` → `a_code`; `in_valid` stays.
    static func group(of name: String) -> String {
        guard let underscore = name.lastIndex(of: "_"), name[name.index(after: underscore)...].allSatisfy(\.isNumber),
              name.index(after: underscore) < name.endIndex else { return name }
        return String(name[..<underscore])
    }

    /// `in_valid/in_ready; operands a_code, w_code; results out_data; out_row = rows-1 down to 0 …`.
    public var summary: String {
        "\(handshake.rawValue); operands \(operands.joined(separator: ", ")); results \(results.joined(separator: ", ")); \(drainOrder.rawValue); \(timing.pipeline.rawValue) timing"
    }
}
