import Crypto
import Foundation
import Testing

// ONNX models made by the onnx Python package and NumPy files, end to end: import, verify on
// .npy and .npz data whose labels a test helper computed by exact rational evaluation
// (Tests/Fixtures/onnx/exact_eval.py, fractions, reading the model with the onnx package), ties,
// export run by onnxruntime, round trips NumPy -> memcert -> NumPy, and refusals.

let onnxFixtures = repositoryFolder.appendingPathComponent("Tests/Fixtures/onnx")
let exactEval = onnxFixtures.appendingPathComponent("exact_eval.py").path

/// Runs python3 with `arguments`; a missing numpy, onnx or onnxruntime fails with the way out.
func python(_ arguments: String, in folder: URL) throws -> CommandResult {
    let r = try runShell("python3 \(arguments)", in: folder)
    if r.stderr.contains("ModuleNotFoundError") {
        Issue.record("a Python package the tests need is missing (numpy, onnx, onnxruntime): run bash scripts/setup\n\(r.stderr)")
    }
    return r
}

/// Exact labels of the fixture MODEL on POINTS (a fixture, or an absolute path), written into `folder` as X.npy, y.npy, data.npz, full.npy.
func exactLabels(_ model: String, _ points: String, in folder: URL) throws {
    let pointsPath = points.hasPrefix("/") ? points : "\(onnxFixtures.path)/\(points)"
    let r = try python("'\(exactEval)' exact '\(onnxFixtures.path)/\(model)' '\(pointsPath)' .", in: folder)
    #expect(r.status == 0, "\(r.stderr)")
}

@Suite("ONNX import and export, NumPy data, end to end")
struct InterchangeCLITests {
    @Test("numpy, onnx and onnxruntime are there (scripts/setup and .ci/run install them)")
    func pythonPackages() throws {
        let r = try python("-c 'import numpy, onnx, onnxruntime'", in: repositoryFolder)
        #expect(r.status == 0, "run bash scripts/setup: \(r.stderr)")
    }

