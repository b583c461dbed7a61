"""`python -m omie_push.cli`: the same as the `omie-push` command."""
from . import main

main(prog_name="omie-push")
