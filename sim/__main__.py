"""`python -m sim` is the same as the `mnp` command."""

from sim.cli import app

app(prog_name="mnp")
