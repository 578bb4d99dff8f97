"""python -m secstatus"""

from .cli import main

main(prog_name="secstatus")
