"""共済契約: the contract per scheme, its premium terms as dated rows and its debit mandate."""
