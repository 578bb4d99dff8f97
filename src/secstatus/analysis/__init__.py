"""Questions about a loaded register on a day, answered as plain data: rows, stage counts and
finding a record by any form of its id (``query``), and the DCC assessment and progression
figures against the SEC's timescales (``assessments``). Nothing here knows about a month's
report, wording or markup.

May import: ``system/``, ``domain/``, ``register/``.
"""
