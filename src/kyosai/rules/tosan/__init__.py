"""中小企業倒産防止共済法（昭和52年法律第84号）, its 施行令 and 施行規則, as pure functions."""
