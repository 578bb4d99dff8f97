"""What secstatus asks of the machine, knowing nothing of the register: the per-user cache
(``cache``: a private folder, every entry sealed, for compiled templates and the bank-holiday
table) and the one place a git process is started (``gitrun``: nothing a repository's
configuration names runs). The floor every layer stands on; the layers above name what they keep
here and check its shape.

May import: nothing of the package (only the standard library).
"""
