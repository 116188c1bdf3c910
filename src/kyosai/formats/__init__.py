"""Pure readers and writers of external formats (全銀 files, e-Tax XML, BPO files); no Django."""
