import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each class of fault found by trying the commands as an adversary would, with
/// the smallest input that showed it: traps, memory blow-ups, files destroyed
/// or left behind, scale, messages. Every test here failed before its fix
/// (a signal, an abort, a replaced file, a hang, a leftover temporary file).
@Suite("Hostile inputs: no trap, no blow-up, no file lost")
struct RobustnessCLITests {
    // MARK: - Traps

    @Test("construct: two points 1e-20 apart no longer trap on k0; all labels equal never computes it")
    func kZero() throws {
        let dir = try temporaryFolder()
        try write("0,0\n1e-20,1\n1,0\n", to: "t.csv", in: dir)
        let adaptive = try runMemcert(["construct", "t.csv", "-o", "n.json"], in: dir)
        #expect(!adaptive.signaled && adaptive.status == 2, "\(adaptive.stderr)")
        #expect(adaptive.stderr.contains("stage A"))
        let theory = try runMemcert(["construct", "t.csv", "-o", "n.json", "--width", "theory"], in: dir)
        #expect(!theory.signaled && theory.status == 2 && theory.stderr.contains("k0"), "\(theory.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("n.json").path))
        try write("0,0\n1e-20,0\n1,0\n", to: "same.csv", in: dir)
        let constant = try runMemcert(["construct", "same.csv", "-o", "c.json", "--json"], in: dir)
        #expect(constant.status == 0, "\(constant.stderr)")
        #expect(try runMemcert(["verify", "c.json", "same.csv"], in: dir).status == 0)
    }

