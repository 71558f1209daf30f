/// How a GEMM layer is cut into array tiles, as `antgen run` tiles it: M in tiles of R rows,
/// N in tiles of C columns, the whole K streamed through each tile, ragged edges padded with
/// code 0 (padded rows and columns cost cycles and energy but produce nothing).
public struct LayerTiling: Sendable, Equatable {
    /// Tiles along M, ⌈m / R⌉.
    public let rowTiles: Int
    /// Tiles along N, ⌈n / C⌉.
    public let columnTiles: Int
    /// Beats per tile (the layer's K).
    public let beats: Int
    /// Reduction steps per beat (T).
    public let terms: Int

    /// The tiling of `layer` on an R × C array.
    public init(_ layer: GemmLayer, rows: Int, cols: Int) {
        rowTiles = ceilDiv(layer.m, rows)
        columnTiles = ceilDiv(layer.n, cols)
        beats = layer.k
        terms = layer.terms
    }

    /// All tiles, ⌈m/R⌉ · ⌈n/C⌉.
    public var tileCount: Int { rowTiles * columnTiles }

    /// The tiles in issue order (every tile is alike, so the order does not change the cycles).
    public var tiles: [TileStream] {
        Array(repeating: TileStream(beats: beats, terms: terms), count: tileCount)
    }

    /// The (row-tile, column-tile) index of every tile in the order `antgen run` issues them
    /// (row tiles outer, column tiles inner: tile t covers row tile t / columnTiles).
    public var order: [(rowTile: Int, columnTile: Int)] {
        (0..<rowTiles).flatMap { r in (0..<columnTiles).map { (rowTile: r, columnTile: $0) } }
    }
}
