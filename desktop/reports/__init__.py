"""ReportLab PDFs from plain data. Never opens the database."""

