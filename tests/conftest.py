from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def bank_files(settings: LazySettings, tmp_path: Path) -> Path:
    """Bank files a test writes (debit requests, results, transfers) and print data go to its own directory."""
    settings.KYOSAI_BANK_FILES_DIR = tmp_path
    settings.KYOSAI_PRINT_DIR = tmp_path / "print"  # and print data (notices)
    return tmp_path
