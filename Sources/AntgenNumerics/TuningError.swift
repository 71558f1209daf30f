/// Why a tuning request or a plan file was rejected, phrased for one line of output. It lives
/// here, beside the plan model (``QuantizationPlan``), because the plan's reader and writer
/// throw it; the tuner (AntgenTuner) throws it for every rejected request.
public struct TuningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
