"""secstatus: the SEC modification register as YAML, validated and reported."""

__version__ = "0.1.0"
