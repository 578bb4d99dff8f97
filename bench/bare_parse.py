"""Baseline: import PyYAML and parse every .yaml file under a folder with the C safe loader.

    python bench/bare_parse.py DATA_DIR

This is the floor the issue's validate and report rows are measured against: the time to read
the register as plain YAML, with no positions, models, checks or report.
"""

import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
