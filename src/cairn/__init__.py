"""cairn: track, package and serve ML models; speaks MLflow's protocol."""

from cairn.version import __version__

__all__ = ["__version__"]
