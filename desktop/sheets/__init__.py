"""openpyxl/calamine workbooks to and from plain data. Never opens the database."""

