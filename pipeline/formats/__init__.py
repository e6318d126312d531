"""Readers for transcript file formats. Each returns normalised text plus parsed turns."""
