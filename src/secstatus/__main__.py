"""python -m secstatus"""

from .entry import run

run()
