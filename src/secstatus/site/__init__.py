"""The published register (``secstatus site``): each page's facts as plain data (``pages``), the
charts' geometry (``charts``), the Atom feed and the iCalendar (``feeds``), and the build that
renders them all into a fresh folder and swaps it into place (``build``). It calls the core's
own functions; its layout is in ``templates/site/``.

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``, ``report/``, ``history/``, ``output/``,
``editing/``.
"""
