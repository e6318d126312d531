"""The member-check session page: a small local web application (Flask)."""
from pipeline.web.app import Session, create_app, open_session

__all__ = ["Session", "create_app", "open_session"]
