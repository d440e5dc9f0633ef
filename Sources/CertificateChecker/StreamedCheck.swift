import Synchronization

// MARK: - Checks that read the data in blocks (docs/formats.md, sections 5.4 and 6)
//
// A memorization certificate with n > 20000 (no R², no δ² to recompute), a shard
// certificate, and a root certificate over shards. Memory is O(network + block): rows
// are evaluated block by block and merged by key on disk (`KeyedRows`).

enum StreamedCheck {
    static let blockBytes = 8 << 20

    // MARK: Memorization, streamed

    static func memorization(_ claims: MemorizationClaims, targets: [(role: String, shown: String, open: String, sha256: String)],
                             outcome: inout CheckOutcome) throws(MalformedInput) {
        var files: [String: (shown: String, file: RangeFile)] = [:]
        for target in targets {
            let file: RangeFile
            do { file = try RangeFile(path: target.open) } catch { throw MalformedInput(target.shown, error.message) }
            let progress = Progress("SHA-256 of \(target.shown)", total: file.size)
            let digest = try file.sha256(0, file.size, progress: progress)
            progress.finish()
            if digest != target.sha256 {
                outcome.failure = ClaimFailure("files.\(target.role).sha256", "\(target.shown) has SHA-256 \(digest), the certificate records \(target.sha256)")
                return
            }
            outcome.checks.append("files.\(target.role).sha256")
            files[target.role] = (target.shown, file)
        }
        let (dataShown, data) = files["data"]!, (networkShown, networkFile) = files["network"]!
        let net = try readNetwork(networkFile, shown: networkShown)
        let sorter = try KeyedRows()
        let progress = Progress("reading \(dataShown)", total: data.size)
        let dimension: Int, pass: RangeResult, groups: RowGroups
        if NumPyReader.kind(of: dataShown) == "npy" {
            // .npy: the header and the size first (S9), then blocks of rows; rows re-read by index (S10).
            let rows = try NumPyRows(data, name: dataShown)
            dimension = rows.dimension
            pass = try rows.pass(0 ..< rows.n, net: net, evaluate: net.inputDimension == dimension, sorter: sorter,
                                 blockBytes: blockBytes, progress: progress)
            progress.finish()
            groups = try RowGroups.group(sorter) { (index) throws(MalformedInput) in try rows.canonicalText(row: Int(index)) }
        } else {
            let layout = try DataLayout.read(data)
            dimension = layout.dimension
            pass = try RangePass.run(data, 0, data.size, layout: layout, net: net, evaluate: net.inputDimension == dimension,
                                     name: dataShown, sorter: sorter, blockBytes: blockBytes, progress: progress)
            progress.finish()
            if pass.rows == 0 { throw MalformedInput(dataShown, "contains no data rows", line: pass.lines + 1, column: 1) }
            groups = try RowGroups.group(sorter, file: data, dimension: dimension, name: dataShown)
        }
        do throws(ClaimFailure) {
            if let (row, point) = groups.conflict {
                throw ClaimFailure("claims.memorized", "the point on line \(KeyedRows.line(row)) equals the point on line \(KeyedRows.line(point)) but has another label: "
                                   + "the data is no labeled point set, and no network memorizes it")
            }
            var checks = outcome.checks
            defer { outcome.checks = checks }
            try MemorizationCheck.counts(claims, net, n: groups.points, d: dimension, classes: Int(groups.largestLabel) + 1,
                                         mergedDuplicates: groups.merged, &checks)
            if let m = pass.mismatch {
                if let (layer, neuron) = m.tie {
                    throw ClaimFailure("claims.memorized", "the point on line \(m.line) is a tie: neuron \(neuron) of layer \(layer) "
                        + "(comparison sign) has pre-activation exactly 0, so the network has no output there")
                }
                throw ClaimFailure("claims.memorized", "the point on line \(m.line) gets output \(m.output), its label is \(m.label)")
            }
            checks.append("claims.memorized")
            let margins = pass.margins.map { $0.q?.description ?? "0" }
            if margins != claims.minimumMargins {
                throw ClaimFailure("claims.minimumMargins", "the certificate says \(MemorizationCheck.list(claims.minimumMargins)), the files give \(MemorizationCheck.list(margins))")
            }
            checks.append("claims.minimumMargins")
        } catch {
            outcome.failure = error
        }
    }