    @Test("float32 Gemm + Sign and Gemm + GreaterOrEqual + Cast chains: imported, verified on .npy and .npz with exact labels; a wrong label exits 1",
          arguments: [("gemm_sign.onnx", "gemm_sign_X.npy", "memcert.network/2"), ("gemm_ge_cast.onnx", "gemm_ge_X.npy", "memcert.network/1"),
                      ("matmul_bn_less.onnx", "bn_X.npy", "memcert.network/2")])
    func importAndVerify(_ model: String, _ points: String, _ format: String) throws {
        let dir = try temporaryFolder()
        try exactLabels(model, points, in: dir)
        let imported = try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent(model).path, "-o", "net.json"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("net.json"), encoding: .utf8).contains(format))
        for data in [["X.npy", "--labels", "y.npy"], ["data.npz"], ["full.npy"]] {
            let r = try runMemcert(["verify", "net.json"] + data, in: dir)
            #expect(r.status == 0, "\(data): \(r.stdout)\(r.stderr)")
        }
        // One label changed: exit 1, naming row 4 (line 5).
        let flip = try python("-c \"import numpy as np; y = np.load('y.npy'); y[4] ^= 1; np.save('y.npy', y)\"", in: dir)
        #expect(flip.status == 0, "\(flip.stderr)")
        let wrong = try runMemcert(["verify", "net.json", "X.npy", "--labels", "y.npy"], in: dir)
        #expect(wrong.status == 1 && wrong.stdout.contains("line 5:"), "\(wrong.stdout)\(wrong.stderr)")
    }

    @Test("a float32 pre-activation exactly 0: onnxruntime outputs 0 (Sign(0) = 0, Greater strict), a >= neuron fires; memcert keeps each op's tie")
    func ties() throws {
        let dir = try temporaryFolder()
        // Row 0 is (1, 1): 0.1f - 0.1f = 0 exactly.
        for model in ["tie_sign.onnx", "tie_greater.onnx"] {
            let ort = try python("'\(exactEval)' ort '\(onnxFixtures.path)/\(model)' '\(onnxFixtures.path)/tie_X.npy'", in: dir)
            #expect(ort.status == 0 && ort.stdout.hasPrefix("[0, 1, 0]"), "\(model): \(ort.stdout)\(ort.stderr)")
        }
        try exactLabels("tie_greater.onnx", "tie_X.npy", in: dir)  // labels [0, 1, 0]
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("tie_greater.onnx").path, "-o", "greater.json"], in: dir).status == 0)
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("tie_sign.onnx").path, "-o", "sign.json"], in: dir).status == 0)
        // Greater: exact strict comparison, so the tie point gets 0, as onnxruntime says.
        let greater = try runMemcert(["verify", "greater.json", "data.npz"], in: dir)
        #expect(greater.status == 0, "\(greater.stdout)\(greater.stderr)")
        // The same weights as a >= network (memcert.network/1): the neuron fires at the tie, 1 != 0.
        let text = try String(contentsOf: dir.appendingPathComponent("greater.json"), encoding: .utf8)
        try text.replacingOccurrences(of: "memcert.network/2", with: "memcert.network/1").replacingOccurrences(of: "\"comparison\": \">\",", with: "")
            .write(to: dir.appendingPathComponent("atleast.json"), atomically: true, encoding: .utf8)
        let atLeast = try runMemcert(["verify", "atleast.json", "data.npz", "--json"], in: dir)
        #expect(atLeast.status == 1 && atLeast.stdout.contains("\"output\": 1") && atLeast.stdout.contains("\"line\": 1,"), "\(atLeast.stdout)")
        // Sign: the tie point is reported as a tie, whatever its label.
        let sign = try runMemcert(["verify", "sign.json", "data.npz", "--json"], in: dir)
        #expect(sign.status == 1 && sign.stdout.contains("\"tieCount\": 1") && sign.stdout.contains("\"layer\": 0"), "\(sign.stdout)")
        let human = try runMemcert(["verify", "sign.json", "data.npz"], in: dir)
        #expect(human.stdout.contains("line 1: expected 0, TIE: layer 0 neuron 0"), "\(human.stdout)")
        // Sign cannot be exported: Sign(0) = 0 is no bit.
        let export = try runMemcert(["export", "onnx", "sign.json", "-o", "sign.onnx"], in: dir)
        #expect(export.status == 2 && export.stderr.contains("sign"), "\(export.stderr)")
    }

    @Test("export: onnxruntime runs the exported float64 model and gives memcert's exact outputs on every point")
    func exportRunsInOnnxruntime() throws {
        let dir = try temporaryFolder()
        try exactLabels("gemm_ge_cast.onnx", "gemm_ge_X.npy", in: dir)
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx").path, "-o", "net.json"], in: dir).status == 0)
        #expect(try runMemcert(["verify", "net.json", "data.npz"], in: dir).status == 0)  // memcert's exact outputs are y
        let exported = try runMemcert(["export", "onnx", "net.json", "-o", "net.onnx"], in: dir)
        #expect(exported.status == 0, "\(exported.stderr)")
        let ort = try python("'\(exactEval)' ort net.onnx X.npy", in: dir)
        let y = try python("-c \"import numpy as np, json; print(json.dumps([int(v) for v in np.load('y.npy')]))\"", in: dir)
        #expect(ort.status == 0 && !ort.stdout.isEmpty && ort.stdout == y.stdout, "\(ort.stdout)\n\(y.stdout)\(ort.stderr)")
        // The exported model checks, and a ">" network exports too.
        let checked = try python("-c \"import onnx; onnx.checker.check_model(onnx.load('net.onnx'))\"", in: dir)
        #expect(checked.status == 0, "\(checked.stderr)")
        try write("""
            {"format": "memcert.network/1", "inputDimension": 1, "outputBits": 1, "layers": [
              {"neurons": [{"weights": {"indices": [0], "values": ["1/3"]}, "bias": "0"}]}]}
            """, to: "third.json", in: dir)
        let third = try runMemcert(["export", "onnx", "third.json", "-o", "third.onnx"], in: dir)
        #expect(third.status == 2 && third.stderr.contains("1/3") && third.stderr.contains("--round"), "\(third.stderr)")
        let rounded = try runMemcert(["export", "onnx", "third.json", "-o", "third.onnx", "--round"], in: dir)
        #expect(rounded.status == 0 && rounded.stdout.contains("1 weights and biases rounded"), "\(rounded.stdout)\(rounded.stderr)")
    }

    @Test("round trips NumPy -> memcert -> NumPy are exact: float16/32/64 and integers, through .npz, .npy and CSV")
    func roundTrips() throws {
        let dir = try temporaryFolder()
        let make = try python("""
            -c "
            import numpy as np
            rng = np.random.RandomState(3)
            X = rng.randn(40, 3)
            y = rng.randint(0, 5, 40)
            for t in ['<f2', '>f4', '<f8', '<i2', '>u8', '|i1']:
                a = (X * 50).astype(t) if t[1] in 'iu' else X.astype(t)
                if t[1] == 'u': a = np.abs(X * 1000).astype(t)
                if t[1] == 'f':
                    f = np.finfo(t)
                    a[0] = [f.smallest_subnormal, -f.smallest_normal, f.max]  # the edges of the format
                else:
                    i = np.iinfo(t)
                    # 2^64 - 1 is no float64: the largest uint64 that is one, 2^64 - 2^11.
                    a[0] = [i.min, i.max, 0] if t != '>u8' else [0, 2**64 - 2**11, 1]
                np.savez('in_%s.npz' % t[1:], X=np.asfortranarray(a) if t == '>f4' else a, y=y)
            "
            """, in: dir)
        #expect(make.status == 0, "\(make.stderr)")
        for t in ["f2", "f4", "f8", "i2", "u8", "i1"] {
            for out in ["out_\(t).npz", "out_\(t).npy", "out_\(t).csv"] {
                let r = try runMemcert(["convert", "in_\(t).npz", "-o", out], in: dir)
                #expect(r.status == 0, "\(t) -> \(out): \(r.stdout)\(r.stderr)")
            }
            // CSV back to .npz, then every route is compared with the input's exact values.
            #expect(try runMemcert(["convert", "out_\(t).csv", "-o", "back_\(t).npz"], in: dir).status == 0)
            let compare = try python("""
                -c "
                import numpy as np
                from fractions import Fraction
                a = np.load('in_\(t).npz'); X, y = a['X'], a['y']
                exact = [[Fraction(float(v)) if X.dtype.kind == 'f' else Fraction(int(v)) for v in row] for row in X]
                for name in ['out_\(t).npz', 'back_\(t).npz']:
                    b = np.load(name)
                    assert b['X'].dtype == np.float64 and b['y'].dtype == np.int64, name
                    assert [[Fraction(float(v)) for v in row] for row in b['X']] == exact, name
                    assert list(b['y']) == list(y), name
                c = np.load('out_\(t).npy')
                assert [[Fraction(float(v)) for v in row[:-1]] for row in c] == exact and list(c[:, -1]) == list(y)
                print('exact')
                "
                """, in: dir)
            #expect(compare.status == 0 && compare.stdout.contains("exact"), "\(t): \(compare.stdout)\(compare.stderr)")
        }
        // A value float64 cannot hold: refused naming it, or rounded with --round and counted.
        try write("x,label\n1/3,0\n0.5,1\n", to: "third.csv", in: dir)
        let refused = try runMemcert(["convert", "third.csv", "-o", "third.npz"], in: dir)
        #expect(refused.status == 2 && refused.stderr.contains("line 2") && refused.stderr.contains("1/3"), "\(refused.stderr)")
        let rounded = try runMemcert(["convert", "third.csv", "-o", "third.npz", "--round"], in: dir)
        #expect(rounded.status == 0 && rounded.stdout.contains("1 of 2 coordinates rounded"), "\(rounded.stdout)\(rounded.stderr)")
        // CSV output: exact decimals for 2^a 5^b denominators, p/q otherwise.
        #expect(try runMemcert(["convert", "third.csv", "-o", "back.csv"], in: dir).status == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("back.csv"), encoding: .utf8) == "x1,label\n1/3,0\n0.5,1\n")
    }

    @Test("convert, import and export follow the output rules: an output that is an input is refused, - is stdout, nothing left on failure")
    func outputRules() throws {
        let dir = try temporaryFolder()
        try exactLabels("gemm_ge_cast.onnx", "gemm_ge_X.npy", in: dir)
        try FileManager.default.copyItem(at: onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx"), to: dir.appendingPathComponent("m.onnx"))
        let before = try Data(contentsOf: dir.appendingPathComponent("data.npz"))
        for arguments in [["convert", "data.npz", "-o", "data.npz"], ["convert", "X.npy", "--labels", "y.npy", "-o", "y.npy"],
                          ["import", "onnx", "m.onnx", "-o", "m.onnx"]] {
            let r = try runMemcert(arguments, in: dir)
            #expect(r.status == 2 && r.stderr.contains("also an input"), "\(arguments): \(r.stderr)")
        }
        #expect(try Data(contentsOf: dir.appendingPathComponent("data.npz")) == before)
        // -o -: the file on stdout, the report on stderr.
        let imported = try runMemcert(["import", "onnx", "m.onnx", "-o", "-"], in: dir)
        #expect(imported.status == 0 && imported.stdout.hasPrefix("{") && imported.stdout.contains("memcert.network/1")
                && imported.stderr.contains("wrote <stdout>"), "\(imported.stdout)\(imported.stderr)")
        let csv = try runMemcert(["convert", "data.npz", "-o", "-"], in: dir)
        #expect(csv.status == 0 && csv.stdout.hasPrefix("x1,x2,x3,x4,label\n") && csv.stderr.contains("wrote <stdout>"), "\(csv.stderr)")
        #expect(try runMemcert(["import", "onnx", "m.onnx", "-o", "net.json"], in: dir).status == 0)
        let exported = try runMemcert(["export", "onnx", "net.json", "-o", "net.json"], in: dir)
        #expect(exported.status == 2 && exported.stderr.contains("also an input"), "\(exported.stderr)")
        // A refused export or conversion writes nothing.
        try write("x,label\n1/3,0\n", to: "third.csv", in: dir)
        #expect(try runMemcert(["convert", "third.csv", "-o", "third.npy"], in: dir).status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("third.npy").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".memcert-") })
        // An .npz that is not a regular file (it is read by seeking) is refused, named.
        let fifo = try runShell("mkfifo pipe.npz && (cat data.npz > pipe.npz &) && exec '\(memcertExecutable.path)' verify net.json pipe.npz", in: dir)
        #expect(fifo.status == 2 && fifo.stderr.contains("pipe.npz: an .npz archive must be a regular file"), "\(fifo.stderr)")
    }

    @Test("malformed NumPy data and unsupported ONNX graphs exit 2 with one line naming the file and the element or node")
    func refusals() throws {
        let dir = try temporaryFolder()
        let make = try python("""
            -c "
            import numpy as np
            np.save('nan.npy', np.array([[1, 2, 0], [3, np.nan, 1]], np.float32))
            np.save('inf.npy', np.array([[1, -np.inf, 0]], np.float16))
            np.save('neg.npy', np.array([[1, 2, -1]], np.int64))
            np.save('frac.npy', np.array([[1, 2, 0.5]]))
            np.save('cplx.npy', np.array([[1, 2, 0]], np.complex64))
            np.save('bool.npy', np.array([[True, False]]))
            np.save('str.npy', np.array([['a', 'b']]))
            np.save('obj.npy', np.array([[1, 2]], dtype=object), allow_pickle=True)
            np.save('three.npy', np.zeros((2, 2, 2)))
            np.save('x.npy', np.zeros((3, 2)))
            np.save('ylong.npy', np.zeros(4, np.int64))
            np.save('yfloat.npy', np.zeros(3))
            np.savez('noy.npz', X=np.zeros((3, 2)))
            open('trunc.npy', 'wb').write(open('x.npy', 'rb').read()[:-5])
            open('notzip.npz', 'wb').write(b'PK not a zip')
            "
            """, in: dir)
        #expect(make.status == 0, "\(make.stderr)")
        let cases: [([String], String)] = [
            (["nan.npy"], "nan.npy: element [1, 1] is NaN"), (["inf.npy"], "element [0, 1] is an infinity"),
            (["neg.npy"], "element [0, 2]: the label"), (["frac.npy"], "not an integer"),
            (["cplx.npy"], "complex"), (["bool.npy"], "booleans"), (["str.npy"], "strings"), (["obj.npy"], "Python objects"),
            (["three.npy"], "2-D"), (["x.npy", "--labels", "ylong.npy"], "shape (3,)"), (["x.npy", "--labels", "yfloat.npy"], "integer dtype"),
            (["noy.npz"], "no array 'y'"), (["trunc.npy"], "truncated"), (["notzip.npz"], "zip"),
            (["x.npy", "--x-key", "A"], "--x-key"),
        ]
        try write(#"{"format": "memcert.network/1", "inputDimension": 1, "outputBits": 1, "layers": [{"neurons": [{"weights": {"indices": [0], "values": ["1"]}, "bias": "0"}]}]}"#,
                  to: "n.json", in: dir)
        for (arguments, fragment) in cases {
            let r = try runMemcert(["verify", "n.json"] + arguments, in: dir)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains(fragment)
                    && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.status) \(r.stderr)")
        }
        for (model, fragment) in [("relu.onnx", "node 'relu1' (Relu)"), ("branching.onnx", "not a chain"),
                                  ("bn_irrational.onnx", "node 'bn' (BatchNormalization): channel 1: sqrt(variance + epsilon) = sqrt(2) is irrational")] {
            let r = try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent(model).path, "-o", "out.json"], in: dir)
            #expect(r.status == 2 && r.stderr.contains(fragment) && r.stderr.split(separator: "\n").count == 1, "\(model): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.json").path))
        }
        try Data("not a protocol buffer \u{1}\u{2}".utf8).write(to: dir.appendingPathComponent("junk.onnx"))
        let junk = try runMemcert(["import", "onnx", "junk.onnx", "-o", "out.json"], in: dir)
        #expect(junk.status == 2 && junk.stderr.contains("junk.onnx: not an ONNX model"), "\(junk.stderr)")
        // A certificate names one data file read with the default arrays: --labels is refused.
        #expect(try runMemcert(["certify", "n.json", "x.npy", "--labels", "ylong.npy", "-o", "c.json"], in: dir).status == 2)
    }
}

