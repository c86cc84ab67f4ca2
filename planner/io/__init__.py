"""Reading and writing the office's files (CSV/XLSX, zh/en headers, encodings)."""
