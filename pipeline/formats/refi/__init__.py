"""REFI-QDA, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder: codebooks
(.qdc) and projects (.qdpx) to and from plain structures, validated against the schemas in
``xsd/``. Used by the code stage (human codings in a .qdpx) and by exchange (exports)."""
