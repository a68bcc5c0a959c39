"""The social team's console: pages under /console/ and a JSON API under /console/api/."""