    static func readNetwork(_ file: RangeFile, shown: String) throws(MalformedInput) -> NetworkModel {
        let bytes = try file.read(0, file.size)
        return try bytes.withUnsafeBufferPointer { (b) throws(MalformedInput) in try NetworkReader.read(b, file: shown) }
    }

    // MARK: One shard

    /// What a shard's check recomputed (for its root).
    struct ShardResult {
        var rows = 0
        var margins: [Margin] = []
        var networkCounts: [Int] = []
        var dimension = 0
    }

    /// Checks shard certificate `s` (files already resolved: `network`, `data`, `rows` as (shown, open)).
    /// Claims are named with `prefix` (`shards[i].` under a root). Rows also go to `global` when given.
    static func shard(_ s: ShardCertificate, network: (String, String), data: (String, String), rows: (String, String),
                      prefix: String, global: KeyedRows?, checks: inout [String]) throws(MalformedInput) -> Result<ShardResult, ClaimFailure> {
        func failure(_ claim: String, _ message: String) -> Result<ShardResult, ClaimFailure> { .failure(ClaimFailure(prefix + claim, message)) }
        func open(_ f: (String, String)) throws(MalformedInput) -> RangeFile {
            do { return try RangeFile(path: f.1) } catch { throw MalformedInput(f.0, error.message) }
        }
        let netFile = try open(network), dataFile = try open(data), rowsFile = try open(rows)
        // Files: network digest, the data's size, the range's boundaries and digest, the row list's digest.
        let netDigest = try netFile.sha256(0, netFile.size)
        if netDigest != s.network.sha256 { return failure("files.network.sha256", "\(network.0) has SHA-256 \(netDigest), the certificate records \(s.network.sha256)") }
        checks.append(prefix + "files.network.sha256")
        if dataFile.size != s.data.size { return failure("files.data.size", "\(data.0) has \(dataFile.size) bytes, the certificate says \(s.data.size)") }
        checks.append(prefix + "files.data.size")
        let npy: NumPyRows?, name: String
        if let headerSha256 = s.data.headerSha256 {
            // .npy (S9, S11): the header's digest, then the header parsed and the size checked against it,
            // then the row range of shard I/K for the header's n, then the digest of its element bytes.
            let header = try NumPyRows.headerBytes(dataFile, name: data.0)
            let headerDigest = hexDigest(sha256Bytes(header))
            if headerDigest != headerSha256 {
                return failure("files.data.headerSha256", "the header of \(data.0) (\(header.count) bytes) has SHA-256 \(headerDigest), the certificate records \(headerSha256)")
            }
            checks.append(prefix + "files.data.headerSha256")
            let rows = try NumPyRows(dataFile, name: data.0, header: header)
            let range = rows.shardRows(s.shard, of: s.shards)
            if s.data.start != range.lowerBound {
                return failure("files.data.rowStart", "shard \(s.shard)/\(s.shards) of the \(rows.n) rows of \(data.0) starts at row \(range.lowerBound), the certificate says \(s.data.start)")
            }
            if s.data.end != range.upperBound {
                return failure("files.data.rowEnd", "shard \(s.shard)/\(s.shards) of the \(rows.n) rows of \(data.0) ends at row \(range.upperBound), the certificate says \(s.data.end)")
            }
            checks.append(prefix + "files.data.range")
            let elementDigest = try rows.elementSha256(range)
            if elementDigest != s.data.sha256 {
                return failure("files.data.sha256", "the element bytes of rows \(range.lowerBound)-\(range.upperBound) of \(data.0) have SHA-256 \(elementDigest), the certificate records \(s.data.sha256)")
            }
            (npy, name) = (rows, data.0)
        } else {
            let start = try dataFile.boundary(s.shard - 1, of: s.shards), end = try dataFile.boundary(s.shard, of: s.shards)
            if s.data.start != start { return failure("files.data.start", "shard \(s.shard)/\(s.shards) of \(data.0) starts at byte \(start), the certificate says \(s.data.start)") }
            if s.data.end != end { return failure("files.data.end", "shard \(s.shard)/\(s.shards) of \(data.0) ends at byte \(end), the certificate says \(s.data.end)") }
            checks.append(prefix + "files.data.range")
            let rangeDigest = try dataFile.sha256(start, end)
            if rangeDigest != s.data.sha256 { return failure("files.data.sha256", "bytes \(start)-\(end) of \(data.0) have SHA-256 \(rangeDigest), the certificate records \(s.data.sha256)") }
            (npy, name) = (nil, start == 0 ? data.0 : "\(data.0) (shard \(s.shard)/\(s.shards) from byte \(start); lines counted from there)")
        }
        checks.append(prefix + "files.data.sha256")
        let rowsDigest = try rowsFile.sha256(0, rowsFile.size)
        if rowsDigest != s.rows.sha256 { return failure("files.rows.sha256", "\(rows.0) has SHA-256 \(rowsDigest), the certificate records \(s.rows.sha256)") }
        checks.append(prefix + "files.rows.sha256")

        let net = try readNetwork(netFile, shown: network.0)
        let sorter = try KeyedRows()
        let dimension: Int, pass: RangeResult
        if let npy {
            dimension = npy.dimension
            pass = try npy.pass(s.data.start ..< s.data.end, net: net, evaluate: net.inputDimension == dimension, sorter: sorter,
                                blockBytes: blockBytes, progress: nil)
        } else {
            let layout = try DataLayout.read(dataFile)
            dimension = layout.dimension
            pass = try RangePass.run(dataFile, s.data.start, s.data.end, layout: layout, net: net, evaluate: net.inputDimension == dimension,
                                     name: name, sorter: sorter, blockBytes: blockBytes, progress: nil)
        }
        /// A row in messages: CSV by its line in the shard and byte offset, `.npy` by its line and index.
        func row(line: some BinaryInteger, offset: some BinaryInteger) -> String {
            npy == nil ? "the row on line \(line) of \(name) (byte \(offset))" : "the row on line \(line) of \(name) (row index \(offset))"
        }
        let counts = [net.neurons, net.weights, net.biases, net.layers.count, net.largestWeightBits]
        if s.rowCount != pass.rows { return failure("claims.rows", "the certificate says \(s.rowCount), the range holds \(pass.rows) rows") }
        checks.append(prefix + "claims.rows")
        if s.d != dimension { return failure("claims.d", "the certificate says \(s.d), the data has \(dimension)") }
        checks.append(prefix + "claims.d")
        for (k, key) in CertificateReader.countKeys.enumerated() {
            if s.counts[k] != counts[k] { return failure("claims.\(key)", "the certificate says \(s.counts[k]), the network has \(counts[k])") }
            checks.append(prefix + "claims.\(key)")
        }
        if net.inputDimension != dimension {
            return failure("claims.memorized", "the network reads \(net.inputDimension) inputs, the data has \(dimension) coordinates")
        }
        if let m = pass.mismatch {
            if let (layer, neuron) = m.tie {
                return failure("claims.memorized", "\(row(line: m.line, offset: m.offset)) is a tie: neuron \(neuron) of layer \(layer) "
                               + "(comparison sign) has pre-activation exactly 0, so the network has no output there")
            }
            return failure("claims.memorized", "\(row(line: m.line, offset: m.offset)) gets output \(m.output), its label is \(m.label)")
        }
        checks.append(prefix + "claims.memorized")
        let margins = pass.margins.map { $0.q?.description }
        if margins != s.margins {
            return failure("claims.minimumMargins", "the certificate says \(MemorizationCheck.list(s.margins.map { $0 ?? "null" })), the range gives \(MemorizationCheck.list(margins.map { $0 ?? "null" }))")
        }
        checks.append(prefix + "claims.minimumMargins")

        // The row list: the header, then exactly the range's rows as (key, label, offset), sorted.
        let expectedSize = 16 + 48 * pass.rows
        if rowsFile.size != expectedSize { return failure("files.rows", "\(rows.0) has \(rowsFile.size) bytes; \(pass.rows) rows make \(expectedSize)") }
        if try rowsFile.read(0, 16) != Array("memcert.rows/1\n".utf8) + [0] { return failure("files.rows", "\(rows.0) lacks the memcert.rows/1 header") }
        var at = 16
        var listFailure: ClaimFailure?
        do throws(CheckStop) {
            try sorter.forEachBucket { (records) throws(ClaimFailure) in
                if records.isEmpty { return }
                let listed: [UInt8]
                do throws(MalformedInput) { listed = try rowsFile.read(at, records.count * 48) } catch { throw ClaimFailure(prefix + "files.rows", error.message) }
                for (j, r) in records.enumerated() where listed.count < (j + 1) * 48 || Array(listed[j * 48 ..< (j + 1) * 48]) != Array(r[0 ..< 48]) {
                    throw ClaimFailure(prefix + "files.rows", "\(rows.0) differs from the rows of the range at record \((at - 16) / 48 + j) "
                                       + "(\(row(line: KeyedRows.line(r), offset: KeyedRows.offset(r))))")
                }
                at += records.count * 48
                if let global { for r in records { do throws(MalformedInput) { try global.add(r) } catch { throw ClaimFailure(prefix + "files.rows", error.message) } } }
            }
        } catch {
            switch error {
            case .claim(let c): listFailure = c
            case .malformed(let m): throw m
            }
        }
        if let listFailure { return .failure(listFailure) }
        checks.append(prefix + "files.rows")
        return .success(ShardResult(rows: pass.rows, margins: pass.margins, networkCounts: counts, dimension: dimension))
    }

