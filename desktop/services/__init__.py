"""Use cases: one function per user action. Raise UserError, never open dialogs."""

