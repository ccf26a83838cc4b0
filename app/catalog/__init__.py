"""Catalog of administrative procedures (danh mục TTHC): list, edit with history, XLSX import/export."""
