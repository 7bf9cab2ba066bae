"""`python -m nutrigap`: the same command line as `nutrigap`."""

from nutrigap.cli import main

main(prog_name="nutrigap")
