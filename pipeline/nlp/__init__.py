"""Language tools shared by the stages: spaCy pipelines (the fast lookup path, the trained
model where needed), TF-IDF over lemmas, and segment vectors as tables and matrices."""
