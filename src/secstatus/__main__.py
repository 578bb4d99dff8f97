"""python -m secstatus"""

from .cli.entry import run

run()
