#!/usr/bin/env python3
"""memcert_check.py CERT [--network NET] [--data DATA]: an independent checker of memcert.certificate/2.

Written from docs/formats.md alone, with the Python standard library only, sharing no parser, evaluator
or fast path with memcert: one code base's bug cannot let a false claim through both. Exit status (K6):
0 every claim holds; 1 a claim fails (named, with what the files give); 2 the certificate or a file it
names is malformed, unreadable or outside its folder (`error: FILE[:LINE:COLUMN]: message` on stderr);
3 internal error; 64 malformed command line.

What, in the order of formats.md section 6: the certificate (strict JSON J1, K1-K5), paths (K3) and
SHA-256 digests, the data (C1-C8, grammar N) and network (J1-J6), then each claim recomputed from the
files: counts, every point through every neuron (memorized, minimumMargins), R², δ²; the circle and
moment-curve witnesses point by point, R(K) and the counting bound (sizes bounded by n first).
Certificates of kind separation-number are declined (exit 2, saying so): their proof needs a DRAT
checker, and this one has none.

How: exact integers and fractions only. The network runs on chunks of points: value i of a chunk sits
in lane i (times 2^(iF)) of one Python integer, so one big-integer multiply-add applies a weight to the
whole chunk; lanes are wide enough (2^(F-1) > 2 max|z|) that none overflows, and a lane's sign is its
top bit after adding 2^(F-1). Layer 0 reads a point as integers over its least common denominator,
later layers read 0/1. A layer's margin is refreshed only where a lane test shows a smaller |z| may
be there. δ²: floats (math.dist) only pick candidate pairs, with a tolerance far above their rounding
error, and every candidate is decided exactly.
"""
import hashlib, io, json, math, os, re, struct, sys, zipfile, zlib
from collections import Counter
from fractions import Fraction
from itertools import repeat

getattr(sys, 'set_int_max_str_digits', id)(0)  # Python >= 3.11 would refuse literals over 4300 digits
LIMIT, CHUNK = 1 << 62, 4096  # certificate integers are <= 2^62; points evaluated at once

class Stop(Exception):  # args: the exit status and the message
    """Ends the check: need() stops with 2, holds() with 1."""
def need(ok, file, message, line=None, column=None):  # exit 2: `FILE[:LINE:COLUMN]: message`
    if not ok:
        raise Stop(2, show(f'{file}:{line}:{column}: {message}' if line else f'{file}: {message}'))
def holds(ok, check, message):  # exit 1: `CHECK: message`
    if not ok:
        raise Stop(1, show(f'{check}: {message}'))
def show(text):  # control characters, invalid UTF-8 (as surrogate escapes) and lone surrogates escaped (K6)
    escape = lambda c: f'\\x{c % 256:02x}' if c < 256 or 0xdc80 <= c <= 0xdcff else f'\\u{c:04x}'
    return re.sub('[\x00-\x1f\x7f\ud800-\udfff]', lambda m: escape(ord(m[0])), str(text))

# MARK: - Numbers: grammar N (section 2); canonical rationals (K4) are str(Fraction)

