"""小規模企業共済法（昭和40年法律第102号）, its 施行令（昭和40年政令第185号）and
施行規則（昭和40年通商産業省令第50号）, as pure functions.

Premiums paid before 2004-04 follow the transitional rules of 平成15年政令第308号; the
calculations here cover premiums from 2004-04 only and refuse older histories.
"""
