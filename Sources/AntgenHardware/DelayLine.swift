import AntgenDSL

/// Register chains for skew, deskew and control pipelines, shared by every array top
/// (ANT, WS, PWLQ, SDP). Stage s is named `<name>_d<s>`; a chain may mark each stage as a
/// named defect site (the ANT tops' ``ActivationSkewSite``).
extension ModuleBuilder {
    /// A chain of `count` registers fed by `input`; returns every stage (stage 0 first).
    func delayLine(_ name: String, _ input: Value, count: Int, reset: Int? = nil,
                   file: String = #fileID, line: Int = #line) -> [Value] {
        var stages: [Value] = []
        var previous = input
        for s in 0..<count {
            previous = register("\(name)_d\(s)", next: previous, reset: reset, file: file, line: line)
            stages.append(previous)
        }
        return stages
    }

    /// The last stage of ``delayLine(_:_:count:reset:file:line:)``; `input` itself for 0.
    func delayed(_ name: String, _ input: Value, count: Int, reset: Int? = nil,
                 file: String = #fileID, line: Int = #line) -> Value {
        delayLine(name, input, count: count, reset: reset, file: file, line: line).last ?? input
    }

    /// ``delayed(_:_:count:reset:file:line:)`` with stage s marked as the defect site `site(s)`.
    func delayed<Tag: DefectSiteTag>(_ name: String, _ input: Value, count: Int, reset: Int? = nil,
                                     file: String = #fileID, line: Int = #line, site: (Int) -> Tag) -> Value {
        let stages = delayLine(name, input, count: count, reset: reset, file: file, line: line)
        for (s, stage) in stages.enumerated() { markSite(site(s), on: stage, file: file, line: line) }
        return stages.last ?? input
    }
}
