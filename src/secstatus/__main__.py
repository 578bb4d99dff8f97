"""python -m secstatus"""

from .cli import run

run()
