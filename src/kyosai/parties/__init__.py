"""People and businesses: 個人事業主, 共同経営者, 法人 and their officers."""
