"""dictamen: examine a piece of legislation by its votes, its measured impacts and its sources.

Core modules (catalog, record, params, config, runner, export, site, cli) know nothing of any
domain; domain modules (votes, impact, sources, dossier) use the core but never the runner.
"""

__version__ = "0.1.0"
