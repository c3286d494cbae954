"""citynet: a knowledge graph of European cities and the cooperation networks they join."""

__version__ = "0.1.0"
