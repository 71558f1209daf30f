import AntgenDSL
import AntgenHardware

/// Yosys cost of the generated array tops, one entry per array (what `antgen synth` runs):
/// each elaborates its top, synthesizes it with the given ``Synthesizer`` and records the
/// build's parameters in the report (`rows` and `cols` always, so `antgen perf` can price
/// the cells of the report).
public enum ArraySynthesis {
    /// The output-stationary ANT array (``AntArray``), parameters as its manifest records them.
    /// - Throws: ``SynthesisError`` (elaboration, missing tool, tool failure, unreadable report).
    public static func outputStationary(_ p: ArrayParameters, synthesizer: Synthesizer,
                                        options: SynthesisOptions = SynthesisOptions()) throws -> SynthesisReport {
        try synthesizer.synthesize(try elaborateForSynthesis(AntArray(p)), parameters: p.manifestFields, options: options)
    }

    /// The weight-stationary ANT array (``WsArray``, `--dataflow ws`): its manifest's
    /// parameters, with `dataflow` = `ws`. The PE module is `WsProcessingElement`.
    /// - Throws: ``SynthesisError`` for a build with the partial-sum stage (an output-stationary
    ///   feature), and as ``outputStationary(_:synthesizer:options:)``.
    public static func weightStationary(_ p: ArrayParameters, synthesizer: Synthesizer,
                                        options: SynthesisOptions = SynthesisOptions()) throws -> SynthesisReport {
        guard !p.preload else {
            throw SynthesisError.invalidDesign("the weight-stationary array has no partial-sum stage (--psum-preload and --psum-codec are for --dataflow os)")
        }
        return try synthesizer.synthesize(try elaborateForSynthesis(WsArray(p)), parameters: p.manifestFields.merging(["dataflow": "ws"]) { $1 },
                                          options: options)
    }

    /// The OCP MX array (``MxArray``): shape, formats, block size, block-sum width and accumulator.
    /// - Throws: ``SynthesisError`` for parameters the array cannot build, and as
    ///   ``outputStationary(_:synthesizer:options:)``.
    public static func mx(_ p: MxArrayParameters, synthesizer: Synthesizer,
                          options: SynthesisOptions = SynthesisOptions()) throws -> SynthesisReport {
        if let problem = p.problem() { throw SynthesisError.invalidDesign(problem) }
        return try synthesizer.synthesize(try elaborateForSynthesis(MxArray(p)), parameters: mxFields(p), options: options)
    }

    /// The report parameters of an MX build.
    public static func mxFields(_ p: MxArrayParameters) -> [String: String] {
        var fields = ["rows": "\(p.rows)", "cols": "\(p.cols)", "mx": p.formats.map(\.rawValue).joined(separator: ","),
                      "blockSize": "\(p.blockSize)", "blockSumWidth": "\(p.blockSumWidth)"]
        switch p.accumulation {
        case .float32: fields["accumulation"] = "fp32"
        case .window(let s): fields["accumulation"] = "window \(s) (\(p.windowAccumulatorWidth) b)"
        }
        return fields
    }
}
