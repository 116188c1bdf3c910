"""委託機関: 委託団体 (商工会, 商工会議所, …) and 代理店 (banks) through which members apply."""
