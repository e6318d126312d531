"""Measurement off the main DAG: coding tuning and reports, evaluation of the emerging
categories, the benchmark. It uses the stages only through their public functions (their
packages' ``__init__``) and the catalog's tables."""
