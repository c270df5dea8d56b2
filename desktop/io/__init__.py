"""Files in and out: images, PDF, CSV/XLSX tables, JSON, atomic writes."""
