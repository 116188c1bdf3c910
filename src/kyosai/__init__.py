"""kyosai: contract administration for 小規模企業共済 and 中小企業倒産防止共済."""
