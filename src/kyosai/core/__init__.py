"""What every domain app shares: the audit log, numbering sequences and application errors."""
