#!/usr/bin/env python3
"""Validates every JSON file memcert wrote against its schema in docs/schemas/.

usage: check_schemas.py FILE...

The schema is chosen by the file's "format" (memcert.verify/1 -> verify.schema.json,
memcert.network/1 -> network.schema.json, ...). Prints one line per file; exits 1 when
any file fails or has no known format.
"""
import json
import os
import sys

import jsonschema

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "schemas")
BY_FORMAT = {
    "memcert.network/1": "network", "memcert.network/2": "network", "memcert.certificate/2": "certificate", "memcert.check/1": "check",
    "memcert.verify/1": "verify", "memcert.construct/1": "construct", "memcert.separation/1": "separation",
    "memcert.lower-bound/1": "lower-bound", "memcert.compare/1": "compare", "memcert.sweep/1": "sweep",
    "memcert.separation-number/1": "separation-number",
}

def main(files):
    failed = 0
    for path in files:
        with open(path, "rb") as f:
            document = json.loads(f.read().decode("utf-8-sig"))
        name = BY_FORMAT.get(document.get("format") if isinstance(document, dict) else None)
        if name is None:
            print(f"FAIL {path}: no schema for format {document.get('format')!r}")
            failed += 1
            continue
        with open(os.path.join(SCHEMAS, name + ".schema.json")) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
        if errors:
            failed += 1
            for e in errors[:5]:
                print(f"FAIL {path} ({name}): {'/'.join(map(str, e.path))}: {e.message[:300]}")
        else:
            print(f"ok   {path} ({name})")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
