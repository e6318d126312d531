"""Render stages: figures and documents drawn from the tables, registered in the stage
registry like any other stage (their files are declared outputs with a manifest)."""
