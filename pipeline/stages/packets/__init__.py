"""packets: a member-check packet per site: its confirmed themes, their interpretations and
supporting quotes, redacted, as items (for the response sheet and the session page) and as
document blocks (rendered to Markdown, DOCX and HTML)."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["PacketParams"],
    "stage": ["run"],
})
