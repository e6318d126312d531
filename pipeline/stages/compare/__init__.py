"""compare: emerging categories by constant comparison, within each site then across sites."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["CompareParams"],
    "stage": ["run", "cluster", "compared", "interview_order", "ordered_segments"],
    "noise": ["describe_categories", "describe_left_out"],
    "keys": ["follow", "key_table"],
    "decisions": ["parse"],
    "saturation": ["describe_saturation"],
})
