#!/usr/bin/env python3
"""Compares two synthesized templates: identical after key order and asset hashes are normalized.

    compare.py <twin template.json> <consumer template.json>
Exits 1 and prints the first differences when they differ.
"""
import difflib
import json
import re
import sys

HASH = re.compile(r'\b[0-9a-f]{64}\b')


def normalized(path: str) -> list:
    with open(path) as f:
        text = json.dumps(json.load(f), indent=1, sort_keys=True)
    return HASH.sub('<asset-hash>', text).splitlines()


twin, consumer = normalized(sys.argv[1]), normalized(sys.argv[2])
if twin == consumer:
    print(f'identical: {sys.argv[2]} and {sys.argv[1]} ({len(twin)} lines, asset hashes normalized)')
    sys.exit(0)
print(f'DIFFERENT: {sys.argv[2]} and {sys.argv[1]}')
print('\n'.join(list(difflib.unified_diff(twin, consumer, 'twin', 'consumer', lineterm=''))[:60]))
sys.exit(1)
