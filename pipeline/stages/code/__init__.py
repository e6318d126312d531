"""code: apply the codebook to participant segments (deductive coding)."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["CodeParams"],
    "stage": ["run", "auto_codings", "pattern_rows", "load_inputs"],
    "reliability": ["POOLED", "agreement", "indicator"],
    "keywords": ["match_segments"],
    "model": ["ModelSettings", "fit_codes", "trainable"],
    "similarity": ["SimilarityCoder"],
    "evidence": ["labels"],
})
