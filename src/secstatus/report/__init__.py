"""Views of the register dated by its report records: the register's horizon (how far its facts
reach, from its latest report's date), the month's Change Status Report as a typed context of
frozen dataclasses (``build``, ``context``), and one modification as the register knew it on a
day, its figures counted to the horizon (``show``). Plain data only: the templates word and lay
it out.

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``.
"""