@Suite("Certificates on NumPy data, re-checked by both checkers")
struct NumPyCertificateTests {
    /// Both checkers on `certificate` in `dir`: their statuses, and the check a failing run names.
    func bothCheckers(_ certificate: String, in dir: URL) throws -> (swift: CommandResult, python: CommandResult) {
        (try runMemcert(["check", certificate], in: dir), try runPythonChecker([certificate], in: dir))
    }

    @Test("certify on .npy and .npz data (float16/32/64, integers, either byte order, Fortran order, merged rows, big rows): both checkers hold")
    func certifyAndCheck() throws {
        let dir = try temporaryFolder()
        // Points at the edges: subnormal, huge (big-integer rows), integer-valued; then exact labels.
        let make = try python("""
            -c "
            import numpy as np
            rng = np.random.RandomState(5)
            X = (rng.randint(-16, 17, (60, 4)) / 16).astype(np.float64)
            X[1] = [2.0**-1074, -2.0**-1060, 3.0, 0.5]
            X[2] = [1e300, -2.0**900, 0.0, -0.0]
            X[3] = [2.0**-40, 2.0**40, -1.0, 1.0]
            np.save('points.npy', X)
            "
            """, in: dir)
        #expect(make.status == 0, "\(make.stderr)")
        try exactLabels("gemm_ge_cast.onnx", dir.appendingPathComponent("points.npy").path, in: dir)
        let variants = try python("""
            -c "
            import numpy as np
            X, y = np.load('X.npy'), np.load('y.npy')
            np.savez('be.npz', X=np.asfortranarray(X.astype('>f8')), y=y.astype('>i2').reshape(-1, 1))
            Xi = (X[4:] * 16).astype(np.int64)
            np.save('ints.npy', np.c_[Xi, y[4:]].astype('<i4'))  # integer data (other points: the labels do not matter here)
            np.save('dup.npy', np.r_[np.c_[X, y], np.c_[X[:5], y[:5]]])  # five repeated rows with their labels
            np.save('half.npy', np.c_[X[4:], y[4:]].astype('<f2'))
            "
            """, in: dir)
        #expect(variants.status == 0, "\(variants.stderr)")
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx").path, "-o", "net.json"], in: dir).status == 0)
        for data in ["data.npz", "full.npy", "be.npz", "dup.npy"] {
            let certified = try runMemcert(["certify", "net.json", data, "-o", "\(data).cert.json"], in: dir)
            #expect(certified.status == 0, "\(data): \(certified.stdout)\(certified.stderr)")
            let (swift, python) = try bothCheckers("\(data).cert.json", in: dir)
            #expect(swift.status == 0 && python.status == 0, "\(data): \(swift.stdout)\(swift.stderr)\n\(python.stdout)\(python.stderr)")
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("dup.npy.cert.json"), encoding: .utf8).contains("\"mergedDuplicates\": 5"))
        // certify refuses false claims, so the data file is swapped under a valid certificate (digest updated): a flipped
        // label, equal points with other labels, integer and float16 data of other points. Both checkers fail, naming the same check.
        for (data, swap) in [("data.npz", "flip.npz"), ("full.npy", "conflict.npy"), ("full.npy", "ints.npy"), ("full.npy", "half.npy")] {
            let tampered = try python("""
                -c "
                import numpy as np, json, hashlib, shutil
                X, y = np.load('X.npy'), np.load('y.npy')
                if '\(swap)' == 'flip.npz':
                    y = y.copy(); y[7] ^= 1; np.savez('flip.npz', X=X, y=y)
                if '\(swap)' == 'conflict.npy':
                    np.save('conflict.npy', np.r_[np.c_[X, y], [np.r_[X[9], [y[9] ^ 1]]]])
                c = json.load(open('\(data).cert.json'))
                shutil.copy('\(swap)', '\(data)')
                c['files']['data']['sha256'] = hashlib.sha256(open('\(data)', 'rb').read()).hexdigest()
                json.dump(c, open('swapped.cert.json', 'w'))
                "
                """, in: dir)
            #expect(tampered.status == 0, "\(tampered.stderr)")
            let (swift, python) = try bothCheckers("swapped.cert.json", in: dir)
            #expect(swift.status == 1 && python.status == 1, "\(swap): \(swift.stdout)\(swift.stderr)\n\(python.stdout)\(python.stderr)")
            #expect(failingCheck(swift) == failingCheck(python) && failingCheck(swift) != nil, "\(swap): \(swift.stdout)\n\(python.stdout)")
        }
    }

    @Test("malformed NumPy data under a certificate: both checkers exit 2 naming the file")
    func malformed() throws {
        let dir = try temporaryFolder()
        try exactLabels("gemm_ge_cast.onnx", "gemm_ge_X.npy", in: dir)
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx").path, "-o", "net.json"], in: dir).status == 0)
        #expect(try runMemcert(["certify", "net.json", "data.npz", "-o", "npz.json"], in: dir).status == 0)
        #expect(try runMemcert(["certify", "net.json", "full.npy", "-o", "npy.json"], in: dir).status == 0)
        let cases: [(String, String, String)] = [
            ("npz.json", "data.npz", "X = X.copy(); X[3, 1] = np.nan; np.savez(out, X=X, y=y)"),
            ("npz.json", "data.npz", "np.savez(out, X=X, y=y.astype(np.float64))"),
            ("npz.json", "data.npz", "np.savez(out, X=X, y=y[:-1])"),
            ("npz.json", "data.npz", "np.savez(out, X=X, Y=y)"),
            ("npz.json", "data.npz", "open(out, 'wb').write(open('data.npz', 'rb').read()[:-30])"),
            ("npy.json", "full.npy", "open(out, 'wb').write(open('full.npy', 'rb').read()[:-3])"),
            ("npy.json", "full.npy", "b = open('full.npy', 'rb').read(); open(out, 'wb').write(b.replace(b'False', b'Fals '))"),
            ("npy.json", "full.npy", "b = open('full.npy', 'rb').read(); open(out, 'wb').write(b.replace(b'<f8', b'<c8'))"),
            ("npy.json", "full.npy", "np.save(out, np.c_[X, -np.ones(len(y))])"),
            ("npy.json", "full.npy", "np.save(out, np.c_[X, y + 0.5])"),
        ]
        for (k, (certificate, data, edit)) in cases.enumerated() {
            let out = "bad\(k)" + (data.hasSuffix(".npz") ? ".npz" : ".npy")
            let made = try python("""
                -c "
                import numpy as np, json, hashlib
                X, y, out = np.load('X.npy'), np.load('y.npy'), '\(out)'
                \(edit)
                c = json.load(open('\(certificate)'))
                c['files']['data'] = {'path': out, 'sha256': hashlib.sha256(open(out, 'rb').read()).hexdigest()}
                json.dump(c, open('bad.json', 'w'))
                "
                """, in: dir)
            #expect(made.status == 0, "\(edit): \(made.stderr)")
            let (swift, python) = try bothCheckers("bad.json", in: dir)
            #expect(swift.status == 2 && swift.stderr.contains("error: \(out)"), "\(edit): swift \(swift.status) \(swift.stderr)")
            #expect(python.status == 2 && python.stderr.contains("error: \(out)"), "\(edit): python \(python.status) \(python.stderr)")
        }
    }

    @Test("fuzz (seeded): mutated NumPy data under a valid certificate (digest updated): both checkers give the same status, never an internal error")
    func checkersAgreeOnMutations() throws {
        let dir = try temporaryFolder()
        try exactLabels("gemm_ge_cast.onnx", "gemm_ge_X.npy", in: dir)
        #expect(try runMemcert(["import", "onnx", onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx").path, "-o", "net.json"], in: dir).status == 0)
        var state: UInt64 = 0x14_5EED
        func next(_ n: Int) -> Int {  // a 64-bit LCG (Knuth's MMIX constants): seeded, no dependency
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var statuses: [Int32: Int] = [:]
        for data in ["full.npy", "data.npz"] {
            #expect(try runMemcert(["certify", "net.json", data, "-o", "\(data).cert.json"], in: dir).status == 0)
            let original = try Data(contentsOf: dir.appendingPathComponent(data))
            let certificate = try String(contentsOf: dir.appendingPathComponent("\(data).cert.json"), encoding: .utf8)
            let digest = SHA256.hash(data: original).map { String(format: "%02x", $0) }.joined()
            for round in 0 ..< 25 {
                var bytes = [UInt8](original)
                for _ in 0 ... next(2) {
                    switch next(3) {
                    case 0: bytes[next(bytes.count)] ^= UInt8(1 + next(255))
                    case 1: bytes[next(min(bytes.count, 140))] = Array("{}(),:' 0123456789TFx<>|fiu".utf8)[next(27)]
                    default: bytes.removeLast(1 + next(40))
                    }
                }
                let name = "m\(round)-\(data)"
                try Data(bytes).write(to: dir.appendingPathComponent(name))
                let newDigest = SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
                try certificate.replacingOccurrences(of: digest, with: newDigest).replacingOccurrences(of: "\"\(data)\"", with: "\"\(name)\"")
                    .write(to: dir.appendingPathComponent("m.cert.json"), atomically: true, encoding: .utf8)
                let swift = try runMemcert(["check", "m.cert.json"], in: dir), python = try runPythonChecker(["m.cert.json"], in: dir)
                #expect(swift.status == python.status && [0, 1, 2].contains(swift.status),
                        "\(name): swift \(swift.status) \(swift.stdout)\(swift.stderr)\npython \(python.status) \(python.stdout)\(python.stderr)")
                if swift.status == 1 { #expect(failingCheck(swift) == failingCheck(python), "\(name)") }
                statuses[swift.status, default: 0] += 1
            }
        }
        #expect(statuses[2, default: 0] > 10, "\(statuses)")
    }
}