    /// `memcert check SHARD`.
    static func shardCertificate(path: String, bytes: UnsafeBufferPointer<UInt8>, root: JSONNode, network: String?, data: String?) throws(MalformedInput) -> CheckOutcome {
        let s = try CertificateReader(file: path, bytes: bytes).shardCertificate(root)
        try sameKind(data, as: s.data.path)
        let folder = FilePaths.folder(of: path)
        func resolve(_ relative: String, _ override: String?) throws(MalformedInput) -> (String, String) {
            if let override { return (override, override) }
            let (shown, resolved) = try FilePaths.confined(relative, in: folder, certificate: path)
            return (shown, resolved)
        }
        let net = try resolve(s.network.path, network), dat = try resolve(s.data.path, data), rows = try resolve(s.rows.path, nil)
        for f in [net, dat, rows] { do { try FilePaths.requireRegularFile(f.1) } catch { throw MalformedInput(f.0, error.message) } }
        var outcome = CheckOutcome(kind: "memorization-shard", checks: [], failure: nil)
        if case .failure(let f) = try shard(s, network: net, data: dat, rows: rows, prefix: "", global: nil, checks: &outcome.checks) {
            outcome.failure = f
        }
        return outcome
    }

    /// `--data FILE` must be data of the kind the certificate's path names (3.2: by the name),
    /// since the certificate's `files.data` form (CSV or `.npy`) follows that name.
    static func sameKind(_ override: String?, as path: String) throws(MalformedInput) {
        guard let override, NumPyReader.kind(of: override) != NumPyReader.kind(of: path) else { return }
        throw MalformedInput(override, "--data names \(NumPyReader.kind(of: override).map { "." + $0 } ?? "CSV") data, "
                             + "the certificate's files.data names \(NumPyReader.kind(of: path).map { "." + $0 } ?? "CSV") data")
    }

