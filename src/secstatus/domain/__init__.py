"""The register's vocabulary, with no file or process in sight: the base record and its rules
(``record``), each event kind declared once (``events``), the record types (``model``), the fold
that gives a modification's stage and status on any day (``timeline``), the Appendix A rows that
fold derives (``appendix``), the England and Wales working-day calendar (``workdays``), and
results as data (``diagnostics``: a finding, and the ``Refusal`` every refusal derives from).
Inside it, modules import one way: record < events < model < timeline < appendix.

May import: ``system/``.
"""
