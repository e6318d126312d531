"""cases: a case summary per site and a cross-case summary, as document blocks."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["CaseParams"],
    "stage": ["run"],
})