    // MARK: The root

    static func rootCertificate(path: String, bytes: UnsafeBufferPointer<UInt8>, root: JSONNode, network: String?, data: String?) throws(MalformedInput) -> CheckOutcome {
        let r = try CertificateReader(file: path, bytes: bytes).rootCertificate(root)
        try sameKind(data, as: r.data.path)
        var outcome = CheckOutcome(kind: "memorization-root", checks: [], failure: nil)
        let folder = FilePaths.folder(of: path)
        func resolve(_ relative: String, in folder: String, certificate: String, _ override: String?) throws(MalformedInput) -> (String, String) {
            if let override { return (override, FilePaths.resolved(override) ?? override) }
            let (shown, resolved) = try FilePaths.confined(relative, in: folder, certificate: certificate)
            do { try FilePaths.requireRegularFile(resolved) } catch { throw MalformedInput(shown, error.message) }
            return (shown, resolved)
        }
        let net = try resolve(r.network.path, in: folder, certificate: path, network)
        let dat = try resolve(r.data.path, in: folder, certificate: path, data)
        let shardPaths = try r.shardFiles.map { (f) throws(MalformedInput) in try resolve(f.path, in: folder, certificate: path, nil) }

        func fail(_ claim: String, _ message: String) -> CheckOutcome {
            outcome.failure = ClaimFailure(claim, message)
            return outcome
        }
        // The root's own files.
        let netFile: RangeFile, dataFile: RangeFile
        do { netFile = try RangeFile(path: net.1) } catch { throw MalformedInput(net.0, error.message) }
        do { dataFile = try RangeFile(path: dat.1) } catch { throw MalformedInput(dat.0, error.message) }
        let netDigest = try netFile.sha256(0, netFile.size)
        if netDigest != r.network.sha256 { return fail("files.network.sha256", "\(net.0) has SHA-256 \(netDigest), the certificate records \(r.network.sha256)") }
        outcome.checks.append("files.network.sha256")
        if dataFile.size != r.data.size { return fail("files.data.size", "\(dat.0) has \(dataFile.size) bytes, the certificate says \(r.data.size)") }
        outcome.checks.append("files.data.size")
        // .npy: the header's digest, then the header parsed and the size checked against it (S9).
        var npy: NumPyRows?
        if let headerSha256 = r.data.headerSha256 {
            let header = try NumPyRows.headerBytes(dataFile, name: dat.0)
            let headerDigest = hexDigest(sha256Bytes(header))
            if headerDigest != headerSha256 {
                return fail("files.data.headerSha256", "the header of \(dat.0) (\(header.count) bytes) has SHA-256 \(headerDigest), the certificate records \(headerSha256)")
            }
            outcome.checks.append("files.data.headerSha256")
            npy = try NumPyRows(dataFile, name: dat.0, header: header)
        }
        let unit = npy == nil ? "byte" : "row"

        // Each shard certificate: its digest, then (read strictly) one network, one data file, the tiling.
        var shards: [(ShardCertificate, rows: (String, String))] = []
        var previousEnd = 0
        for (i, f) in r.shardFiles.enumerated() {
            let file: RangeFile
            do { file = try RangeFile(path: shardPaths[i].1) } catch { throw MalformedInput(shardPaths[i].0, error.message) }
            let content = try file.read(0, file.size)
            let digest = hexDigest(sha256Bytes(content))
            if digest != f.sha256 { return fail("files.shards[\(i)].sha256", "\(shardPaths[i].0) has SHA-256 \(digest), the root records \(f.sha256)") }
            let s = try content.withUnsafeBufferPointer { (b) throws(MalformedInput) -> ShardCertificate in
                let node = try JSONReader.parse(b, file: shardPaths[i].0)
                return try CertificateReader(file: shardPaths[i].0, bytes: b).shardCertificate(node)
            }
            let shardFolder = FilePaths.folder(of: shardPaths[i].0)
            let claim = "files.shards[\(i)]"
            if s.shard != i + 1 || s.shards != r.shards {
                return fail(claim, "\(shardPaths[i].0) is shard \(s.shard)/\(s.shards); entry \(i) of the root must be shard \(i + 1)/\(r.shards)")
            }
            if s.network.sha256 != r.network.sha256 { return fail(claim, "\(shardPaths[i].0) names a network with SHA-256 \(s.network.sha256), the root \(r.network.sha256)") }
            if network == nil {
                let shardNet = try FilePaths.confined(s.network.path, in: shardFolder, certificate: shardPaths[i].0).resolved
                if shardNet != net.1 { return fail(claim, "\(shardPaths[i].0) names the network \(shardNet), the root \(net.1)") }
            }
            if data == nil {
                let shardData = try FilePaths.confined(s.data.path, in: shardFolder, certificate: shardPaths[i].0).resolved
                if shardData != dat.1 { return fail(claim, "\(shardPaths[i].0) names the data \(shardData), the root \(dat.1)") }
            }
            if s.data.size != r.data.size { return fail(claim, "\(shardPaths[i].0) says the data has \(s.data.size) bytes, the root \(r.data.size)") }
            if s.data.headerSha256 != r.data.headerSha256 {
                return fail(claim, "\(shardPaths[i].0) records the data header's SHA-256 \(s.data.headerSha256 ?? "none (a CSV shard)"), the root \(r.data.headerSha256 ?? "none (CSV data)")")
            }
            if s.data.start != previousEnd {
                return fail(claim, "\(shardPaths[i].0) starts at \(unit) \(s.data.start), but the shards before it end at \(unit) \(previousEnd): the shards must tile the data without gap or overlap")
            }
            previousEnd = s.data.end
            let rows = try FilePaths.confined(s.rows.path, in: shardFolder, certificate: shardPaths[i].0)
            do { try FilePaths.requireRegularFile(rows.resolved) } catch { throw MalformedInput(rows.shown, error.message) }
            shards.append((s, (rows.shown, rows.resolved)))
            outcome.checks.append("files.shards[\(i)]")
        }
        if let npy, previousEnd != npy.n { return fail("files.shards", "the shards end at row \(previousEnd), the data has \(npy.n) rows") }
        if npy == nil && previousEnd != r.data.size { return fail("files.shards", "the shards end at byte \(previousEnd), the data has \(r.data.size) bytes") }
        outcome.checks.append("files.shards")

        // Every shard, in parallel; rows go to one sorter for repeated rows across shards.
        let global = try KeyedRows()
        let progress = Progress("checking \(shards.count) shards", total: shards.count)
        let shardList = shards
        let results = Workers.map(shardList.count) { i -> (Result<Result<ShardResult, ClaimFailure>, MalformedInput>, [String]) in
            var checks: [String] = []
            let result = Result { () throws(MalformedInput) in
                try shard(shardList[i].0, network: net, data: dat, rows: shardList[i].rows, prefix: "shards[\(i)].", global: global, checks: &checks)
            }
            progress.advance(1)
            return (result, checks)
        }
        progress.finish()
        var margins = Array(repeating: Margin(), count: r.counts[3])
        var shardCounts: [Int]?, dimension: Int?
        for (result, checks) in results {
            switch result {
            case .failure(let malformed): throw malformed
            case .success(.failure(let claim)):
                outcome.checks += checks
                outcome.failure = claim
                return outcome
            case .success(.success(let s)):
                outcome.checks += checks
                for (l, m) in s.margins.enumerated() where l < margins.count { margins[l].merge(m) }
                shardCounts = s.networkCounts
                dimension = s.dimension
            }
        }
        // Rows with one key are compared exactly, read again from the data: the root's n,
        // mergedDuplicates and classes are confirmed exactly, whatever keys the row lists hold.
        let groups: RowGroups
        if let npy {
            groups = try RowGroups.group(global) { (index) throws(MalformedInput) in try npy.canonicalText(row: Int(index)) }
        } else {
            groups = try RowGroups.group(global, file: dataFile, dimension: dimension ?? 0, name: dat.0)
        }
        if let (row, point) = groups.conflict {
            let (a, b) = npy == nil ? ("the row at byte \(KeyedRows.offset(row))", "the point at byte \(KeyedRows.offset(point))")
                : ("row \(KeyedRows.offset(row)) (line \(KeyedRows.line(row)))", "the point of row \(KeyedRows.offset(point)) (line \(KeyedRows.line(point)))")
            return fail("claims.memorized", "\(a) equals \(b) but has another label: the data is no labeled point set, and no network memorizes it")
        }
        if groups.points == 0 { throw MalformedInput(dat.0, "contains no data rows") }
        func expect(_ name: String, _ claimed: Int, _ actual: Int) -> Bool {
            if claimed != actual {
                outcome.failure = ClaimFailure("claims.\(name)", "the certificate says \(claimed), the files give \(actual)")
                return false
            }
            outcome.checks.append("claims.\(name)")
            return true
        }
        guard expect("shards", r.shards, shards.count), expect("n", r.n, groups.points), expect("d", r.d, dimension ?? 0),
              expect("classes", r.classes, Int(groups.largestLabel) + 1), expect("mergedDuplicates", r.mergedDuplicates, groups.merged) else { return outcome }
        for (k, key) in CertificateReader.countKeys.enumerated() where !expect(key, r.counts[k], shardCounts?[k] ?? 0) { return outcome }
        if !r.memorized { return fail("claims.memorized", "the certificate says false; a memorization certificate claims true") }
        outcome.checks.append("claims.memorized")
        let recomputed = margins.map { $0.q?.description ?? "0" }
        if recomputed != r.margins {
            return fail("claims.minimumMargins", "the certificate says \(MemorizationCheck.list(r.margins)), the shards give \(MemorizationCheck.list(recomputed))")
        }
        outcome.checks.append("claims.minimumMargins")
        return outcome
    }
}
