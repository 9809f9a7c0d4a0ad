"""User accounts, API tokens and login auditing. Knows nothing about agencies or cases."""
