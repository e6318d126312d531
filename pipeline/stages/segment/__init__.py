"""segment: participant turns -> segments of whole sentences."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["SegmentParams"],
    "stage": ["run"],
})
