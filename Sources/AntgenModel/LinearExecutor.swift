/// The seam every matrix product of the model goes through, so a quantized variant (an
/// array's golden integer path, or the RTL) can replace the float arithmetic layer by layer.
///
/// Conventions shared by both methods: matrices are row-major `Float`; the left operand is
/// M × K (M token rows, K the reduction length) and the right operand is given as N × K
/// (each of its rows is one output column's weights, the PyTorch / safetensors `[out, in]`
/// layout, antgen's `--weight-layout nk`); the result is M × N with
/// `out[m][n] = Σₖ left[m][k] · right[n][k]` (+ `bias[n]` for linear layers).
///
/// The rows of a linear layer's input are the tokens of one or more whole sentences packed
/// one after another without padding (``ForwardOptions/batchSize`` sentences at most, in
/// corpus order); an executor that needs per-sentence behaviour (e.g. per-sentence
/// activation scales) sets the batch size to 1. Calls may come from several threads at once
/// only if the caller runs several batches in parallel; ``BertModel`` itself calls an executor
/// from one thread at a time, in layer order.
public protocol LinearExecutor: Sendable {
    /// One linear layer: `input` (M × K) times `weight` (N × K, as stored, `[out, in]`)
    /// transposed, plus `bias` (N values). Must return an M × N matrix.
    ///
    /// - Parameters:
    ///   - input: M × K activations (K = the layer's input features).
    ///   - layer: which of the model's linear layers this is (name, encoder layer, role).
    ///   - weight: N × K weights exactly as stored in the checkpoint.
    ///   - bias: N values.
    /// - Throws: any error; the forward pass stops and passes it on.
    func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix

    /// One attention product of one head, in the same M × K by (N × K)ᵀ convention:
    /// - ``AttentionProduct/Kind/scores``: Q (T × d) by K (T × d), giving the raw T × T scores
    ///   (the model applies 1/√d and the softmax afterwards);
    /// - ``AttentionProduct/Kind/context``: P (T × T softmax probabilities) by Vᵀ (d × T),
    ///   giving the T × d context.
    ///
    /// T is the sentence's own token count (attention never crosses sentences and sees no
    /// padding). The default implementation (in a protocol extension) is the float product,
    /// so an executor that only quantizes linear layers need not implement it.
    func attention(_ left: ModelMatrix, _ right: ModelMatrix, product: AttentionProduct) throws -> ModelMatrix
}

extension LinearExecutor {
    /// The float32 product (``FloatGemm``), for executors that leave attention in float.
    public func attention(_ left: ModelMatrix, _ right: ModelMatrix, product: AttentionProduct) throws -> ModelMatrix {
        try FloatGemm.multiply(left, transposed: right)
    }
}

/// The FP32 reference executor: every product in float32 (float32 accumulation), spread over
/// all cores for large products.
public struct Float32Linear: LinearExecutor {
    /// Creates the executor.
    public init() {}

    /// `input · weightᵀ + bias` in float32.
    public func linear(_ input: ModelMatrix, layer: LinearLayerName, weight: ModelMatrix, bias: [Float]) throws -> ModelMatrix {
        try FloatGemm.multiply(input, transposed: weight, bias: bias)
    }
}

/// A dense row-major float matrix.
public struct ModelMatrix: Sendable, Equatable {
    /// Number of rows (M for activations, N for weights).
    public let rows: Int
    /// Number of columns (K, the reduction length, for both operands).
    public let columns: Int
    /// `rows × columns` values, row after row.
    public var values: [Float]

    /// Creates a matrix; `values.count` must be `rows × columns` (checked with a precondition).
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "ModelMatrix: \(values.count) values for \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix of zeros.
    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    /// The value at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }
}

/// The name of one linear layer of a BERT encoder.
public struct LinearLayerName: Hashable, Sendable, CustomStringConvertible {
    /// The role of a linear layer inside an encoder layer.
    public enum Role: String, CaseIterable, Sendable {
        /// `attention.self.query` (hidden → hidden).
        case query = "attention.self.query"
        /// `attention.self.key` (hidden → hidden).
        case key = "attention.self.key"
        /// `attention.self.value` (hidden → hidden).
        case value = "attention.self.value"
        /// `attention.output.dense` (hidden → hidden, after attention).
        case attentionOutput = "attention.output.dense"
        /// `intermediate.dense` (hidden → intermediate, before GELU).
        case intermediate = "intermediate.dense"
        /// `output.dense` (intermediate → hidden, after GELU).
        case output = "output.dense"
    }

    /// The encoder layer, from 0.
    public let layer: Int
    /// The role inside the layer.
    public let role: Role

    /// Creates the name.
    public init(layer: Int, role: Role) {
        self.layer = layer
        self.role = role
    }

    /// The checkpoint prefix, e.g. `encoder.layer.0.attention.self.query`; the tensors are
    /// this plus `.weight` / `.bias` (a `bert.` prefix in the file is accepted and dropped).
    public var description: String { "encoder.layer.\(layer).\(role.rawValue)" }

    /// Every linear layer of a model with `layers` encoder layers, in execution order.
    public static func all(layers: Int) -> [LinearLayerName] {
        (0 ..< layers).flatMap { layer in Role.allCases.map { LinearLayerName(layer: layer, role: $0) } }
    }
}

/// Which attention product of which head.
public struct AttentionProduct: Hashable, Sendable, CustomStringConvertible {
    /// The two products of attention.
    public enum Kind: String, Sendable {
        /// Q·Kᵀ (scores, before scaling and softmax).
        case scores = "qk"
        /// P·V (probabilities times values).
        case context = "pv"
    }

    /// The encoder layer, from 0.
    public let layer: Int
    /// The head, from 0.
    public let head: Int
    /// Which product.
    public let kind: Kind

    /// Creates the name.
    public init(layer: Int, head: Int, kind: Kind) {
        self.layer = layer
        self.head = head
        self.kind = kind
    }

    /// e.g. `encoder.layer.0.attention.head3.qk`.
    public var description: String { "encoder.layer.\(layer).attention.head\(head).\(kind.rawValue)" }
}
