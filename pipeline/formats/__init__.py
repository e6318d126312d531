"""File formats: bytes in, plain structures out (no pandas, no spaCy).

Transcripts (text, Otter, WebVTT, SRT, DOCX) become normalised text plus speaker turns;
``refi`` reads and writes REFI-QDA codebooks and projects."""
