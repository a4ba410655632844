"""Accounts: users and roles, the password policy, lock-out after failed sign-ins, two-step sign-in (TOTP)."""
