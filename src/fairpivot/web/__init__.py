"""The web app and the JSON API: every role's view of the record, and who may see what."""
