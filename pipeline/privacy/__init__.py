"""Redaction of what goes out of the project: member-check packets and shared exports.

People, schools, towns, organisations, districts, e-mail addresses and phone numbers become
placeholders such as ``[TEACHER]``, ``[SCHOOL]`` or ``[EMAIL]``. What to replace comes from
the study's redaction list (corpus/redact.csv, `read_redaction_list`), the transcript headers
and participants table, the sites, and named-entity recognition with the trained model.
"""
from pipeline.privacy.redactor import Redactor
from pipeline.privacy.rules import RedactionList, Term, load_redaction, read_redaction_list
from pipeline.privacy.sources import role_placeholder

__all__ = ["RedactionList", "Redactor", "Term", "load_redaction", "read_redaction_list",
           "role_placeholder"]
