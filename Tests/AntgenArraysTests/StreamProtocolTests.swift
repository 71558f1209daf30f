import AntgenArrays
import AntgenDSL
import AntgenHardware
import Testing

/// Every variant's stream protocol matches its top's typed ports, and a protocol the top
/// does not carry is refused in one line.
@Suite struct StreamProtocolTests {
    @Test(arguments: VariantRegistry.names)
    func everyVariantsTopCarriesItsProtocol(_ name: String) throws {
        let type = try VariantRegistry.type(named: name)
        for dataflow in type.dataflows {
            let variant = try type.small(dataflow: dataflow)
            let top = try variant.elaborate().top
            try variant.streamProtocol.check(top)
            #expect(variant.streamProtocol.timing == variant.streamTiming)
            // DesignPackage checks it on every packaging.
            _ = try DesignPackage(variant)
        }
    }

    @Test func aProtocolTheTopDoesNotCarryIsRefused() throws {
        let ant = try AntVariant.small(dataflow: .os)
        let top = try ant.elaborate().top
        let timing = ant.streamTiming
        let cases: [(StreamProtocol, String)] = [
            (StreamProtocol(handshake: .validOnly, operands: ["a_code", "w_code"], results: ["out_data"], drainOrder: .lastRowFirst, timing: timing), "in_ready"),
            (StreamProtocol(handshake: .readyValid, operands: ["a_group"], results: ["out_data"], drainOrder: .lastRowFirst, timing: timing), "a_group"),
            (StreamProtocol(handshake: .readyValid, operands: ["a_code"], results: ["out_tail"], drainOrder: .lastRowFirst, timing: timing), "out_tail"),
            // A result group named as an operand has the wrong direction.
            (StreamProtocol(handshake: .readyValid, operands: ["out_data"], results: [], drainOrder: .lastRowFirst, timing: timing), "out_data"),
        ]
        for (wrong, port) in cases {
            #expect(throws: VariantError.self) { try wrong.check(top) }
            do { try wrong.check(top) } catch let error as VariantError {
                #expect(error.message.contains(port) && !error.message.contains("\n"), "\(error.message)")
            }
        }
        // The MX top has no in_ready: a back-pressure protocol is refused there.
        let mx = try MxVariant.small(dataflow: .os)
        let readyValid = StreamProtocol(handshake: .readyValid, operands: ["a_code"], results: ["out_data"], drainOrder: .lastRowFirst, timing: mx.streamTiming)
        #expect(throws: VariantError.self) { try readyValid.check(try mx.elaborate().top) }
    }
}