    @Test("k0 beyond 10^15 is reported as null with the reason, never converted")
    func kZeroTooLarge() throws {
        let dir = try temporaryFolder()
        // Two close pairs: labels differ only across pairs, so stage A succeeds, while δ ≈ 1e-20 makes k0 huge.
        try write("0,0\n1e-20,0\n5,1\n5.00000000000000000001,1\n", to: "t.csv", in: dir)
        let r = try runMemcert(["construct", "t.csv", "-o", "n.json", "--json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let theory = object?["theory"] as? [String: Any]
        #expect(theory?["k0"] is NSNull)
        let human = try runMemcert(["construct", "t.csv", "-o", "n.json"], in: dir)
        #expect(human.stdout.contains("too large"), "\(human.stdout)")
    }

    @Test("construct at radius 1e300, and with --precision 1000 at radius 1e9, memorizes instead of trapping")
    func hugeCoordinates() throws {
        let dir = try temporaryFolder()
        try write("1e300,0,0\n0,1e300,1\n-1e300,0,1\n0,-1e300,0\n", to: "big.csv", in: dir)
        let big = try runMemcert(["construct", "big.csv", "-o", "big.json"], in: dir)
        #expect(!big.signaled && big.status == 0, "\(big.stderr)")
        #expect(try runMemcert(["verify", "big.json", "big.csv"], in: dir).status == 0)
        try write("1000000000,0,0\n0,1000000000,1\n-1000000000,3,1\n7,-1000000000,0\n", to: "g.csv", in: dir)
        let precise = try runMemcert(["construct", "g.csv", "-o", "g.json", "--precision", "1000"], in: dir)
        #expect(!precise.signaled && precise.status == 0, "\(precise.stderr)")
        #expect(try runMemcert(["verify", "g.json", "g.csv"], in: dir).status == 0)
    }

    @Test("compare with a tiny δ² prints the Vershynin exponent instead of trapping, and writes only whole files")
    func compareTinyDelta() throws {
        let dir = try temporaryFolder()
        try write("0,0\n1e-10,1\n1,0\n", to: "t.csv", in: dir)
        let r = try runMemcert(["compare", "t.csv", "--folder", "out"], in: dir)
        #expect(!r.signaled && r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("10^(4.34e+19)"), "\(r.stdout)")
        try write("0,0\n1e-400,1\n1,0\n", to: "u.csv", in: dir)
        let tiny = try runMemcert(["compare", "u.csv", "--folder", "out2", "--json"], in: dir)
        #expect(tiny.status == 0 && tiny.stdout.contains("below 2^-1000"), "\(tiny.stdout)")
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
        #expect(!written.contains { $0.hasSuffix(".tmp") })
    }

    @Test("regions near Int.max: the inverse is refused beyond 2^62, huge counts by their cost, never a trap")
    func regionsEdges() throws {
        let dir = try temporaryFolder()
        let inverse = try runMemcert(["regions", "--inverse", "9223372036854775807", "--dim", "1"], in: dir)
        #expect(!inverse.signaled && inverse.status == 2 && inverse.stderr.contains("2^62"), "\(inverse.stderr)")
        let hugeTarget = try runMemcert(["regions", "--inverse", String(repeating: "9", count: 60), "--dim", "1"], in: dir)
        #expect(!hugeTarget.signaled && hugeTarget.status == 2)
        let line = try runMemcert(["regions", "--hyperplanes", "9223372036854775807", "--dim", "1"], in: dir)
        #expect(line.status == 0 && line.stdout == "9223372036854775808\n", "\(line.stderr)")
        let both = try runMemcert(["regions", "--hyperplanes", "9223372036854775807", "--dim", "9223372036854775807"], in: dir)
        #expect(!both.signaled && both.status == 2 && both.stderr.contains("too long"), "\(both.stderr)")
        #expect(try runMemcert(["regions", "--inverse", "4611686018427387905", "--dim", "1"], in: dir).stdout == "4611686018427387904\n")
    }

    @Test("generate refuses sizes beyond the memory budget before allocating, and never loops on a tiny δ")
    func generateSizes() throws {
        let dir = try temporaryFolder()
        let huge = try runMemcert(["generate", "sphere", "--n", "50000000", "--dim", "4096", "--delta", "0.1", "-o", "x.csv"], in: dir)
        #expect(!huge.signaled && huge.status == 2 && huge.stderr.contains("memory budget"), "\(huge.stderr)")
        let curve = try runMemcert(["generate", "moment-curve", "--n", "10000000", "--dim", "1000", "-o", "x.csv"], in: dir)
        #expect(curve.status == 2 && curve.stderr.contains("memory budget"))
        let lowered = try runMemcert(["generate", "circle", "--n", "1000000", "-o", "x.csv"], in: dir,
                                     environment: ["MEMCERT_MEMORY_LIMIT": "64M"])
        #expect(lowered.status == 2 && lowered.stderr.contains("64 MB"), "\(lowered.stderr)")
        let pairs = try runMemcert(["generate", "sphere", "--n", "10", "--dim", "3", "--delta", "1e-30", "--layout", "pairs", "-o", "x.csv"],
                                   in: dir)
        #expect(pairs.status == 2, "\(pairs.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
        // δ below the range of doubles: the points are still checked exactly (none coincide).
        let tiny = try runMemcert(["generate", "sphere", "--n", "300", "--dim", "2", "--delta", "1e-400", "-o", "t.csv"], in: dir)
        #expect(!tiny.signaled && tiny.status == 0, "\(tiny.stderr)")
        let lines = try String(contentsOf: dir.appendingPathComponent("t.csv"), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("x") }.map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        #expect(lines.count == 300 && Set(lines).count == 300)
    }

    // MARK: - Memory

    @Test("a wide, sparse first layer on d = 200,000 (0.6 MB) verifies in a 1.5 GB address space (it asked for 6.4 GB)")
    func sparseFirstLayer() throws {
        let dir = try temporaryFolder()
        let d = 200_000
        // Neuron t is 1[s·(x_{a+1} - x_a) + 1/2 >= 0], a = 7919t mod (d - 1); the output copies neuron 0 (a = 0).
        // With s = 1 it memorizes the two points below (row 2 has x_0 = 2); with s = -1 it misses row 2.
        func network(_ s: String, _ t: String) -> String {
            let neurons = (0 ..< 8000).map { k in
                let a = (k * 7919) % (d - 1)
                return #"{"weights":{"indices":[\#(a),\#(a + 1)],"values":["\#(s)","\#(t)"]},"bias":"1/2"}"#
            }
            return #"{"format":"memcert.network/1","inputDimension":\#(d),"outputBits":1,"layers":[{"neurons":[\#(neurons.joined(separator: ","))]},{"neurons":[{"weights":{"indices":[0],"values":["1"]},"bias":"-1"}]}]}"#
        }
        try write(network("-1", "1"), to: "net.json", in: dir)
        try write(network("1", "-1"), to: "wrong.json", in: dir)
        var data = ""
        for row in 0 ..< 2 {
            var cells = [String](repeating: "0", count: d)
            cells[0] = row == 0 ? "0" : "2"
            data += cells.joined(separator: ",") + ",\(row == 0 ? 1 : 0)\n"
        }
        try write(data, to: "data.csv", in: dir)
        let r = try runShell("ulimit -v 1500000; exec '\(memcertExecutable.path)' verify net.json data.csv", in: dir)
        #expect(!r.signaled && r.status == 0, "status \(r.status): \(r.stderr)")
        #expect(r.stdout.contains("n = 2 points in d = 200000"))
        let wrong = try runShell("ulimit -v 1500000; exec '\(memcertExecutable.path)' verify wrong.json data.csv", in: dir)
        #expect(!wrong.signaled && wrong.status == 1 && wrong.stdout.contains("line 2: expected 0, network outputs 1"),
                "status \(wrong.status): \(wrong.stdout)\(wrong.stderr)")
    }

    // MARK: - Output

    @Test("-o - writes the file to stdout and the report to stderr; - as DATA reads stdin, named <stdin>")
    func standardStreams() throws {
        let dir = try temporaryFolder()
        let csv = "0,0,0\n1,0,1\n0,1,1\n1,1,0\n"
        try write(csv, to: "x.csv", in: dir)
        let r = try runMemcert(["construct", "-", "-o", "-"], in: dir, input: Array(csv.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let network = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(network?["format"] as? String == "memcert.network/1")
        #expect(r.stderr.contains("<stdin>") && r.stderr.contains("verified"))
        try write(r.stdout, to: "n.json", in: dir)
        #expect(try runMemcert(["verify", "n.json", "-"], in: dir, input: Array(csv.utf8)).status == 0)
        let bad = try runMemcert(["verify", "n.json", "-"], in: dir, input: Array("0,0,0\n1,x,1\n".utf8))
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: <stdin>:2:"), "\(bad.stderr)")
        let twice = try runMemcert(["verify", "-", "-"], in: dir, input: Array(csv.utf8))
        #expect(twice.status == 2)
        let certify = try runMemcert(["certify", "n.json", "-", "-o", "c.json"], in: dir, input: Array(csv.utf8))
        #expect(certify.status == 2 && certify.stderr.contains("standard input"), "\(certify.stderr)")
        let bound = try runMemcert(["lower-bound", "-", "--certificate", "b.json"], in: dir, input: Array(csv.utf8))
        #expect(bound.status == 2)
        let generated = try runMemcert(["generate", "circle", "--n", "5", "-o", "-"], in: dir)
        #expect(generated.status == 0 && generated.stdout.hasPrefix("# memcert generate circle"))
    }

    @Test("a symlink destination is written through: the target is replaced, the link stays; a dangling link gets its target")
    func symlinks() throws {
        let dir = try temporaryFolder()
        try write("0,0,0\n1,0,1\n0,1,1\n", to: "x.csv", in: dir)
        try write("old\n", to: "target.json", in: dir)
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: "target.json")
        #expect(try runMemcert(["construct", "x.csv", "-o", "link.json"], in: dir).status == 0)
        #expect(try manager.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.json").path) == "target.json")
        #expect(try String(contentsOf: dir.appendingPathComponent("target.json"), encoding: .utf8).contains("memcert.network/1"))
        try manager.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.json").path, withDestinationPath: "sub/new.json")
        #expect(try runMemcert(["construct", "x.csv", "-o", "dangling.json"], in: dir).status == 0)
        #expect(try manager.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("dangling.json").path) == "sub/new.json")
        #expect(manager.fileExists(atPath: dir.appendingPathComponent("sub/new.json").path))
        #expect(try manager.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test("-o /dev/null leaves /dev/null a character device; a FIFO is written in place and stays a FIFO")
    func devicesAndFIFOs() throws {
        let dir = try temporaryFolder()
        try write("0,0,0\n1,0,1\n0,1,1\n", to: "x.csv", in: dir)
        var before = stat(), after = stat()
        #expect(stat("/dev/null", &before) == 0)
        let r = try runMemcert(["construct", "x.csv", "-o", "/dev/null"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(stat("/dev/null", &after) == 0)
        #expect(after.st_mode & S_IFMT == S_IFCHR && after.st_rdev == before.st_rdev && after.st_ino == before.st_ino)
        // A FIFO with a reader: the network arrives through it.
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let received = DataBox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.data = handle.readDataToEndOfFile() }
            done.signal()
        }.start()
        let viaFIFO = try runMemcert(["construct", "x.csv", "-o", "pipe"], in: dir)
        done.wait()
        #expect(viaFIFO.status == 0, "\(viaFIFO.stderr)")
        #expect(String(decoding: received.data, as: UTF8.self).contains("memcert.network/1"))
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        let folder = try runMemcert(["construct", "x.csv", "-o", "."], in: dir)
        #expect(folder.status == 2 && folder.stderr.contains("folder"))
    }

    @Test("an output that is an input is refused before any work (same path, link, hard link, stdin); inputs stay intact")
    func outputIsInput() throws {
        let dir = try temporaryFolder()
        let csv = "0,0,0\n1,0,1\n0,1,1\n"
        try write(csv, to: "x.csv", in: dir)
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("alias.csv").path, withDestinationPath: "x.csv")
        try manager.linkItem(at: dir.appendingPathComponent("x.csv"), to: dir.appendingPathComponent("hard.csv"))
        try manager.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("up").path, withDestinationPath: ".")
        for output in ["x.csv", "alias.csv", "hard.csv", "./x.csv", "sub/../x.csv", "up/x.csv"] {
            let r = try runMemcert(["construct", "x.csv", "-o", output], in: dir)
            #expect(r.status == 2 && r.stderr.contains("also an input"), "\(output): \(r.stderr)")
        }
        // Standard input that is the output file.
        let viaStdin = try runShell("exec '\(memcertExecutable.path)' construct - -o x.csv < x.csv", in: dir)
        #expect(viaStdin.status == 2 && viaStdin.stderr.contains("<stdin>"), "\(viaStdin.stderr)")
        let net = try runMemcert(["construct", "x.csv", "-o", "n.json"], in: dir)
        #expect(net.status == 0)
        let certify = try runMemcert(["certify", "n.json", "x.csv", "-o", "n.json"], in: dir)
        #expect(certify.status == 2, "\(certify.stderr)")
        #expect(try runMemcert(["verify", "n.json", "x.csv"], in: dir).status == 0)  // the network survived
        let codes = try runMemcert(["separation", "x.csv", "--hyperplanes", "n.json", "--codes", "alias.csv"], in: dir)
        #expect(codes.status == 2)
        #expect(try String(contentsOf: dir.appendingPathComponent("x.csv"), encoding: .utf8) == csv)
        // compare: a method's file that is a link to the data, or two method files that are one file.
        try manager.createDirectory(at: dir.appendingPathComponent("cmp"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("cmp/baum1988.json").path, withDestinationPath: "../x.csv")
        let compare = try runMemcert(["compare", "x.csv", "--folder", "cmp"], in: dir)
        #expect(compare.status == 2 && compare.stderr.contains("also an input"), "\(compare.stderr)")
        try manager.removeItem(at: dir.appendingPathComponent("cmp/baum1988.json"))
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("cmp/baum1988.json").path, withDestinationPath: "rajput2021.json")
        let collide = try runMemcert(["compare", "x.csv", "--folder", "cmp"], in: dir)
        #expect(collide.status == 2 && collide.stderr.contains("same file"), "\(collide.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("x.csv"), encoding: .utf8) == csv)
        #expect(try manager.contentsOfDirectory(atPath: dir.appendingPathComponent("cmp").path) == ["baum1988.json"])
    }

    @Test("a failing command leaves no temporary file and no new folder, and the destination unchanged")
    func nothingLeftOnFailure() throws {
        let dir = try temporaryFolder()
        try write("0,0,0\n1,0,1\n0,2,1\n", to: "x.csv", in: dir)
        try write("keep\n", to: "n.json", in: dir)
        let r = try runMemcert(["construct", "x.csv", "-o", "n.json", "--method", "indicator"], in: dir)  // not on a sphere
        #expect(r.status == 2)
        #expect(try String(contentsOf: dir.appendingPathComponent("n.json"), encoding: .utf8) == "keep\n")
        let compare = try runMemcert(["compare", "missing.csv", "--folder", "new/deeper"], in: dir)
        #expect(compare.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["n.json", "x.csv"])
        let missingFolder = try runMemcert(["generate", "circle", "--n", "5", "-o", "nowhere/c.csv"], in: dir)
        #expect(missingFolder.status == 2 && missingFolder.stderr.contains("does not exist"))
    }

    @Test("SIGTERM or SIGINT mid-run removes the temporary file and leaves the destination unchanged",
          arguments: [SIGTERM, SIGINT])
    func signals(_ sig: Int32) throws {
        let dir = try temporaryFolder()
        try write("keep\n", to: "d.csv", in: dir)
        let process = Process()
        process.executableURL = memcertExecutable
        process.arguments = ["generate", "sphere", "--n", "400000", "--dim", "8", "--delta", "0.01", "-o", "d.csv"]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The temporary file exists from the start of the work; wait for it, then interrupt.
        var sawTemporary = false
        for _ in 0 ..< 500 where !sawTemporary {
            sawTemporary = (try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.hasSuffix(".tmp") }
            if !sawTemporary { usleep(10_000) }
        }
        #expect(sawTemporary)
        kill(process.processIdentifier, sig)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == sig)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["d.csv"])
        #expect(try String(contentsOf: dir.appendingPathComponent("d.csv"), encoding: .utf8) == "keep\n")
    }

    // MARK: - Scale

    @Test("construct memorizes the same data at scales 2^-200, 2^-40, 1, 2^40 and 2^200", arguments: [-200, -40, 0, 40, 200])
    func scaleInvariance(_ exponent: Int) throws {
        let dir = try temporaryFolder()
        let points = [(0, 0, 0), (3, 1, 1), (1, 4, 0), (5, 5, 1), (2, 7, 1), (6, 2, 0), (4, 3, 0), (7, 6, 1)]
        let power = powerOfTwo(abs(exponent))
        func scaled(_ c: Int) -> String {
            if c == 0 { return "0" }
            return exponent >= 0 ? decimalProduct(power, c) : "\(c)/\(power)"
        }
        let csv = points.map { "\(scaled($0.0)),\(scaled($0.1)),\($0.2)" }.joined(separator: "\n") + "\n"
        try write(csv, to: "s.csv", in: dir)
        let r = try runMemcert(["construct", "s.csv", "-o", "s.json"], in: dir)
        #expect(r.status == 0, "2^\(exponent): \(r.stderr)")
        #expect(try runMemcert(["verify", "s.json", "s.csv"], in: dir).status == 0)
        let baum = try runMemcert(["construct", "s.csv", "-o", "b.json", "--method", "baum1988"], in: dir)
        #expect(baum.status == 0, "2^\(exponent): \(baum.stderr)")
    }

    // MARK: - Silent data loss

    @Test("a first row with a byte-order mark, nan or Infinity is never taken for a header: it is checked or refused, located")
    func firstRows() throws {
        let dir = try temporaryFolder()
        // A network that memorizes the last three rows of each file but gives the first row's point the wrong label.
        try write("1,0,1\n0,1,1\n2,2,0\n", to: "train.csv", in: dir)
        #expect(try runMemcert(["construct", "train.csv", "-o", "n.json", "--method", "baum1988"], in: dir).status == 0)
        try write("0,0,0\n1,0,1\n0,1,1\n2,2,0\n", to: "all.csv", in: dir)
        let truth = try runMemcert(["verify", "n.json", "all.csv"], in: dir)
        try #require(truth.status == 1, "the network must miss the first row: \(truth.stdout)")
        // The same rows with a BOM in front: the first row is still data, so verify still fails, naming line 1.
        try write("\u{FEFF}0,0,0\n1,0,1\n0,1,1\n2,2,0\n", to: "bom.csv", in: dir)
        let bom = try runMemcert(["verify", "n.json", "bom.csv"], in: dir)
        #expect(bom.status == 1 && bom.stdout.contains("n = 4 points") && bom.stdout.contains("line 1:"), "\(bom.stdout)\(bom.stderr)")
        // A header with a BOM is a header: n stays 4.
        try write("\u{FEFF}x,y,label\n0,0,0\n1,0,1\n0,1,1\n2,2,0\n", to: "bomh.csv", in: dir)
        let header = try runMemcert(["verify", "n.json", "bomh.csv"], in: dir)
        #expect(header.status == 1 && header.stdout.contains("n = 4 points") && header.stdout.contains("line 2:"), "\(header.stdout)")
        for first in ["nan", "NaN", "Infinity", "-inf", "+INF"] {
            try write("\(first),0,0\n1,0,1\n0,1,1\n2,2,0\n", to: "f.csv", in: dir)
            let r = try runMemcert(["verify", "n.json", "f.csv"], in: dir)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: f.csv:1:") && r.stderr.contains("not"), "\(first): \(r.stderr)")
        }
        for (text, position) in [("", "1:1"), ("x,y,label\n", "2:1"), ("\u{FEFF}", "1:1"), ("# only\n\n", "3:1")] {
            try write(text, to: "e.csv", in: dir)
            let r = try runMemcert(["verify", "n.json", "e.csv"], in: dir)
            #expect(r.status == 2 && r.stderr.contains("e.csv:\(position):"), "\(text.debugDescription): \(r.stderr)")
        }
    }

    @Test("decimal exponents beyond ±5000 are located errors at once (they cost about 43 KB per cell); at the limit they are read exactly")
    func exponents() throws {
        let dir = try temporaryFolder()
        try write("1e-100000,0,0\n0,1,1\n", to: "far.csv", in: dir)
        let far = try runMemcert(["construct", "far.csv", "-o", "n.json"], in: dir)
        #expect(far.status == 2 && far.stderr.contains("far.csv:1:") && far.stderr.contains("exponent out of range"), "\(far.stderr)")
        for text in ["1e5000,0,0\n-1e5000,0,1\n0,1e5000,1\n", "0x1p-16500,0,0\n0,0x1p-16500,1\n0,0,1\n"] {
            try write(text, to: "edge.csv", in: dir)
            let edge = try runMemcert(["construct", "edge.csv", "-o", "n.json"], in: dir)
            #expect(edge.status == 0, "\(edge.stderr)")
            #expect(try runMemcert(["verify", "n.json", "edge.csv"], in: dir).status == 0)
        }
    }

    // MARK: - Messages

    @Test("messages escape control characters from input; baum1988's report prints its groups as numbers")
    func messages() throws {
        let dir = try temporaryFolder()
        try write(#"{"format":"memcert.network/1","inputDimension":2,"outputBits":1,"layers":[],"\u001b[2Jboom":1}"#, to: "k.json", in: dir)
        try write("0,0,0\n1,0,1\n", to: "x.csv", in: dir)
        let r = try runMemcert(["verify", "k.json", "x.csv"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("\\x1B[2Jboom") && !r.stderr.contains("\u{1B}"), "\(r.stderr)")
        let named = try runMemcert(["verify", "bad\u{1B}]0;title\u{07}name.json", "x.csv"], in: dir)
        #expect(named.status == 2 && !named.stderr.contains("\u{1B}") && !named.stderr.contains("\u{07}"), "\(named.stderr)")
        try write("0,0,0\n1,0,1\n0,1,1\n2,2,0\n3,1,1\n", to: "b.csv", in: dir)
        let baum = try runMemcert(["construct", "b.csv", "-o", "b.json", "--method", "baum1988"], in: dir)
        #expect(baum.status == 0)
        #expect(!baum.stdout.contains("number(") && !baum.stdout.contains("JSONValue"), "\(baum.stdout)")
        #expect(baum.stdout.contains("groups"))
        // check prints the certificate's name as given, escaped, whether it holds or not.
        let odd = "c\u{1B}[31m.json"
        #expect(try runMemcert(["lower-bound", "b.csv", "--certificate", "lb.json"], in: dir).status == 0)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("lb.json"), to: dir.appendingPathComponent(odd))
        let check = try runMemcert(["check", odd], in: dir)
        #expect(check.status == 0 && check.stdout.contains("c\\x1B[31m.json") && !check.stdout.contains("\u{1B}"), "\(check.stdout)")
    }
}

/// 2^k in decimal.
func powerOfTwo(_ k: Int) -> String {
    var digits = [1]  // little-endian decimal digits
    for _ in 0 ..< k {
        var carry = 0
        for i in digits.indices {
            let v = digits[i] * 2 + carry
            digits[i] = v % 10
            carry = v / 10
        }
        if carry > 0 { digits.append(carry) }
    }
    return digits.reversed().map(String.init).joined()
}

/// The decimal product of a decimal string and a small integer.
func decimalProduct(_ decimal: String, _ factor: Int) -> String {
    var digits = decimal.reversed().map { Int(String($0))! }
    var carry = 0
    for i in digits.indices {
        let v = digits[i] * abs(factor) + carry
        digits[i] = v % 10
        carry = v / 10
    }
    while carry > 0 {
        digits.append(carry % 10)
        carry /= 10
    }
    return (factor < 0 ? "-" : "") + digits.reversed().map(String.init).joined()
}
