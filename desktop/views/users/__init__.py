"""Signing in at start (ACCESS.md): the first administrator of a database
without users, the sign-in dialog, the forced password change."""
