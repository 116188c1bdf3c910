"""Accounts signed in through an external OpenID Connect provider (GビズID, マイナンバーカード)."""
