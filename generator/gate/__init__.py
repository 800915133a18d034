"""The last gate: every file about to be published is read back and searched for personal data."""
