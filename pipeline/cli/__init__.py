"""The command line: thin click commands over the library, and the only code that prints or
exits. Heavy libraries are imported inside the commands that need them."""
from pipeline.cli.main import cli, main

__all__ = ["cli", "main"]
