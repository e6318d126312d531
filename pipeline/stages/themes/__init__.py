"""themes: codebook codes and accepted categories as themes, and who voiced them where."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["ThemeParams"],
    "stage": ["run"],
})
