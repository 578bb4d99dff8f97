"""Everything a command writes: the reporters that print each kind of result (``reporters``,
with the one-line rule for register text in ``text``), the templates rendered in the sandbox
(``render``, ``sandbox``), safe writes and the refusal of an output inside the register
(``files``), the records' JSON Schemas (``schemas``) and the optional parts a command needs
(``extras``). The reporters stay light to import (the command line reads their formats for
``--help``); rendering imports Jinja2 and WeasyPrint only when it runs.

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``, ``report/``, ``history/``.
"""
