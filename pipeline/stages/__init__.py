"""The analysis stages, one package each. Stages never import each other: they meet in the
catalog's tables. Each package names its public functions in its ``__init__``; other layers
(analysis, the CLI) use only those, and they are imported on first use so that reading the
registry or a stage's parameters loads no NLP library."""
