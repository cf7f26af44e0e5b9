"""组工信息: the bulletin screen, editor, outline and dialogs."""
