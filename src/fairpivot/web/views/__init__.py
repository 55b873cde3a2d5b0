"""The pages: small views over the access rules, the actions and the record."""
