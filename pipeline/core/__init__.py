"""The machinery every other folder stands on, importing nothing above it: the stage registry,
the runner, the catalog (all reading and writing), the output contract (schemas), typed
configuration, the per-item cache, provenance, errors, YAML with line numbers, progress."""
