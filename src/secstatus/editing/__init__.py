"""Every change to the register's files, validated with the whole register before anything is
written: safe edits as text (``edit``), new records from their templates (``create``), a
spreadsheet's rows (``csvimport``), the edit lock (``lock``), a new register repository
(``repository``, ``secstatus init``), and the record format's documentation for the people who
edit it (``formatdoc``, which writes docs/data-format.md).

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``, ``report/``, ``history/``, ``output/``.
"""
