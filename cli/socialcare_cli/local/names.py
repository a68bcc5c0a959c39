"""Where the local stack lives: the account, region and name prefix it pretends."""

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
PREFIX = "socialcare-local"

# Documented local defaults (README): override with the environment variables.
