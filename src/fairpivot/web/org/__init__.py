"""The org's pages: analytics, the dashboard's and a manager's team, group programs."""
