"""补贴发放: payment runs, their tables and dialogs, and the subsidy policy dialog."""
