"""The study's own vocabulary: citation IDs (``O1_Principal#1_5.14``), study metadata
(phases, roles, sites), speaker labels and who is interviewer or participant."""
