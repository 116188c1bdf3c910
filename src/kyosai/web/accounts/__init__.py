"""OpenID Connect login pages: /oidc/<provider>/login/ and /oidc/<provider>/callback/."""
