"""The data folder read into a ``Register``: which files are read and which skipped (``intake``,
which also names the files the loader skips: the edit lock and a write's temporaries), one YAML
file to plain Python with positions on demand (``yamlread``), records into the register with
every problem a located diagnostic (``load``), the rules across records (``checks``: ``validate``
is load + checks) and the acknowledgements that turn a warning into a note (``acknowledgements``).

May import: ``system/``, ``domain/``.
"""
