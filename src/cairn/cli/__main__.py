"""``python -m cairn.cli`` runs the same command line as the ``cairn`` script."""

from cairn.cli.main import cli

cli()
