"""checks: what member checking changed, per site and round: an audit row per counted answer
(before and after), and a report with the counts and the criticality drift."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["CheckParams"],
    "stage": ["run"],
})
