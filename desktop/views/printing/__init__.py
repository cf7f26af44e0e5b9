"""Print preview and PDF page rendering shared by every printable screen."""