FRACTION = re.compile(r'([+-]?)([0-9]+)/([0-9]+)')
DECIMAL = re.compile(r'([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?')
HEXFLOAT = re.compile(r'([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))[pP]([+-]?[0-9]+)')
def number(text):
    """The exact value of a grammar-N literal as (p, q) in lowest terms, q > 0; ValueError says why."""
    if m := FRACTION.fullmatch(text):
        p, q = int(m[2]), int(m[3])
        if q == 0:
            raise ValueError('zero denominator')
    elif m := HEXFLOAT.fullmatch(text) or DECIMAL.fullmatch(text):
        hexa, fraction = m.re is HEXFLOAT, (m[3] or '') + (m[4] or '')
        digits = (m[5] or '0').lstrip('+-').lstrip('0') or '0'  # the exponent's value, whatever its zeros
        if len(digits) > 6 or int(digits) > (16500 if hexa else 5000):
            raise ValueError('exponent out of range')
        e = (-1 if (m[5] or '').startswith('-') else 1) * int(digits) - (4 if hexa else 1) * len(fraction)
        p, base = int((m[2] or '') + fraction, 16 if hexa else 10), 2 if hexa else 10
        p, q = (p * base ** e, 1) if e >= 0 else (p, base ** -e)
    elif re.fullmatch('[+-]?(nan|inf|infinity)', text, re.I):
        raise ValueError(f'{text} is not a number (NaN and infinities are not allowed)')
    else:
        raise ValueError(f'"{show(text)}" is not a number')
    g = math.gcd(p, q)
    return (-(p // g) if m[1] == '-' else p // g), q // g
def exact(text, file, where='', line=None, column=None):  # number(), or exit 2 saying why
    try:
        return number(text)
    except ValueError as e:
        need(False, file, f'{where}{e}', line, column)

# MARK: - Strict JSON (J1), numbers kept as their text

class Num(str):
    """A JSON number, kept as its text."""
def unique_keys(pairs):
    counts = Counter(key for key, _ in pairs)
    if len(counts) < len(pairs):
        raise ValueError(f'repeated key "{show(next(k for k, c in counts.items() if c > 1))}"')
    return dict(pairs)
def load_json(file, raw):
    raw = raw[3:] if raw.startswith(b'\xef\xbb\xbf') else raw  # T1
    try:
        value = json.loads(raw.decode('utf-8'), object_pairs_hook=unique_keys, parse_int=Num, parse_float=Num,
                           parse_constant=lambda name: need(False, file, f'{name} is not JSON'))
    except UnicodeDecodeError as e:  # the bytes before e.start are valid
        need(False, file, 'not valid UTF-8', raw.count(b'\n', 0, e.start) + 1,
             len(raw[raw.rfind(b'\n', 0, e.start) + 1:e.start].decode()) + 1)
    except json.JSONDecodeError as e:
        need(False, file, e.msg, e.lineno, e.colno)
    except (ValueError, RecursionError) as e:
        need(False, file, 'JSON nested deeper than 256 levels' if isinstance(e, RecursionError) else str(e))
    stack = [(value, 1)]
    while stack:  # depth, and surrogates (only an unpaired \u escape can yield one from valid UTF-8)
        item, depth = stack.pop()
        need(depth <= 256 or not isinstance(item, (dict, list)), file, 'JSON nested deeper than 256 levels')
        need(not (type(item) is str and re.search('[\ud800-\udfff]', item)), file, 'an unpaired \\u surrogate escape')
        if isinstance(item, dict):
            stack += [(k, depth) for k in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return value
def keys(obj, required, optional, file, where):
    need(type(obj) is dict, file, f'{where} must be an object')
    missing, unknown = set(required) - set(obj), set(obj) - set(required) - set(optional)
    need(not missing, file, f'{where} lacks "{min(missing or [""])}"')
    need(not unknown, file, f'{where} has the unknown key "{show(min(unknown or [""]))}"')
    return obj
def integer(value, low, high, file, where):  # a JSON integer (J3): digits only, within [low, high]
    ok = type(value) is Num and re.fullmatch('[0-9]{1,30}', value.lstrip('0') or '0') and low <= int(value) <= high
    need(ok, file, f'{where} must be a JSON integer in [{low}, {high}]')
    return int(value)

# MARK: - CSV data sets (section 3)

class Data:
    def __init__(self, file, raw):
        """C1-C8. A point is the tuple (N_1, ..., N_d, D) of integers over its least common denominator D."""
        raw = raw[3:] if raw.startswith(b'\xef\xbb\xbf') else raw
        self.points, self.labels, self.lines, self.merged, self.conflict = [], [], [], 0, None
        seen, columns = {}, None
        for lineno, line in enumerate(io.BytesIO(raw), 1):
            line = line.removesuffix(b'\n').removesuffix(b'\r')
            column = lambda at: len(line[:at].decode('utf-8', 'surrogateescape')) + 1  # T2: 1 per byte if invalid
            if line.lstrip(b' \t')[:1] in (b'', b'#'):
                continue  # blank or comment (C2)
            need(b'\r' not in line, file, 'a carriage return inside a line', lineno, column(line.find(b'\r')))
            fields, starts, at = [], [], 0
            for field in line.split(b','):
                starts.append(column(at + len(field) - len(field.lstrip(b' \t'))))
                fields.append(field.strip(b' \t').decode('utf-8', 'backslashreplace'))
                at += len(field) + 1
            if columns is None:
                columns = len(fields)
                need(columns >= 2, file, 'a row needs 2 fields or more (coordinates, then the label)', lineno, 1)
                if not any(re.match(r'[0-9+\-.]|(nan|inf|infinity)$', f, re.I) for f in fields):
                    continue  # the header (C4)
            need(len(fields) == columns, file, f'{len(fields)} fields, the first row has {columns}', lineno,
                 starts[min(len(fields), columns) - 1])
            values = [exact(field, file, '', lineno, start) for field, start in zip(fields, starts)]
            p, q = values.pop()
            need(q == 1 and 0 <= p < LIMIT, file, 'the label must be an integer in [0, 2^62 - 1]', lineno, starts[-1])
            common = math.lcm(*(q for _, q in values))
            point = tuple(a * (common // b) for a, b in values) + (common,)
            if point in seen:  # C7
                first = seen[point]
                self.merged += self.labels[first] == p
                if self.labels[first] != p and self.conflict is None:
                    self.conflict = f'lines {self.lines[first]} and {lineno} are equal points with different labels'
                continue
            seen[point] = len(self.points)
            self.points.append(point)
            self.labels.append(p)
            self.lines.append(lineno)
        need(self.points, file, 'no data rows', raw.count(b'\n') + (raw[-1:] not in (b'', b'\n')) + 1, 1)  # C8
        self.d = columns - 1

# MARK: - NumPy data sets (section 3.2): .npy (labels in X's last column) or .npz (arrays X and y)

NPY_STRING = re.compile(' *(\'[^\'\\\\]*\'|"[^"\\\\]*")')
NPY_INT = re.compile(' *([0-9]+)')
def npy_array(file, raw):
    """(kind, shape, elements in C order): the header read strictly (section 3.2), the elements as Python numbers."""
    need(raw[:6] == b'\x93NUMPY' and len(raw) >= 10, file, 'not an .npy file (no magic \\x93NUMPY)')
    need(raw[6] in (1, 2, 3) and raw[7] == 0, file, f'unsupported .npy version {raw[6]}.{raw[7]}')
    width = 2 if raw[6] == 1 else 4
    need(len(raw) >= 8 + width, file, 'the file ends inside the header length')
    length, start = int.from_bytes(raw[8:8 + width], 'little'), 8 + width
    need(length <= len(raw) - start, file, 'the header runs past the end of the file')
    header = raw[start:start + length]
    def fail(at, why):
        need(False, file, f'header byte {start + at}: {why}')
    if header[-1:] != b'\n':
        fail(max(len(header) - 1, 0), 'the header does not end in a newline')
    for at, byte in enumerate(header[:-1]):
        if byte < 0x20 or (raw[6] < 3 and byte >= 0x80):
            fail(at, 'a control or (before version 3) non-ASCII byte')
    text = header[:-1].decode('utf-8', 'surrogateescape')  # byte offsets: only strings may hold non-ASCII
    at, entries = 0, {}
    def take(token):
        nonlocal at
        m = re.compile(' *' + re.escape(token)).match(text, at)
        if m:
            at = m.end()
        return bool(m)
    take('{') or fail(at, "expected '{'")
    while not take('}'):
        m = NPY_STRING.match(text, at) or fail(at, 'expected a quoted string')
        key, at = m[1][1:-1], m.end()
        if key in entries or key not in ('descr', 'fortran_order', 'shape'):
            fail(m.start(1), f"the key '{key}' is unknown or repeated")
        take(':') or fail(at, "expected ':'")
        if key == 'descr':
            m = NPY_STRING.match(text, at) or fail(at, 'descr must be a quoted string')
            entries[key], at = m[1][1:-1], m.end()
        elif key == 'fortran_order':
            m = re.compile(' *(True|False)').match(text, at) or fail(at, 'fortran_order must be True or False')
            entries[key], at = m[1] == 'True', m.end()
        else:
            take('(') or fail(at, 'shape must be a tuple')
            dims, comma = [], False
            while not take(')'):
                (not dims or comma) or fail(at, "expected ',' or ')' in the shape")
                m = NPY_INT.match(text, at) or fail(at, 'the shape must hold non-negative integers')
                (int(m[1]) <= 1 << 48 and len(dims) < 32) or fail(at, 'a dimension is too large')
                dims.append(int(m[1]))
                at = m.end()
                comma = take(',')
            (len(dims) != 1 or comma) or fail(at, 'a one-element shape is written (n,)')
            entries[key] = tuple(dims)
        if not take(','):
            take('}') or fail(at, "expected ',' or '}'")
            break
    re.compile(' *').match(text, at).end() == len(text) or fail(at, 'text after the dict')
    len(entries) == 3 or fail(at, 'the header must have descr, fortran_order and shape')
    descr, fortran, shape = entries['descr'], entries['fortran_order'], entries['shape']
    m = re.fullmatch(r'([<>|])([fiu])([0-9]{1,2})', descr)
    need(m and int(m[3]) in {'f': (2, 4, 8)}.get(m[2], (1, 2, 4, 8)) and (m[1] != '|' or m[3] == '1'), file, f"unsupported dtype '{descr}'")
    size, count = int(m[3]), math.prod(shape)
    body = raw[start + length:]
    need(len(body) >= count * size, file, f'truncated: the shape {shape} needs {count * size} bytes of elements, the file holds {len(body)}')
    need(len(body) == count * size, file, f'{len(body) - count * size} bytes after the last element')
    code = {('f', 2): 'e', ('f', 4): 'f', ('f', 8): 'd', ('i', 1): 'b', ('i', 2): 'h', ('i', 4): 'i', ('i', 8): 'q',
            ('u', 1): 'B', ('u', 2): 'H', ('u', 4): 'I', ('u', 8): 'Q'}[m[2], size]
    flat = struct.unpack(('>' if m[1] == '>' else '<') + str(count) + code, body)
    if len(shape) == 2 and fortran:  # column-major storage: element [i, j] is at j * rows + i
        flat = [flat[j * shape[0] + i] for i in range(shape[0]) for j in range(shape[1])]
    return m[2], shape, flat

def npy_value(file, kind, value, where):  # the exact value of a finite element (every finite float is a dyadic rational)
    need(kind != 'f' or math.isfinite(value), file, f'element {where} is NaN or an infinity')
    return Fraction(value)

class NumpyData(Data):
    def __init__(self, file, raw):
        """The .npy file's rows (labels last) or the .npz archive's X and y, then C7 as for CSV; point i is line i + 1."""
        if file.lower().endswith('.npy'):
            kind, shape, flat = npy_array(file, raw)
            need(len(shape) == 2 and shape[1] >= 2, file, f'X must be a 2-D array with the labels in its last column, its shape is {shape}')
            n, d, xfile, labels = shape[0], shape[1] - 1, file, None
        else:
            try:
                with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                    arrays = {}
                    for name in ('X', 'y'):
                        need(f'{name}.npy' in archive.namelist(), file, f"has no array '{name}' (entry {name}.npy)")
                        need(archive.getinfo(f'{name}.npy').file_size <= 1 << 34, file, f'the array {name} is larger than 16 GiB')
                        arrays[name] = archive.read(f'{name}.npy')  # CRC-32 checked by zipfile
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError, RuntimeError,
                    zlib.error) as e:
                need(False, file, f'not a readable .npz (zip) archive ({e})')
            xfile, yfile = f'{file} (array X)', f'{file} (array y)'
            kind, shape, flat = npy_array(xfile, arrays['X'])
            need(len(shape) == 2 and shape[1] >= 1, xfile, f'X must be a 2-D array (points × coordinates), its shape is {shape}')
            ykind, yshape, labels = npy_array(yfile, arrays['y'])
            need(ykind != 'f', yfile, 'the labels must have an integer dtype')
            need(yshape in ((shape[0],), (shape[0], 1)), yfile, f"the labels' shape {yshape} does not match X's {shape[0]} rows")
            n, d = shape[0], shape[1]
        need(n >= 1, xfile, 'contains no data rows')
        self.points, self.labels, self.lines, self.merged, self.conflict, self.d = [], [], [], 0, None, d
        seen, w = {}, shape[1]
        for i in range(n):
            row = flat[i * w:(i + 1) * w]
            label, lwhere, lfile = (row[-1], f'[{i}, {d}]', xfile) if labels is None else (labels[i], f'[{i}]', yfile)
            p = npy_value(lfile, kind if labels is None else 'i', label, lwhere)
            need(p.denominator == 1 and 0 <= p < LIMIT, lfile, f'element {lwhere}: the label must be an integer from 0 to 2^62 - 1')
            values = [npy_value(xfile, kind, v, f'[{i}, {j}]') for j, v in enumerate(row[:d])]
            common = math.lcm(*(v.denominator for v in values))
            point = tuple(v.numerator * (common // v.denominator) for v in values) + (common,)
            if point in seen:  # C7
                first = seen[point]
                self.merged += self.labels[first] == p
                if self.labels[first] != p and self.conflict is None:
                    self.conflict = f'lines {self.lines[first]} and {i + 1} are equal points with different labels'
                continue
            seen[point] = len(self.points)
            self.points.append(point)
            self.labels.append(int(p))
            self.lines.append(i + 1)

# MARK: - Networks (section 4)

def read_value(value, file, where):  # J5: a JSON string holding grammar N, or a bare JSON number read as N
    need(type(value) in (str, Num), file, f'{where} must be a number or a string holding one')
    return exact(str(value), file, f'{where}: ')

class Network:
    def __init__(self, file, raw):
        """J1-J6. A neuron is (indices, integer weights, integer bias, scale L) with z = (w·h + b) / L."""
        root = keys(load_json(file, raw), ('format', 'inputDimension', 'outputBits', 'layers'), ('provenance',),
                    file, 'the network')
        need(root['format'] in ('memcert.network/1', 'memcert.network/2'), file, 'format must be "memcert.network/1" or "/2"')
        self.inputs = integer(root['inputDimension'], 1, 10 ** 8, file, 'inputDimension')
        self.bits = integer(root['outputBits'], 1, 62, file, 'outputBits')
        need(type(root['layers']) is list and root['layers'], file, 'layers must be a non-empty array')
        self.layers, self.comparisons, self.weights, self.biases, self.largest, width = [], [], 0, 0, 0, self.inputs
        for l, layer in enumerate(root['layers']):
            keys(layer, ('neurons',), ('name', 'comparison')[:1 + (root['format'][-1] == '2')], file, f'layers[{l}]')
            self.comparisons.append(layer.get('comparison', '>='))  # 1[z >= 0], 1[z > 0], or sign: z = 0 is a tie
            need(self.comparisons[-1] in ('>=', '>', 'sign'), file, f'layers[{l}].comparison must be ">=", ">" or "sign"')
            need(type(layer.get('name', '')) is str, file, f'layers[{l}].name must be a string')
            need(type(layer['neurons']) is list and layer['neurons'], file, f'layers[{l}].neurons must be a non-empty array')
            neurons = []
            for t, neuron in enumerate(layer['neurons']):
                at = f'layers[{l}].neurons[{t}]'
                w = keys(keys(neuron, ('weights', 'bias'), (), file, at)['weights'], ('indices', 'values'), (), file, at)
                need(type(w['indices']) is list and type(w['values']) is list and len(w['indices']) == len(w['values']),
                     file, f'{at}.weights: indices and values must be arrays of equal length')
                indices = [integer(i, 0, width - 1, file, f'{at}.weights.indices[{k}]') for k, i in enumerate(w['indices'])]
                need(all(a < b for a, b in zip(indices, indices[1:])), file, f'{at}.weights.indices must strictly increase')
                values = [read_value(v, file, f'{at}.weights.values[{k}]') for k, v in enumerate(w['values'])]
                bias = read_value(neuron['bias'], file, f'{at}.bias')
                nonzero = [(p, q) for p, q in values if p]
                self.weights, self.biases = self.weights + len(nonzero), self.biases + (bias[0] != 0)
                self.largest = max([self.largest] + [abs(p).bit_length() + q.bit_length() - 1 for p, q in nonzero])
                scale = math.lcm(bias[1], *(q for _, q in values))
                neurons.append((indices, [p * (scale // q) for p, q in values], bias[0] * (scale // bias[1]), scale))
            self.layers.append(neurons)
            width = len(neurons)
        need(width == self.bits, file, f'the last layer has {width} neurons, outputBits is {self.bits}')
        self.neurons = sum(map(len, self.layers))

# MARK: - Exact evaluation on lanes, and the separation

def evaluate(net, data):
    """The first point (index, output, tie) whose output differs from its label or that ties (tie = (layer, neuron)),
    or None; and per layer the least |z| over all points and neurons, a Fraction (None when a mismatch ended the run)."""
    points, d, n = data.points, data.d, len(data.points)
    column_max = [max(abs(p[k]) for p in points) for k in range(d + 1)]  # [d]: the largest denominator
    plan = []  # per layer: lane bytes, and per neuron a bound on |L z| over all points
    for l, layer in enumerate(net.layers):
        bounds = [abs(b) * column_max[d] + sum(abs(w) * column_max[j] for j, w in zip(idx, ws)) if l == 0
                  else abs(b) + sum(map(abs, ws)) for idx, ws, b, _ in layer]
        plan.append((((2 * max(bounds + column_max)).bit_length() + 8) // 8, bounds))
    fan_in = [d + 1] + [len(layer) for layer in net.layers[:-1]]
    chunk = max(1, min(CHUNK, (1 << 25) // max(w * (f + 2) for (w, _), f in zip(plan, fan_in))))
    best = [None] * len(net.layers)  # (|L z|, L D): the least margin so far, unreduced
    for start in range(0, n, chunk):
        m, ties = len(block := points[start:start + chunk]), {}
        for l, layer in enumerate(net.layers):
            width, bounds = plan[l]
            shift, span = 8 * width - 1, m * width
            one = int.from_bytes((b'\1' + bytes(width - 1)) * m, 'little')
            half = one << shift  # 2^(F-1) in every lane
            if l == 0:  # value v in lane i: bytes of v + 2^(F-1), then 2^(F-1) subtracted from every lane
                x = [int.from_bytes(b''.join((p[k] + (1 << shift)).to_bytes(width, 'little') for p in block), 'little')
                     - half for k in range(d + 1)]
                ones, dmax, denominators = x[d], column_max[d], [p[d] for p in block]
            else:
                x = []
                for bits in outputs:
                    spread = bytearray(span)
                    spread[::width] = bits
                    x.append(int.from_bytes(spread, 'little'))
                ones, dmax, denominators = one, 1, repeat(1)
            outputs, strict = [], net.comparisons[l] != '>='  # z > 0 is z - 1 >= 0 for the integers in the lanes
            for t, ((idx, ws, b, scale), bound) in enumerate(zip(layer, bounds)):
                z = b * ones
                for j, w in zip(idx, ws):
                    z += w * x[j]
                fire = ((z - strict * one + half) >> shift) & one
                outputs.append(fire.to_bytes(span, 'little')[::width])
                if net.comparisons[l] == 'sign' and (tie := fire ^ ((z + half) >> shift) & one):  # lanes with z = 0
                    for i in (i for i, v in enumerate(tie.to_bytes(span, 'little')[::width]) if v):
                        ties.setdefault(i, (l, t))
                if (least := best[l]) is not None:  # improving on least needs a lane with |z| < t
                    t = -(-least[0] * scale * dmax // least[1])
                    k = (t - 1) * one + half if 0 < t <= bound else None  # lanes t - 1 + 2^(F-1) +- z
                    if t == 0 or (k is not None and not (z + k) & (k - z) & half):
                        continue
                raw = (z + half).to_bytes(span, 'little')
                for i, den in zip(range(m), denominators):
                    a = abs(int.from_bytes(raw[i * width:(i + 1) * width], 'little') - (1 << shift))
                    if least is None or a * least[1] < least[0] * scale * den:
                        least = (a, scale * den)
                best[l] = least
        for i, label in enumerate(data.labels[start:start + m]):
            output = sum(bits[i] << j for j, bits in enumerate(outputs))
            if output != label or i in ties:
                return (start + i, output, ties.get(i)), None
    return None, [Fraction(*least) for least in best]
def separation(data):
    """(R², δ²) exactly; δ² is None for one point. Floats only choose which pairs to compare exactly: a
    computed distance is off by at most u(|x| + |y|) from rounding the coordinates plus (d + 2)u times
    the distance inside math.dist (u = 2^-53), far inside the tolerance (d + 8) 2^-48 (r + 2R) + 2^-900."""
    points, d, n = data.points, data.d, len(data.points)
    r2 = max(Fraction(sum(x * x for x in p[:-1]), p[-1] ** 2) for p in points)
    if n < 2:
        return r2, None
    try:
        f = [tuple(x / p[-1] for x in p[:-1]) for p in points]  # correctly rounded
        radius = 2 * max(math.hypot(*v) for v in f)
    except OverflowError:
        radius = math.inf
    if math.isfinite(radius):
        tolerance = lambda r: (d + 8) * 2.0 ** -48 * (r + 2 * radius) + 2.0 ** -900
        rows = [min(map(math.dist, repeat(f[i]), f[i + 1:])) for i in range(n - 1)]
        upper = min(r + tolerance(r) for r in rows)  # >= the true least distance
        pairs = ((i, i + 1 + k) for i, r in enumerate(rows) if r - tolerance(r) <= upper
                 for k, s in enumerate(map(math.dist, repeat(f[i]), f[i + 1:])) if s - tolerance(s) <= upper)
    else:  # coordinates beyond floats: every pair exactly
        pairs = ((i, j) for i in range(n) for j in range(i + 1, n))
    exact = lambda p, q: Fraction(sum((a * q[-1] - b * p[-1]) ** 2 for a, b in zip(p[:-1], q[:-1])), (p[-1] * q[-1]) ** 2)
    return r2, min(exact(points[i], points[j]) for i, j in pairs) / r2

# MARK: - Lower bounds (sections 5.2 and 6), each stopping at its first failing check

def expect(checks, name, claimed, actual):
    text = lambda v: 'null' if v is None else '[' + ', '.join(map(str, v)) + ']' if type(v) is list else str(v)
    holds(claimed == actual, name, f'the certificate says {text(claimed)}, the files give {text(actual)}')
    checks.append(name)
def rational(point):  # (N_1, ..., N_d, D) as d fractions
    return [Fraction(x, point[-1]) for x in point[:-1]]
def permutation(data, lines, name):  # the point indices of the claimed lines, which must name every point once
    where = {line: i for i, line in enumerate(data.lines)}
    order = [where.get(line) for line in lines]
    holds(None not in order and len(set(order)) == len(data.points), name, "is not a permutation of the points' lines")
    return order
def circle(bound, data, name, checks):
    n, d, c, o, (u, v) = len(data.points), data.d, bound['center'], bound['planeOrigin'], bound['planeBasis']
    dot = lambda a, b: sum(x * y for x, y in zip(a, b))
    holds(d >= 2 and n >= 3, name, f'a circle needs d >= 2 and n >= 3 (d = {d}, n = {n})')
    uu, uv, vv = dot(u, u), dot(u, v), dot(v, v)
    holds(det := uu * vv - uv * uv, name + '.planeBasis', 'the two rows are not independent')

    def plane(y, claim, what):  # the coordinates of y - o in (u, v), which must reproduce it
        w = [a - b for a, b in zip(y, o)]
        alpha, beta = (vv * dot(u, w) - uv * dot(v, w)) / det, (uu * dot(v, w) - uv * dot(u, w)) / det
        holds(all(wk == alpha * uk + beta * vk for wk, uk, vk in zip(w, u, v)), claim,
              f'{what} is not in the plane planeOrigin + span(planeBasis)')
        return alpha, beta
    ac, bc = plane(c, name + '.center', 'the centre')
    directions = []
    for i in range(n):
        x, at = rational(data.points[i]), f'the point on line {data.lines[i]}'
        alpha, beta = plane(x, name, at)
        holds(dot(*[[a - b for a, b in zip(x, c)]] * 2) == bound['radiusSquared'], name,
              f'{at} is not at squared distance radiusSquared from the centre')
        directions.append((alpha - ac, beta - bc))
    order = permutation(data, bound['cyclicOrderLines'], name + '.cyclicOrderLines')
    upper = lambda p: p[1] > 0 or (p[1] == 0 and p[0] > 0)
    before = lambda p, q: (upper(p) and not upper(q)) or (upper(p) == upper(q) and p[0] * q[1] - p[1] * q[0] > 0)
    backwards = sum(before(directions[order[(k + 1) % n]], directions[order[k]]) for k in range(n))
    holds(backwards in (1, n - 1), name + '.cyclicOrderLines', 'does not list the points in cyclic order around the centre')
    changes = sum(data.labels[order[k]] != data.labels[order[k - 1]] for k in range(n))
    expect(checks, name + '.labelChanges', bound['labelChanges'], changes)
    expect(checks, name + '.firstLayerNeurons', bound['firstLayerNeurons'], (changes + 1) // 2)
def moment_curve(bound, data, name, checks):
    for i in range(len(data.points)):
        x = rational(data.points[i])
        holds(all(x[k] == x[0] ** (k + 1) for k in range(1, data.d)), name,
              f'the point on line {data.lines[i]} is not on t -> (t, t^2, ..., t^{data.d})')
    order, t = permutation(data, bound['orderLines'], name + '.orderLines'), bound['parameters']
    holds(t == [Fraction(data.points[i][0], data.points[i][-1]) for i in order], name + '.parameters',
          'are not the first coordinates of the points in orderLines')
    holds(all(a < b for a, b in zip(t, t[1:])), name + '.orderLines', 'the parameters do not strictly increase along it')
    changes = sum(data.labels[a] != data.labels[b] for a, b in zip(order, order[1:]))
    expect(checks, name + '.labelChanges', bound['labelChanges'], changes)
    expect(checks, name + '.firstLayerNeurons', bound['firstLayerNeurons'], -(-changes // data.d))
def regions(k, d, stop=None):
    """R(k) = Σ_{i <= min(d, k)} C(k, i) (Schläfli; Buck 1943): 2^k when k <= d; the sum ends once >= stop."""
    total = 1 << k if 0 <= k <= d else 0
    for i in range(d + 1 if k > d else 0):
        total += math.comb(k, i)
        if stop is not None and total >= stop:
            break
    return total
def distinct_codes(bound, data, name, checks):
    n, d, k = len(data.points), data.d, bound['firstLayerNeurons']
    least = k <= n and regions(k, d) >= n and regions(k - 1, d, n) < n  # K > n is refused before any binomial
    holds(least, name + '.firstLayerNeurons', f'{k} is not the least K with R(K) >= n = {n} in d = {d}')
    expect(checks, name + '.regionsAtBound', bound['regionsAtBound'], regions(k, d))
    expect(checks, name + '.regionsBelowBound', bound['regionsBelowBound'], regions(k - 1, d))
def counting(bound, data, name, checks):
    n, w, e = len(data.points), bound['weights'], 1457 * bound['neurons']
    enough = lambda w: e ** (2 * w) >= 536 ** (2 * w) << n  # (e_hi N)^(2w) >= 2^n, e_hi = 1457/536 > e
    least = w <= -(-n // 2) + 1 and enough(w) and not (w > 0 and enough(w - 1))  # W is bounded before any power
    holds(least, name + '.weights', f'{w} is not the least W with (1457 N)^(2W) >= 2^n 536^(2W) (n = {n})')
    checks.append(name + '.weights')

# MARK: - Certificates (section 5), checked in the order of section 6

RATS, LINES = ('list', 'rational'), ('list', 'line')
MEMORIZATION = dict(n='int', d='int', classes='int', mergedDuplicates='int', radiusSquared='rational?',
                    deltaSquared='rational?', neurons='int', weights='int', biases='int', depth='int',
                    largestWeightBits='int', memorized='bool', minimumMargins=RATS)
LOWER_BOUND = dict(n='int', d='int', classes='int', bounds='bounds', best='int')
BOUNDS = {'circle': dict(firstLayerNeurons='int', center=RATS, radiusSquared='rational', planeOrigin=RATS,
                         planeBasis=('list', RATS), labelChanges='int', cyclicOrderLines=LINES),
          'moment-curve': dict(firstLayerNeurons='int', labelChanges='int', orderLines=LINES, parameters=RATS),
          'distinct-codes': dict(firstLayerNeurons='int', regionsAtBound='big', regionsBelowBound='big'),
          'counting': dict(weights='int', neurons='line', eUpperBound='rational')}
def form(value, kind, file, where):
    """A claim value of the form `kind` (K4) as int, bool, Fraction, None or a list of them."""
    if type(kind) is tuple:
        need(type(value) is list, file, f'{where} must be an array')
        return [form(v, kind[1], file, f'{where}[{k}]') for k, v in enumerate(value)]
    if kind in ('int', 'line'):
        return integer(value, int(kind == 'line'), LIMIT, file, where)
    if kind == 'bounds' or (kind == 'rational?' and value is None):
        return value
    need(type(value) is bool or kind != 'bool', file, f'{where} must be true or false')
    pattern = r'0|[1-9][0-9]*' if kind == 'big' else r'0|-?[1-9][0-9]*(/[1-9][0-9]*)?'
    ok = kind == 'bool' or type(value) is str and re.fullmatch(pattern, value) and str(Fraction(value)) == value
    need(ok, file, f'{where} must be a {"big integer" if kind == "big" else "canonical rational"} string')
    return value if kind == 'bool' else int(value) if kind == 'big' else Fraction(value)
def parse_certificate(cert, raw):
    """Step 1: J1 and K1-K5. Returns (kind, files, claims with converted values)."""
    c = load_json(cert, raw)
    need(type(c) is dict, cert, 'a certificate is a JSON object')
    need(c.get('format') != 'memcert.certificate/1', cert, 'format /1 is no longer accepted: re-issue it with this memcert')
    need(c.get('format') == 'memcert.certificate/2', cert, 'unsupported format (this checker reads memcert.certificate/2)')
    kind = keys(c, ('format', 'kind', 'provenance', 'files', 'claims'), (), cert, 'the certificate')['kind']
    need(kind != 'separation-number', cert, 'kind "separation-number" is declined: this checker has no DRAT proof '
         'checker (formats.md, 5.3); check it with memcert check')
    need(kind not in ('memorization-shard', 'memorization-root'), cert,
         f'kind "{kind}" (sharded certificates, docs/formats.md section 5.4) is not supported by this checker; '
         'check it with memcert check')
    need(kind in ('memorization', 'lower-bound'), cert, 'kind must be "memorization" or "lower-bound"')
    p = keys(c['provenance'], ('memcert', 'commit', 'gmp', 'command'), (), cert, 'provenance')
    need(type(p['memcert']) is str and type(p['gmp']) is str and type(p['commit']) in (str, type(None)) and
         type(p['command']) is list and all(type(a) is str for a in p['command']), cert, 'provenance: a value of the wrong type')
    files = keys(c['files'], ('data', 'network') if kind == 'memorization' else ('data',), (), cert, 'files')
    for role, f in files.items():
        keys(f, ('path', 'sha256'), (), cert, f'files.{role}')
        need(type(f['path']) is str and not re.search(r'[\\\0]|(^|/)\.{0,2}(/|$)', f['path']), cert, f'files.{role}.path '
             'must be relative: "/"-separated segments, none empty, "." or "..", no backslash or NUL')
        need(type(f['sha256']) is str and re.fullmatch('[0-9a-f]{64}', f['sha256']), cert,
             f'files.{role}.sha256 must be 64 lowercase hex digits')
    schema = MEMORIZATION if kind == 'memorization' else LOWER_BOUND
    claims = {k: form(v, schema[k], cert, f'claims.{k}') for k, v in keys(c['claims'], schema, (), cert, 'claims').items()}
    n, d = claims['n'], claims['d']
    if kind == 'memorization':  # K5
        need(len(claims['minimumMargins']) == claims['depth'], cert, 'claims.minimumMargins must have depth entries')
        need((claims['radiusSquared'] is None) == (n > 20000), cert, 'claims.radiusSquared must be null exactly when n > 20000')
        need((claims['deltaSquared'] is None) == (n > 20000 or n <= 1), cert, 'claims.deltaSquared must be null iff n > 20000 or n <= 1')
        return kind, files, claims
    bounds = claims['bounds']
    need(type(bounds) is list and bounds, cert, 'claims.bounds must be a non-empty array')
    arguments = [b.get('argument') if type(b) is dict and type(b.get('argument')) is str else None for b in bounds]
    need(all(a in BOUNDS for a in arguments) and arguments == sorted(set(arguments), key=list(BOUNDS).index), cert,
         'claims.bounds: each argument is circle, moment-curve, distinct-codes or counting, at most once, in that order')
    for i, (b, a) in enumerate(zip(bounds, arguments)):
        at = f'claims.bounds[{i}]'
        keys(b, ('argument', *BOUNDS[a]), (), cert, at)
        bounds[i] = b = {'argument': a, **{k: form(b[k], t, cert, f'{at}.{k}') for k, t in BOUNDS[a].items()}}
        vectors = [b[k] for k in ('center', 'planeOrigin') if k in b] + b.get('planeBasis', [])
        need(len(b.get('planeBasis', [0, 0])) == 2 and all(len(r) == d for r in vectors), cert,
             f'{at}: center, planeOrigin and the 2 rows of planeBasis must have d entries')
        need(all(len(b[k]) == n for k in ('cyclicOrderLines', 'orderLines', 'parameters') if k in b), cert,
             f'{at}: the lists of lines and of parameters must have n entries')
        need(b.get('eUpperBound', Fraction(1457, 536)) == Fraction(1457, 536), cert, f'{at}.eUpperBound must be "1457/536"')
    return kind, files, claims
def read_file(file):
    need(os.path.isfile(file), file, 'not a regular file')
    try:
        with open(file, 'rb') as f:
            return f.read()
    except OSError as e:
        need(False, file, f'cannot read ({e.strerror})')
def check(cert, overrides, checks):
    """Every check of section 6 in order; returns the certificate's kind."""
    kind, files, c = parse_certificate(cert, read_file(cert))
    checks.append(kind)
    need(overrides['network'] is None or kind == 'memorization', cert, '--network was given, but a lower-bound certificate names no network')
    folder, located, contents = os.path.realpath(os.path.dirname(cert) or '.'), {}, {}
    for role in [r for r in ('data', 'network') if r in files]:  # step 2: K3
        real, override = os.path.realpath(os.path.join(folder, files[role]['path'])), overrides[role]
        need(override is not None or real.startswith(folder.rstrip('/') + '/'), cert, f"files.{role}.path leads outside the certificate's folder")
        located[role] = os.path.join(os.path.dirname(cert), files[role]['path']) if override is None else override
        need(os.path.isfile(located[role]), located[role], 'not a regular file')
    for role, file in located.items():  # step 3
        contents[role] = read_file(file)
        expect(checks, f'files.{role}.sha256', files[role]['sha256'], hashlib.sha256(contents[role]).hexdigest())
    data = (NumpyData if located['data'].lower().endswith(('.npy', '.npz')) else Data)(located['data'], contents.pop('data'))  # step 4
    net = Network(located['network'], contents.pop('network')) if kind == 'memorization' else None
    holds(not data.conflict, 'claims.memorized' if net else 'claims.n', data.conflict)  # step 5
    n = len(data.points)
    for key, actual in [('n', n), ('d', data.d), ('classes', max(data.labels) + 1)] + ([
            ('mergedDuplicates', data.merged), ('neurons', net.neurons), ('weights', net.weights),
            ('biases', net.biases), ('depth', len(net.layers)), ('largestWeightBits', net.largest)] if net else []):
        expect(checks, 'claims.' + key, c[key], actual)
    if net:
        holds(c['memorized'], 'claims.memorized', 'the claim must be true')
        holds(net.inputs == data.d, 'claims.memorized', f'the network reads {net.inputs} inputs, the data has d = {data.d}')
        mismatch, margins = evaluate(net, data)
        i, output, tie = mismatch or (0, 0, None)
        holds(not tie, 'claims.memorized', f'the point on line {data.lines[i]} is a tie: neuron {tie and tie[1]} of layer '
              f'{tie and tie[0]} (comparison sign) has pre-activation exactly 0, so the network has no output there')
        holds(not mismatch, 'claims.memorized', f'the point on line {data.lines[i]} gets output {output}, its label is {data.labels[i]}')
        checks.append('claims.memorized')
        expect(checks, 'claims.minimumMargins', c['minimumMargins'], margins)
        if n <= 20000:
            r2, d2 = separation(data)
            expect(checks, 'claims.radiusSquared', c['radiusSquared'], r2)
            expect(checks, 'claims.deltaSquared', c['deltaSquared'], d2)
        return kind
    argue = {'circle': circle, 'moment-curve': moment_curve, 'distinct-codes': distinct_codes, 'counting': counting}
    for i, bound in enumerate(c['bounds']):
        argue[bound['argument']](bound, data, f'claims.bounds[{i}]', checks)
        checks.append(f'claims.bounds[{i}]')
    curves = [b['firstLayerNeurons'] for b in c['bounds'] if b['argument'] in ('circle', 'moment-curve')]
    expect(checks, 'claims.best', c['best'], max(curves + [int(len(set(data.labels)) > 1)]))
    return kind
def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.error = lambda message: sys.exit(print(f'{parser.format_usage()}error: {message}', file=sys.stderr) or 64)
    parser.add_argument('certificate')
    for role in ('network', 'data'):
        parser.add_argument('--' + role, help=f'use this {role} file instead of the one named (its digest must match)')
    args, checks = parser.parse_args(argv), []
    try:
        check(args.certificate, {'data': args.data, 'network': args.network}, checks)
    except Stop as e:
        status, message = e.args
        print(f'error: {message}' if status == 2 else f'FAILS  {show(args.certificate)} ({checks[0]}): {message}',
              file=sys.stderr if status == 2 else sys.stdout)
        return status
    print(f'holds  {show(args.certificate)} ({checks[0]}): all {len(checks) - 1} checks pass\n       ' + ', '.join(checks[1:]))
    return 0

if __name__ == '__main__':
    sys.stdout.reconfigure(errors='backslashreplace')
    sys.stderr.reconfigure(errors='backslashreplace')
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # whoever read stdout left early
        os._exit(141)
    except Exception as e:  # never a traceback: anything unexpected is exit 3
        print(f'error: internal error: {type(e).__name__}: {show(e)}', file=sys.stderr)
        sys.exit(3)
