/// A hash grid over a few coordinate axes for finding all stored points that
/// may lie within distance `cellSize` of a query.
///
/// Cells have side `cellSize` on each chosen axis. Two points at distance
/// less than `cellSize` differ by less than `cellSize` on every axis, so
/// their cells differ by at most one on every chosen axis: scanning the 3^g
/// neighbouring cells finds every such point (plus others, which the caller
/// checks exactly). Cell indices are clamped to Int32, which keeps that
/// property (clamping is monotone and never increases a difference).
struct NeighborGrid: Sendable {
    struct Key: Hashable, Sendable {
        var c0: Int32 = 0, c1: Int32 = 0, c2: Int32 = 0, c3: Int32 = 0, c4: Int32 = 0, c5: Int32 = 0

        /// One multiply-xorshift mix fed to the hasher once (cheaper than six combines).
        func hash(into hasher: inout Hasher) {
            var h = UInt64(UInt32(bitPattern: c0)) | UInt64(UInt32(bitPattern: c1)) << 32
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            h ^= UInt64(UInt32(bitPattern: c2)) | UInt64(UInt32(bitPattern: c3)) << 32
            h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
            h ^= UInt64(UInt32(bitPattern: c4)) | UInt64(UInt32(bitPattern: c5)) << 32
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            hasher.combine(h ^ (h >> 32))
        }
        subscript(i: Int) -> Int32 {
            get {
                switch i {
                case 0: c0
                case 1: c1
                case 2: c2
                case 3: c3
                case 4: c4
                default: c5
                }
            }
            set {
                switch i {
                case 0: c0 = newValue
                case 1: c1 = newValue
                case 2: c2 = newValue
                case 3: c3 = newValue
                case 4: c4 = newValue
                default: c5 = newValue
                }
            }
        }
    }

    static let maximumAxes = 6
    let axes: [Int]
    let cellSize: Double
    private var heads: [Key: Int32] = [:]
    private var next: [Int32] = []
    private let offsets: [[Int32]]

    /// A grid on `axes` (at most 6) with cells of side `cellSize`.
    init(axes: [Int], cellSize: Double) {
        precondition(axes.count <= NeighborGrid.maximumAxes && cellSize > 0)
        self.axes = axes
        self.cellSize = cellSize
        var offsets: [[Int32]] = [[]]
        for _ in axes { offsets = offsets.flatMap { o in [-1, 0, 1].map { o + [Int32($0)] } } }
        self.offsets = offsets
    }

    func key(of approximation: UnsafeBufferPointer<Double>) -> Key {
        var key = Key()
        for (a, axis) in axes.enumerated() {
            let c = (approximation[axis] / cellSize).rounded(.down)
            key[a] = c >= 2.0e9 ? 2_000_000_000 : (c <= -2.0e9 ? -2_000_000_000 : Int32(c))
        }
        return key
    }

    /// Stores point `id` (ids must be inserted in increasing order from 0).
    mutating func insert(_ id: Int, approximation: UnsafeBufferPointer<Double>) {
        precondition(id == next.count, "grid ids must be consecutive")
        let k = key(of: approximation)
        next.append(heads[k] ?? -1)
        heads[k] = Int32(id)
    }

    /// Calls `body` with every stored id whose cell neighbours the query's;
    /// stops early when `body` returns false.
    func forEachCandidate(near approximation: UnsafeBufferPointer<Double>, _ body: (Int) -> Bool) {
        let center = key(of: approximation)
        for offset in offsets {
            var k = center
            for a in 0 ..< axes.count { k[a] = k[a] &+ offset[a] }
            var id = heads[k] ?? -1
            while id >= 0 {
                if !body(Int(id)) { return }
                id = next[Int(id)]
            }
        }
    }
}
