"""Git as the register's change record: two versions of a record compared field by field
(``compare``) and the commits of a range or of one record described in the register's words
(``gitlog``), records read through the loader. It starts git only through ``system.gitrun``.

May import: ``system/``, ``domain/``, ``register/``, ``analysis/``, ``report/``.
"""
