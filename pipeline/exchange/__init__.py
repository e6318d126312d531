"""Exchange with other tools: table exports (CSV, XLSX, parquet), REFI-QDA projects and
codebooks built from the tables, and imports that become researcher-owned files."""
