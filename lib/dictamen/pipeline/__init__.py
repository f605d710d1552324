"""The pipeline: what runs notebooks and publishes them (configuration, runner, export, index, CLI).

It knows no domain: it executes whatever notebook a report names and reads back only what the
shared toolkit records (:mod:`dictamen.record`). No domain module imports it.
"""
