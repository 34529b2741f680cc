#!/usr/bin/env python3
"""Checks FtM JSON lines against the model of the `followthemoney` package (PyPI): every
entity's schema and property must exist in the model, every value must be valid for its
property's type, and the model must build the entity. Prints each problem with its line.

    python3 tools/ftm/check.py FILE.jsonl
"""
import json
import sys

from followthemoney import model


def main(path):
    problems, count = 0, 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            count += 1
            data = json.loads(line)
            schema = model.get(data.get("schema"))
            if schema is None:
                print(f"line {lineno}: unknown schema {data.get('schema')!r}")
                problems += 1
                continue
            for name, values in (data.get("properties") or {}).items():
                prop = schema.get(name)
                if prop is None:
                    print(f"line {lineno}: {schema.name} has no property {name!r}")
                    problems += 1
                    continue
                for value in values:
                    if not prop.type.validate(value):
                        print(f"line {lineno}: {schema.name}.{name}: {value!r} is not a valid {prop.type.name}")
                        problems += 1
            try:
                model.get_proxy(data, cleaned=False)
            except Exception as e:  # the model refuses the entity
                print(f"line {lineno}: {e}")
                problems += 1
    print(f"{count} entities, {problems} problems")
    return 1 if problems or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
